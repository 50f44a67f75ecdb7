package mapping

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// PropHubSpotID is HubSpot's record ID property (hs_object_id), the value a
// HubSpot-ID field stores in ConnectWise.
const PropHubSpotID = "hs_object_id"

// maxCustomFieldCaption: UserDefinedField caption "max 25"
// (connectwise-api.md §7, S10/S9 UserDefinedField).
const maxCustomFieldCaption = 25

// ErrCaption is returned (wrapped) by StoreHubSpotID and CheckCaption for a
// custom-field caption that cannot hold the HubSpot ID.
var ErrCaption = errors.New("unusable custom field caption")

// HubSpotIDField returns the field mapping that writes the HubSpot record ID
// (hs_object_id) into the ConnectWise custom field with the given caption:
// "customFields[caption=<caption>]/value", toward ConnectWise only.
//
// ConnectWise has no upsert, so the engine can only make a create toward
// ConnectWise safe to replay after a crash by finding the record again; with
// this field it searches customFieldConditions for the HubSpot ID it wrote
// (connectwise-api.md §4, §7). Objects without an identifier or email, such
// as opportunities, have no other key.
//
// The value is written as a decimal string, the form a Text custom field
// holds; Text is the recommended type, since every HubSpot ID fits it. For a
// Number custom field set Transform to []Step{S("number")} so that a JSON
// number is sent: what ConnectWise does with a string sent to a Number field
// is not documented (connectwise-api.md §7 only says values are string,
// number or bool by type). The field itself must exist in ConnectWise
// (System > Setup Tables > User Defined Fields, on the object's screen);
// custom fields are per tenant. Prefer [Spec.StoreHubSpotID], which checks
// the caption and the object.
func HubSpotIDField(caption string) FieldMapping {
	return FieldMapping{
		HubSpot:     PropHubSpotID,
		ConnectWise: "customFields[caption=" + caption + "]/value",
		Direction:   ToConnectWise,
		// Kind number: hs_object_id is a read-only number property
		// ("Record ID", payloads schema-deals-trimmed.json; hubspot-api.md
		// §6), so Check accepts the field against a live schema; cw=string
		// writes "123", the form of a Text custom field.
		Transform: []Step{S("number", "cw", "string")},
	}
}

// StoreHubSpotID makes the object mapping named object store each record's
// HubSpot ID in the ConnectWise custom field with the given caption (see
// [HubSpotIDField]), replacing an earlier HubSpot-ID field of the object. It
// is what makes HubSpot-born deals creatable in ConnectWise: [Default] does
// not include it, because the custom field has to exist in the tenant first.
//
//	spec := mapping.Default()
//	err := spec.StoreHubSpotID(mapping.ObjectDeals, "HubSpot Deal ID")
//
// It fails for an unknown object and for a caption [CheckCaption] refuses.
// The ID is written only while the object flows toward ConnectWise.
func (s *Spec) StoreHubSpotID(object, caption string) error {
	o := s.Object(object)
	if o == nil {
		return fmt.Errorf("mapping: store HubSpot ID: no object mapping %q", object)
	}
	if err := CheckCaption(caption); err != nil {
		return fmt.Errorf("mapping: store HubSpot ID on %s: %w", object, err)
	}
	f := HubSpotIDField(caption)
	if old := o.Field(PropHubSpotID); old != nil {
		*old = f
		return nil
	}
	o.Fields = append(o.Fields, f)
	return nil
}

// CheckCaption reports whether caption can name the custom field of a
// HubSpot-ID field: not empty, no surrounding spaces, at most 25 characters
// (ConnectWise's limit on user-defined field captions, connectwise-api.md
// §7), and none of the characters ] , = ' " that delimit path selectors and
// condition literals. Errors wrap [ErrCaption].
func CheckCaption(caption string) error {
	switch {
	case caption == "":
		return fmt.Errorf("%w: empty", ErrCaption)
	case strings.TrimSpace(caption) != caption:
		return fmt.Errorf("%w: %q has leading or trailing spaces", ErrCaption, caption)
	case utf8.RuneCountInString(caption) > maxCustomFieldCaption:
		return fmt.Errorf("%w: %q is longer than %d characters", ErrCaption, caption, maxCustomFieldCaption)
	case strings.ContainsAny(caption, `],='"[`):
		return fmt.Errorf("%w: %q contains one of [ ] , = ' \"", ErrCaption, caption)
	}
	return nil
}
