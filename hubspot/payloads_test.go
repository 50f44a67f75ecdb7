package hubspot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeOwnFixtures decodes this package's own fixtures (testdata/), written in
// the image of recorded HubSpot answers, into the models.
func TestDecodeOwnFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { decodeFixture(t, f) })
	}
}

// TestDecodeReferencePayloads decodes the team's recorded HubSpot payloads when the
// shared reference directory is present (it is not part of the module).
func TestDecodeReferencePayloads(t *testing.T) {
	dir := os.Getenv("HUBWISE_REFERENCE_PAYLOADS")
	if dir == "" {
		dir = "/work/shared/reference/payloads/hubspot"
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("reference payloads not available")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { decodeFixture(t, f) })
	}
}

// decodeFixture picks the model by the file name, as the payloads are named.
func decodeFixture(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	name := filepath.Base(path)
	switch {
	case strings.HasPrefix(name, "webhook"):
		evs, err := ParseEvents(raw)
		require.NoError(t, err)
		require.NotEmpty(t, evs)
		assert.NotEmpty(t, evs[0].Kind())
		assert.False(t, evs[0].OccurredAt.IsZero())
	case strings.HasPrefix(name, "error-429"):
		var b errorBody
		require.NoError(t, json.Unmarshal(raw, &b))
		assert.NotEmpty(t, b.PolicyName)
		assert.Equal(t, CategoryRateLimits, b.apiError("GET", "u", 429).Category)
	case strings.HasPrefix(name, "error-") || strings.HasSuffix(name, "-400-validation.json") || strings.HasSuffix(name, "409-conflict.json") || strings.Contains(name, "400-duplicate"):
		var b errorBody
		require.NoError(t, json.Unmarshal(raw, &b))
		assert.NotEmpty(t, b.Message)
	case strings.HasPrefix(name, "associations-v4-batch-read"):
		var a batchAnswer[struct {
			From idRef `json:"from"`
			To   []struct {
				ToObjectID       flexID            `json:"toObjectId"`
				AssociationTypes []AssociationType `json:"associationTypes"`
			} `json:"to"`
		}]
		require.NoError(t, json.Unmarshal(raw, &a))
		require.NotEmpty(t, a.Results)
		assert.NotEmpty(t, a.Results[0].To[0].ToObjectID)
	case strings.HasPrefix(name, "associations-v4-batch-create"):
		var a batchAnswer[pairResult]
		require.NoError(t, json.Unmarshal(raw, &a))
		for _, r := range a.Results {
			assert.NotEmpty(t, r.public().FromID)
		}
	case strings.HasPrefix(name, "owners"):
		var p struct {
			Results []*Owner `json:"results"`
		}
		require.NoError(t, json.Unmarshal(raw, &p))
		require.NotEmpty(t, p.Results)
		assert.NotEmpty(t, p.Results[0].ID)
	case strings.HasPrefix(name, "properties-"), strings.HasPrefix(name, "pipelines"):
		if strings.HasPrefix(name, "pipelines") {
			var p struct {
				Results []*Pipeline `json:"results"`
			}
			require.NoError(t, json.Unmarshal(raw, &p))
			assert.NotEmpty(t, p.Results[0].Stages)
			return
		}
		var a batchAnswer[*Property]
		require.NoError(t, json.Unmarshal(raw, &a))
		require.NotEmpty(t, a.Results)
		assert.NotEmpty(t, a.Results[0].Name)
	case strings.HasPrefix(name, "property-group"):
		var g PropertyGroup
		require.NoError(t, json.Unmarshal(raw, &g))
		assert.NotEmpty(t, g.Name)
	case strings.HasPrefix(name, "schema-"):
		var s struct {
			ObjectTypeID string      `json:"objectTypeId"`
			Properties   []*Property `json:"properties"`
		}
		require.NoError(t, json.Unmarshal(raw, &s))
		assert.NotEmpty(t, s.Properties)
	case strings.Contains(name, "search-request"):
		var r struct {
			FilterGroups []FilterGroup `json:"filterGroups"`
			Sorts        []Sort        `json:"sorts"`
		}
		require.NoError(t, json.Unmarshal(raw, &r))
		assert.NotEmpty(t, r.FilterGroups)
	case strings.Contains(name, "search-response"):
		var r SearchResult
		require.NoError(t, json.Unmarshal(raw, &r))
		assert.NotZero(t, r.Total)
	case strings.Contains(name, "upsert"):
		var a batchAnswer[*UpsertResult]
		require.NoError(t, json.Unmarshal(raw, &a))
		assert.NotEmpty(t, a.Results)
		if strings.HasSuffix(name, "-207.json") || strings.Contains(name, "docs") {
			assert.NotEmpty(t, a.Errors)
		}
	case strings.Contains(name, "list-paging") || strings.Contains(name, "list-page"):
		var p struct {
			Results []*Object `json:"results"`
			Paging  *Paging   `json:"paging"`
		}
		require.NoError(t, json.Unmarshal(raw, &p))
		assert.NotEmpty(t, p.Paging.after())
	default:
		var a batchAnswer[*Object]
		require.NoError(t, json.Unmarshal(raw, &a), "as a batch answer of objects")
		require.NotEmpty(t, a.Results)
		assert.NotEmpty(t, a.Results[0].ID)
		assert.Equal(t, len(a.Errors), min(len(a.Errors), a.NumErrors))
	}
}
