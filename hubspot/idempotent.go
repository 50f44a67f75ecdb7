package hubspot

import "context"

// idempotent marks a request as safe to repeat after a 5xx or transport error
// (search, batch read, batch update, batch upsert, archive, PATCH updates).
func idempotent(ctx context.Context) context.Context { return ctx }
