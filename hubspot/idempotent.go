package hubspot

import (
	"context"

	"github.com/hubwise/hubwise/internal/httpx"
)

// idempotent marks a POST or PATCH as safe to repeat after a 5xx or transport error:
// search, batch read, batch update, batch upsert, batch archive and PATCH updates
// leave the same state however often they are applied. Creates (single and batch)
// and merges are never marked: a repeat could duplicate a record.
func idempotent(ctx context.Context) context.Context { return httpx.WithIdempotent(ctx) }

// MarkIdempotent returns a context that marks requests built with NewRequest as safe
// to repeat after a 5xx or transport error, for POST or PATCH calls that cannot
// duplicate a write (a search, a read, an upsert on a unique property).
func MarkIdempotent(ctx context.Context) context.Context { return httpx.WithIdempotent(ctx) }
