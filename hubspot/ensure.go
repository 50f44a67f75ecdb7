package hubspot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// EnsureOutcome says what EnsureProperty or EnsureGroup found.
type EnsureOutcome string

// Ensure outcomes.
const (
	// EnsureCreated: the definition did not exist and was created.
	EnsureCreated EnsureOutcome = "created"
	// EnsureUnchanged: an identical definition already existed.
	EnsureUnchanged EnsureOutcome = "unchanged"
	// EnsureDrift: a different definition exists; it was left as it is.
	EnsureDrift EnsureOutcome = "drift"
)

// ErrDrift is unwrapped by *DriftError.
var ErrDrift = errors.New("hubspot: definition drift")

// DriftError reports how an existing property or group differs from the wanted
// definition. Nothing was changed.
type DriftError struct {
	// Kind is "property" or "property group"; ObjectType and Name identify it.
	Kind       string
	ObjectType string
	Name       string
	Diffs      []FieldDiff
}

// FieldDiff is one differing field.
type FieldDiff struct {
	Field string
	Want  string
	Got   string
}

// Error lists the differing fields on one line.
func (e *DriftError) Error() string {
	parts := make([]string, len(e.Diffs))
	for i, d := range e.Diffs {
		parts[i] = fmt.Sprintf("%s: want %q, have %q", d.Field, d.Want, d.Got)
	}
	return fmt.Sprintf("hubspot: %s %s.%s exists with a different definition (%s)", e.Kind, e.ObjectType, e.Name, strings.Join(parts, "; "))
}

// Unwrap returns ErrDrift.
func (e *DriftError) Unwrap() error { return ErrDrift }

// EnsureProperty makes sure the property want exists: it creates it when missing
// (EnsureCreated), accepts an identical existing one (EnsureUnchanged), and reports
// a different one as EnsureDrift with a *DriftError, never changing it. Compared:
// type, fieldType, label, groupName, hasUniqueValue, hidden, and the description,
// options (value and label, in any order), formField, calculation formula,
// referenced object type and data sensitivity when want sets them.
func (s *PropertiesService) EnsureProperty(ctx context.Context, objectType string, want *PropertyCreate) (*Property, EnsureOutcome, error) {
	if err := want.validate(); err != nil {
		return nil, "", err
	}
	got, _, err := s.Get(ctx, objectType, want.Name)
	if errors.Is(err, ErrNotFound) {
		created, _, cerr := s.Create(ctx, objectType, want)
		if cerr == nil {
			return created, EnsureCreated, nil
		}
		if !errors.Is(cerr, ErrConflict) {
			return nil, "", cerr
		}
		// Created concurrently by someone else: compare with theirs.
		got, _, err = s.Get(ctx, objectType, want.Name)
	}
	if err != nil {
		return nil, "", err
	}
	if diffs := propertyDiffs(want, got); len(diffs) > 0 {
		return got, EnsureDrift, &DriftError{Kind: "property", ObjectType: objectType, Name: want.Name, Diffs: diffs}
	}
	return got, EnsureUnchanged, nil
}

func propertyDiffs(want *PropertyCreate, got *Property) []FieldDiff {
	var d []FieldDiff
	cmp := func(field, w, g string) {
		if w != g {
			d = append(d, FieldDiff{Field: field, Want: w, Got: g})
		}
	}
	cmp("type", want.Type, got.Type)
	cmp("fieldType", want.FieldType, got.FieldType)
	cmp("label", want.Label, got.Label)
	cmp("groupName", want.GroupName, got.GroupName)
	cmp("hasUniqueValue", strconv.FormatBool(want.HasUniqueValue), strconv.FormatBool(got.HasUniqueValue))
	cmp("hidden", strconv.FormatBool(want.Hidden), strconv.FormatBool(got.Hidden))
	if want.Description != "" {
		cmp("description", want.Description, got.Description)
	}
	if want.FormField != nil {
		cmp("formField", strconv.FormatBool(*want.FormField), strconv.FormatBool(got.FormField))
	}
	if want.CalculationFormula != "" {
		cmp("calculationFormula", want.CalculationFormula, got.CalculationFormula)
	}
	if want.ReferencedObjectType != "" {
		cmp("referencedObjectType", want.ReferencedObjectType, got.ReferencedObjectType)
	}
	if want.DataSensitivity != "" {
		cmp("dataSensitivity", want.DataSensitivity, got.DataSensitivity)
	}
	if len(want.Options) > 0 || want.Type == PropertyTypeEnumeration && !want.ExternalOptions {
		cmp("options", optionSet(want.Options), optionSet(got.Options))
	}
	return d
}

// optionSet renders options as a sorted "value=label" list for comparison.
func optionSet(opts []PropertyOption) string {
	s := make([]string, len(opts))
	for i, o := range opts {
		s[i] = o.Value + "=" + o.Label
	}
	slices.Sort(s)
	return strings.Join(s, ", ")
}

// EnsureGroup makes sure the property group want exists, like EnsureProperty:
// created, unchanged, or drift (label, and display order when want sets it).
func (s *PropertiesService) EnsureGroup(ctx context.Context, objectType string, want *PropertyGroupCreate) (*PropertyGroup, EnsureOutcome, error) {
	if want == nil || want.Name == "" || want.Label == "" {
		return nil, "", &InputError{Field: "name/label", Reason: "a property group needs a name and a label"}
	}
	got, _, err := s.GetGroup(ctx, objectType, want.Name)
	if errors.Is(err, ErrNotFound) {
		created, _, cerr := s.CreateGroup(ctx, objectType, want)
		if cerr == nil {
			return created, EnsureCreated, nil
		}
		if !errors.Is(cerr, ErrConflict) {
			return nil, "", cerr
		}
		got, _, err = s.GetGroup(ctx, objectType, want.Name)
	}
	if err != nil {
		return nil, "", err
	}
	var diffs []FieldDiff
	if want.Label != got.Label {
		diffs = append(diffs, FieldDiff{Field: "label", Want: want.Label, Got: got.Label})
	}
	if want.DisplayOrder != nil && *want.DisplayOrder != got.DisplayOrder {
		diffs = append(diffs, FieldDiff{Field: "displayOrder", Want: strconv.Itoa(*want.DisplayOrder), Got: strconv.Itoa(got.DisplayOrder)})
	}
	if len(diffs) > 0 {
		return got, EnsureDrift, &DriftError{Kind: "property group", ObjectType: objectType, Name: want.Name, Diffs: diffs}
	}
	return got, EnsureUnchanged, nil
}
