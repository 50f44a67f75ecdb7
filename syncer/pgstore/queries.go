package pgstore

import "strings"

// queries holds the store's SQL with the quoted schema name filled in, built
// once by [Open]. Statements are constant per schema, so drivers that cache
// prepared statements by text (pgx does) reuse them.
type queries struct {
	// Reads.
	linkByHS, linkByCW, linksByHS, linksByCW, listLinks string
	cursor                                              string
	listIntents, listIntentsObject                      string
	listDead                                            string
	listConflicts, listConflictsObject                  string

	// Commit.
	lockTenant, insertTenant                                   string
	putLink, putLinks, insertLinkIfAbsent, updateLinkIfVersion string
	linkPartners, deleteLink                                   string
	putCursor, deleteCursor, putIntent, deleteIntent           string
	putDead, deleteDead, putConflict, deleteConflict           string
	updateLease                                                string
}

const linkCols = `object, hubspot_id, connectwise_id, base, synced_at, hubspot_modified_at, connectwise_modified_at, version`

func newQueries(schema string) queries {
	r := strings.NewReplacer("{s}", schema, "{linkCols}", linkCols)
	q := queries{
		// Lookups by HubSpot ID filter on (tenant, hubspot_id) only and leave
		// the object to Go (see the index comment in migrations/0001_init.sql).
		linkByHS: `SELECT {linkCols} FROM {s}.links WHERE tenant = $1 AND hubspot_id = $2`,
		linkByCW: `SELECT {linkCols} FROM {s}.links WHERE tenant = $1 AND object = $2 AND connectwise_id = $3`,
		// Bulk lookups probe the index once per ID: OFFSET 0 keeps PostgreSQL
		// from flattening the LATERAL subquery into a join that a fresh table's
		// missing statistics could turn into a scan of the whole object.
		linksByHS: `SELECT l.* FROM json_array_elements_text($3::json) AS ids(id),
			LATERAL (SELECT {linkCols} FROM {s}.links WHERE tenant = $1 AND object = $2 AND hubspot_id = ids.id OFFSET 0) AS l`,
		linksByCW: `SELECT l.* FROM json_array_elements_text($3::json) AS ids(id),
			LATERAL (SELECT {linkCols} FROM {s}.links WHERE tenant = $1 AND object = $2 AND connectwise_id = ids.id::bigint OFFSET 0) AS l`,
		listLinks: `SELECT {linkCols} FROM {s}.links WHERE tenant = $1 AND object = $2 AND connectwise_id > $3 ORDER BY connectwise_id LIMIT $4`,
		cursor:    `SELECT value FROM {s}.cursors WHERE tenant = $1 AND key = $2`,

		// Keyset paging: the first page starts after ('', '', ''), below every
		// row since identifiers are never empty.
		listIntents: `SELECT object, target, source_id, lookup_key, created_at, payload FROM {s}.intents
			WHERE tenant = $1 AND (object, target, source_id) > ($2, $3, $4) ORDER BY object, target, source_id LIMIT $5`,
		listIntentsObject: `SELECT object, target, source_id, lookup_key, created_at, payload FROM {s}.intents
			WHERE tenant = $1 AND object = $2 AND (target, source_id) > ($3, $4) ORDER BY target, source_id LIMIT $5`,
		listDead: `SELECT object, side, source_id, err, attempts, first_failed_at, last_failed_at, next_retry_at FROM {s}.dead_letters
			WHERE tenant = $1 AND (object, side, source_id) > ($2, $3, $4)
			AND ($5 = '' OR object = $5) AND ($6::timestamptz IS NULL OR next_retry_at IS NULL OR next_retry_at <= $6::timestamptz)
			ORDER BY object, side, source_id LIMIT $7`,
		listConflicts: `SELECT object, hubspot_id, connectwise_id, field, hubspot_value, connectwise_value, base_value, detected_at FROM {s}.conflicts
			WHERE tenant = $1 AND (object, hubspot_id, connectwise_id, field) > ($2, $3, $4, $5)
			ORDER BY object, hubspot_id, connectwise_id, field LIMIT $6`,
		listConflictsObject: `SELECT object, hubspot_id, connectwise_id, field, hubspot_value, connectwise_value, base_value, detected_at FROM {s}.conflicts
			WHERE tenant = $1 AND object = $2 AND (hubspot_id, connectwise_id, field) > ($3, $4, $5)
			ORDER BY hubspot_id, connectwise_id, field LIMIT $6`,

		lockTenant: `SELECT lease_holder, lease_generation, lease_expires_at, lease_released FROM {s}.tenants
			WHERE tenant = $1 FOR UPDATE`,
		insertTenant: `INSERT INTO {s}.tenants (tenant) VALUES ($1) ON CONFLICT (tenant) DO NOTHING`,

		// putLink replaces the link of the same pair, or else inserts a new one
		// unless either ID is taken; no row back means a conflict. The INSERT
		// runs only when the UPDATE matched nothing.
		putLink: `WITH up AS (
				UPDATE {s}.links SET base = $5, synced_at = $6, hubspot_modified_at = $7, connectwise_modified_at = $8, version = version + 1
				WHERE tenant = $1 AND object = $2 AND hubspot_id = $3 AND connectwise_id = $4
				RETURNING version),
			ins AS (
				INSERT INTO {s}.links (tenant, object, hubspot_id, connectwise_id, base, synced_at, hubspot_modified_at, connectwise_modified_at, version)
				SELECT $1, $2, $3, $4, $5, $6, $7, $8, 1 WHERE NOT EXISTS (SELECT 1 FROM up)
				ON CONFLICT DO NOTHING
				RETURNING version)
			SELECT version FROM up UNION ALL SELECT version FROM ins`,
		// putLinks applies a run of link puts (see bulk.go): $2 is a JSON
		// array of them. bad finds the first put whose HubSpot or ConnectWise
		// ID is linked to another partner (one index probe each); only when
		// there is none does the INSERT write every link, replacing those of
		// the same pair. The answer is the index of the bad put (or NULL) and
		// the number of links written.
		putLinks: `WITH x AS (
				SELECT * FROM json_to_recordset($2::json)
				AS x(i integer, o text, h text, c bigint, b text, s timestamptz, hm timestamptz, cm timestamptz)),
			bad AS (
				SELECT x.i FROM x
				WHERE EXISTS (SELECT 1 FROM {s}.links l WHERE l.tenant = $1 AND l.hubspot_id = x.h AND l.object = x.o AND l.connectwise_id <> x.c)
				OR EXISTS (SELECT 1 FROM {s}.links l WHERE l.tenant = $1 AND l.object = x.o AND l.connectwise_id = x.c AND l.hubspot_id <> x.h)
				ORDER BY x.i LIMIT 1),
			ins AS (
				INSERT INTO {s}.links AS l (tenant, object, hubspot_id, connectwise_id, base, synced_at, hubspot_modified_at, connectwise_modified_at, version)
				SELECT $1, x.o, x.h, x.c, decode(x.b, 'hex'), x.s, x.hm, x.cm, 1 FROM x WHERE NOT EXISTS (SELECT 1 FROM bad)
				ON CONFLICT ON CONSTRAINT links_hubspot_id_key DO UPDATE SET base = EXCLUDED.base, synced_at = EXCLUDED.synced_at,
				hubspot_modified_at = EXCLUDED.hubspot_modified_at, connectwise_modified_at = EXCLUDED.connectwise_modified_at,
				version = l.version + 1
				RETURNING 1)
			SELECT (SELECT i FROM bad), (SELECT count(*) FROM ins)`,
		insertLinkIfAbsent: `INSERT INTO {s}.links (tenant, object, hubspot_id, connectwise_id, base, synced_at, hubspot_modified_at, connectwise_modified_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) ON CONFLICT DO NOTHING RETURNING version`,
		updateLinkIfVersion: `UPDATE {s}.links SET base = $5, synced_at = $6, hubspot_modified_at = $7, connectwise_modified_at = $8, version = version + 1
			WHERE tenant = $1 AND object = $2 AND hubspot_id = $3 AND connectwise_id = $4 AND version = $9 RETURNING version`,
		linkPartners: `SELECT object, hubspot_id, connectwise_id, version FROM {s}.links WHERE tenant = $1 AND hubspot_id = $3
			UNION ALL
			SELECT object, hubspot_id, connectwise_id, version FROM {s}.links WHERE tenant = $1 AND object = $2 AND connectwise_id = $4`,
		deleteLink: `DELETE FROM {s}.links WHERE tenant = $1 AND object = $2 AND hubspot_id = $3 AND connectwise_id = $4 RETURNING 1`,

		putCursor: `INSERT INTO {s}.cursors (tenant, key, value) VALUES ($1, $2, $3)
			ON CONFLICT (tenant, key) DO UPDATE SET value = EXCLUDED.value`,
		deleteCursor: `DELETE FROM {s}.cursors WHERE tenant = $1 AND key = $2`,
		putIntent: `INSERT INTO {s}.intents (tenant, object, target, source_id, lookup_key, created_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (tenant, object, target, source_id) DO UPDATE SET lookup_key = EXCLUDED.lookup_key, created_at = EXCLUDED.created_at, payload = EXCLUDED.payload`,
		deleteIntent: `DELETE FROM {s}.intents WHERE tenant = $1 AND object = $2 AND target = $3 AND source_id = $4`,
		putDead: `INSERT INTO {s}.dead_letters AS d (tenant, object, side, source_id, err, attempts, first_failed_at, last_failed_at, next_retry_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (tenant, object, side, source_id) DO UPDATE SET err = EXCLUDED.err, attempts = d.attempts + EXCLUDED.attempts,
			last_failed_at = EXCLUDED.last_failed_at, next_retry_at = EXCLUDED.next_retry_at`,
		deleteDead: `DELETE FROM {s}.dead_letters WHERE tenant = $1 AND object = $2 AND side = $3 AND source_id = $4`,
		putConflict: `INSERT INTO {s}.conflicts (tenant, object, hubspot_id, connectwise_id, field, hubspot_value, connectwise_value, base_value, detected_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (tenant, object, hubspot_id, connectwise_id, field) DO UPDATE SET hubspot_value = EXCLUDED.hubspot_value,
			connectwise_value = EXCLUDED.connectwise_value, base_value = EXCLUDED.base_value, detected_at = EXCLUDED.detected_at`,
		deleteConflict: `DELETE FROM {s}.conflicts WHERE tenant = $1 AND object = $2 AND hubspot_id = $3 AND connectwise_id = $4 AND field = $5`,

		updateLease: `UPDATE {s}.tenants SET lease_holder = $2, lease_generation = $3, lease_expires_at = $4, lease_released = $5
			WHERE tenant = $1`,
	}
	for _, p := range []*string{&q.linkByHS, &q.linkByCW, &q.linksByHS, &q.linksByCW, &q.listLinks, &q.cursor,
		&q.listIntents, &q.listIntentsObject, &q.listDead, &q.listConflicts, &q.listConflictsObject,
		&q.lockTenant, &q.insertTenant, &q.putLink, &q.putLinks, &q.insertLinkIfAbsent, &q.updateLinkIfVersion, &q.linkPartners, &q.deleteLink,
		&q.putCursor, &q.deleteCursor, &q.putIntent, &q.deleteIntent, &q.putDead, &q.deleteDead, &q.putConflict, &q.deleteConflict,
		&q.updateLease} {
		*p = r.Replace(*p)
	}
	return q
}
