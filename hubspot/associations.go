package hubspot

// Association categories (hubspot-api.md §7, spec: crm-associations-schema).
const (
	AssociationHubSpotDefined    = "HUBSPOT_DEFINED"
	AssociationUserDefined       = "USER_DEFINED"
	AssociationIntegratorDefined = "INTEGRATOR_DEFINED"
)

// AssociationSpec is one association type: its category and id.
type AssociationSpec struct {
	Category string `json:"associationCategory"`
	TypeID   int    `json:"associationTypeId"`
}
