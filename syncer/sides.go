package syncer

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// HubSpotRecord is one HubSpot CRM record as the engine sees it: its ID, the
// properties read and its last-modified time.
type HubSpotRecord struct {
	// ID is the record ID (hs_object_id).
	ID string
	// Properties holds the property values read, in HubSpot string form.
	Properties map[string]string
	// UpdatedAt is the record's last-modified time.
	UpdatedAt time.Time
}

// HubSpotWrite is one record to write to HubSpot. Updates set ID; upserts set
// IDProperty and IDValue (a unique property and its value) instead.
type HubSpotWrite struct {
	// ID is the record ID of an update.
	ID string
	// IDProperty and IDValue key an upsert.
	IDProperty, IDValue string
	// Properties are the values to write.
	Properties map[string]string
	// TraceID correlates the input with its result (objectWriteTraceId).
	TraceID string
}

// HubSpotResult is the outcome of one [HubSpotWrite], in input order.
type HubSpotResult struct {
	// Record is the record written (nil when Err is set).
	Record *HubSpotRecord
	// New reports that an upsert created the record.
	New bool
	// Err is the input's failure, if any.
	Err error
}

// AssociationPair names two HubSpot records to associate or dissociate.
type AssociationPair struct {
	FromID, ToID string
}

// SchemaOutcome says what an ensure call or a schema check found.
type SchemaOutcome string

// Schema outcomes.
const (
	SchemaCreated   SchemaOutcome = "created"   // did not exist and was created
	SchemaUnchanged SchemaOutcome = "unchanged" // exists as wanted
	SchemaDrift     SchemaOutcome = "drift"     // exists differently; left alone
	SchemaMissing   SchemaOutcome = "missing"   // a ConnectWise custom field that does not exist
)

// HubSpotSide is what the engine needs of HubSpot. [NewHubSpot] adapts a
// *hubspot.Client; tests may implement it directly. Methods chunk their inputs
// to the API's batch sizes themselves; the engine passes slices of any length.
type HubSpotSide interface {
	// Modified yields the IDs and last-modified times of the records of
	// objectType whose modifiedProperty lies in [from, to], ordered by ID.
	Modified(ctx context.Context, objectType, modifiedProperty string, from, to time.Time) iter.Seq2[*HubSpotRecord, error]
	// Read returns the records whose idProperty ("" for the record ID) has one of
	// the given values, with properties; values that match nothing are left out.
	Read(ctx context.Context, objectType, idProperty string, values, properties []string) ([]*HubSpotRecord, error)
	// Find returns the records whose property equals one of values (a search,
	// for properties that are not unique), with properties.
	Find(ctx context.Context, objectType, property string, values, properties []string) ([]*HubSpotRecord, error)
	// Upsert creates or updates records keyed on IDProperty/IDValue. It returns
	// one result per input; the error is set when the call stopped early (the
	// inputs left have results with that error too).
	Upsert(ctx context.Context, objectType string, inputs []HubSpotWrite) ([]HubSpotResult, error)
	// Update updates records by ID, with results as for Upsert.
	Update(ctx context.Context, objectType string, inputs []HubSpotWrite) ([]HubSpotResult, error)
	// Associate writes the default association from each pair's FromID (of
	// fromType) to its ToID (of toType). It returns one error (or nil) per pair.
	Associate(ctx context.Context, fromType, toType string, pairs []AssociationPair) ([]error, error)
	// Associated returns, for each of ids (records of fromType), the IDs of the
	// toType records associated with it, primary associations first.
	Associated(ctx context.Context, fromType, toType string, ids []string) (map[string][]string, error)
	// Dissociate removes every association between each pair.
	Dissociate(ctx context.Context, fromType, toType string, pairs []AssociationPair) error
	// EnsureGroup creates a property group unless it exists.
	EnsureGroup(ctx context.Context, objectType string, g mapping.PropertyGroup) (SchemaOutcome, error)
	// EnsureProperty creates a property unless it exists; a different existing
	// definition is reported as SchemaDrift with an error describing it.
	EnsureProperty(ctx context.Context, objectType string, p mapping.PropertyDef) (SchemaOutcome, error)
}

// Lookup asks ConnectWise for the records of a collection whose field at Path (a
// mapping path such as "identifier" or
// "communicationItems[communicationType=Email,defaultFlag=true]/value") has one
// of Values.
type Lookup struct {
	Path   string
	Values []string
}

// ConnectWiseSide is what the engine needs of ConnectWise. [NewConnectWise]
// adapts a *connectwise.Client; tests may implement it directly. Records are
// decoded JSON objects with every field kept; resource is a collection path such
// as "company/companies".
type ConnectWiseSide interface {
	// Modified yields the records with lastUpdated in [from, to], ordered by ID.
	Modified(ctx context.Context, resource string, from, to time.Time) iter.Seq2[map[string]any, error]
	// Page returns up to size records with IDs greater than afterID, by ID.
	Page(ctx context.Context, resource string, afterID int64, size int) ([]map[string]any, error)
	// Count returns the number of records of resource.
	Count(ctx context.Context, resource string) (int, error)
	// Read returns the records with the given IDs; missing IDs are left out.
	Read(ctx context.Context, resource string, ids []int64) ([]map[string]any, error)
	// Find returns the records matching the lookup. Values that cannot be
	// expressed in a query are left out and reported in an *UnsearchableError
	// returned together with the records found for the others.
	Find(ctx context.Context, resource string, l Lookup) ([]map[string]any, error)
	// Create posts a new record and returns it as created.
	Create(ctx context.Context, resource string, body map[string]any) (map[string]any, error)
	// Patch applies operations to a record and returns it as updated.
	Patch(ctx context.Context, resource string, id int64, ops []mapping.PatchOp) (map[string]any, error)
	// Forecast returns an opportunity's forecast as a JSON object (with
	// "forecastRevenueTotals" and the other revenue blocks).
	Forecast(ctx context.Context, opportunityID int64) (map[string]any, error)
	// CustomFields returns the custom field IDs of resource by caption.
	CustomFields(ctx context.Context, resource string) (map[string]int, error)
}

// UnsearchableError reports lookup values ConnectWise cannot be asked for (a
// string holding both quote characters: connectwise-api.md §11b, no escape rule
// is documented). The engine never creates a record it could not find again
// by such a value, and never links by it.
type UnsearchableError struct {
	Values []string
	Err    error
}

// Error names how many values were left out and why.
func (e *UnsearchableError) Error() string {
	return fmt.Sprintf("syncer: %d lookup value(s) cannot be searched in ConnectWise: %v", len(e.Values), e.Err)
}

// Unwrap returns the cause.
func (e *UnsearchableError) Unwrap() error { return e.Err }

// CallCounter is implemented by sides that count the API requests they make.
// Reports show the difference over a pass.
type CallCounter interface {
	Calls() int64
}

func calls(side any) int64 {
	if c, ok := side.(CallCounter); ok {
		return c.Calls()
	}
	return 0
}
