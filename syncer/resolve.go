package syncer

import (
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// FieldConflict is one field changed on both sides of a link to different
// values since the last sync, as a [Resolver] sees it. Values are in canonical
// HubSpot form; "" means no value.
type FieldConflict struct {
	// Object is the object pair name and Field the mapped field (its HubSpot
	// property name).
	Object, Field string
	// HubSpot, ConnectWise and Base are the values on each side now and the
	// value both held after the last sync (the common ancestor).
	HubSpot, ConnectWise, Base string
	// HubSpotModifiedAt and ConnectWiseModifiedAt are the records' last
	// modification times as each vendor reports them (HubSpot
	// hs_lastmodifieddate or lastmodifieddate, ConnectWise _info.lastUpdated).
	HubSpotModifiedAt, ConnectWiseModifiedAt time.Time
}

// Resolver settles one conflicting field. Resolve returns the winning side
// ([SideHubSpot] or [SideConnectWise]) or "" to park the conflict for review
// (see [Engine.Settle]); the other fields of the record keep flowing either way.
// It is called during planning, once per conflicting field, and must not block.
type Resolver interface {
	Resolve(c FieldConflict) Side
}

// ResolverFunc adapts a function to [Resolver].
type ResolverFunc func(c FieldConflict) Side

// Resolve calls f(c).
func (f ResolverFunc) Resolve(c FieldConflict) Side { return f(c) }

// FieldKey names one mapped field of one object, for [Config.FieldResolvers].
type FieldKey struct {
	Object, Field string
}

// Built-in resolvers, one per mapping.Conflict preference.
var (
	// PreferHubSpot makes HubSpot's value win (HubSpot as system of record).
	PreferHubSpot Resolver = builtin{mapping.PreferHubSpot}
	// PreferConnectWise makes ConnectWise's value win; it is the default.
	PreferConnectWise Resolver = builtin{mapping.PreferConnectWise}
	// MostRecent makes the value of the record modified last win, comparing the
	// two vendors' record timestamps (ties go to ConnectWise). The timestamps come
	// from two clocks: skew between HubSpot's and ConnectWise's servers shifts
	// every comparison by the skew, so two edits closer together than the skew
	// can be decided the wrong way round, and the older edit overwrites the newer
	// (prior-art.md §6, Dropbox Passwords). Record timestamps also move for edits
	// of unmapped fields, so "most recent" means the record, not the field. The
	// three-way merge keeps this to true conflicts: a change on one side only
	// never consults a timestamp.
	MostRecent Resolver = builtin{mapping.MostRecent}
	// Review parks the conflict in the store ([Conflict]) and writes neither
	// side's value for that field; [Engine.Conflicts] lists parked conflicts and
	// [Engine.Settle] settles one.
	Review Resolver = builtin{mapping.Review}
)

// builtin is the resolver of a mapping preference.
type builtin struct{ c mapping.Conflict }

func (b builtin) Resolve(c FieldConflict) Side {
	switch b.c {
	case mapping.PreferHubSpot:
		return SideHubSpot
	case mapping.MostRecent:
		if c.HubSpotModifiedAt.After(c.ConnectWiseModifiedAt) {
			return SideHubSpot
		}
		return SideConnectWise
	case mapping.Review:
		return ""
	default:
		return SideConnectWise
	}
}

// ResolverOf returns the built-in resolver of a mapping preference; "" and
// unknown preferences give [PreferConnectWise].
func ResolverOf(c mapping.Conflict) Resolver {
	switch c {
	case mapping.PreferHubSpot:
		return PreferHubSpot
	case mapping.MostRecent:
		return MostRecent
	case mapping.Review:
		return Review
	default:
		return PreferConnectWise
	}
}

// label names a resolver in reports: its mapping preference, or "custom".
func label(r Resolver) mapping.Conflict {
	if b, ok := r.(builtin); ok {
		return b.c
	}
	return "custom"
}

// resolverFor picks the resolver of one field, most specific first:
// Config.FieldResolvers, the mapping field's own preference (one that differs
// from its object's), Config.Resolvers for the object, the mapping object's
// preference, then Config.DefaultConflict.
func (e *Engine) resolverFor(o *objectSpec, f mapping.FieldInfo) Resolver {
	if r := e.cfg.FieldResolvers[FieldKey{o.name, f.HubSpot}]; r != nil {
		return r
	}
	objPref := o.m.Conflict()
	if f.Conflict != "" && f.Conflict != objPref {
		return ResolverOf(f.Conflict)
	}
	if r := e.cfg.Resolvers[o.name]; r != nil {
		return r
	}
	if objPref != "" {
		return ResolverOf(objPref)
	}
	return ResolverOf(e.cfg.DefaultConflict)
}
