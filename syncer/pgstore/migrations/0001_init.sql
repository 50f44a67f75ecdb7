-- pgstore schema, version 1: the state of syncer.StateStore and the leases of
-- syncer.Leaser. {schema} is replaced by the quoted schema name.
--
-- Every string column is COLLATE "C" so that indexes and ORDER BY compare bytes
-- (the contract's bytewise order), whatever the database's locale. Zero times are
-- stored as NULL.

-- One row per tenant that ever committed or leased. Commit locks this row
-- (SELECT ... FOR UPDATE) to serialise the tenant's commits and to check the
-- fence; the lease columns live here so that the check and the writes share
-- that lock.
CREATE TABLE {schema}.tenants (
    tenant           text COLLATE "C" PRIMARY KEY,
    lease_holder     text COLLATE "C",
    lease_generation bigint NOT NULL DEFAULT 0 CHECK (lease_generation >= 0),
    lease_expires_at timestamptz,
    lease_released   boolean NOT NULL DEFAULT false
);

-- Links: the primary key serves lookups by ConnectWise ID and the ordered
-- listing; the unique index on (tenant, hubspot_id, object) serves lookups by
-- HubSpot ID, which filter on tenant and hubspot_id. The column orders keep
-- the two indexes from competing: each query matches one index fully and the
-- other only by tenant, so the planner picks the right one even before the
-- table has statistics (with (tenant, object, ...) for both, a fresh table's
-- lookups by ConnectWise ID scanned the whole object through the wrong index).
CREATE TABLE {schema}.links (
    tenant                  text COLLATE "C" NOT NULL,
    object                  text COLLATE "C" NOT NULL,
    connectwise_id          bigint NOT NULL CHECK (connectwise_id > 0),
    hubspot_id              text COLLATE "C" NOT NULL,
    base                    bytea,
    synced_at               timestamptz NOT NULL,
    hubspot_modified_at     timestamptz,
    connectwise_modified_at timestamptz,
    version                 bigint NOT NULL CHECK (version > 0),
    PRIMARY KEY (tenant, object, connectwise_id),
    CONSTRAINT links_hubspot_id_key UNIQUE (tenant, hubspot_id, object)
);

CREATE TABLE {schema}.cursors (
    tenant text COLLATE "C" NOT NULL,
    key    text COLLATE "C" NOT NULL,
    value  text NOT NULL,
    PRIMARY KEY (tenant, key)
);

CREATE TABLE {schema}.intents (
    tenant     text COLLATE "C" NOT NULL,
    object     text COLLATE "C" NOT NULL,
    target     text COLLATE "C" NOT NULL CHECK (target IN ('hubspot', 'connectwise')),
    source_id  text COLLATE "C" NOT NULL,
    lookup_key text NOT NULL,
    created_at timestamptz NOT NULL,
    payload    bytea,
    PRIMARY KEY (tenant, object, target, source_id)
);

CREATE TABLE {schema}.dead_letters (
    tenant          text COLLATE "C" NOT NULL,
    object          text COLLATE "C" NOT NULL,
    side            text COLLATE "C" NOT NULL CHECK (side IN ('hubspot', 'connectwise')),
    source_id       text COLLATE "C" NOT NULL,
    err             text NOT NULL,
    attempts        bigint NOT NULL CHECK (attempts >= 0),
    first_failed_at timestamptz NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    next_retry_at   timestamptz,
    PRIMARY KEY (tenant, object, side, source_id)
);

CREATE TABLE {schema}.conflicts (
    tenant            text COLLATE "C" NOT NULL,
    object            text COLLATE "C" NOT NULL,
    hubspot_id        text COLLATE "C" NOT NULL,
    connectwise_id    bigint NOT NULL,
    field             text COLLATE "C" NOT NULL,
    hubspot_value     bytea,
    connectwise_value bytea,
    base_value        bytea,
    detected_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant, object, hubspot_id, connectwise_id, field)
);
