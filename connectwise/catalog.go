package connectwise

// CatalogItem is a procurement/catalog record: a product (S9; amp-labs lists
// "catalog" among the objects with customFields, S11).
type CatalogItem struct {
	ID                  int          `json:"id,omitempty"`
	Identifier          *string      `json:"identifier,omitempty"`  // required, max 50
	Description         *string      `json:"description,omitempty"` // required, max 60
	InactiveFlag        *bool        `json:"inactiveFlag,omitempty"`
	Subcategory         *Reference   `json:"subcategory,omitempty"` // required
	Type                *Reference   `json:"type,omitempty"`        // required
	ProductClass        *string      `json:"productClass,omitempty"`
	SerializedFlag      *bool        `json:"serializedFlag,omitempty"`
	SerializedCostFlag  *bool        `json:"serializedCostFlag,omitempty"`
	PhaseProductFlag    *bool        `json:"phaseProductFlag,omitempty"`
	UnitOfMeasure       *Reference   `json:"unitOfMeasure,omitempty"` // required
	MinStockLevel       *int         `json:"minStockLevel,omitempty"`
	Price               *float64     `json:"price,omitempty"`
	Cost                *float64     `json:"cost,omitempty"`
	PriceAttribute      *string      `json:"priceAttribute,omitempty"`
	TaxableFlag         *bool        `json:"taxableFlag,omitempty"`
	CustomerDescription *string      `json:"customerDescription,omitempty"` // required, max 60
	Manufacturer        *Reference   `json:"manufacturer,omitempty"`
	ManufacturerPartNo  *string      `json:"manufacturerPartNumber,omitempty"`
	Vendor              *Reference   `json:"vendor,omitempty"`
	VendorSku           *string      `json:"vendorSku,omitempty"`
	Notes               *string      `json:"notes,omitempty"`
	Category            *Reference   `json:"category,omitempty"`
	DateEntered         *Time        `json:"dateEntered,omitempty"`
	CustomFields        CustomFields `json:"customFields,omitempty"`
	Info                *Info        `json:"_info,omitempty"`
}

// CatalogItemsService manages procurement/catalog.
type CatalogItemsService struct {
	Resource[CatalogItem]
}

func newCatalogItems(c *Client) *CatalogItemsService {
	return &CatalogItemsService{newResource[CatalogItem](c, "procurement/catalog")}
}
