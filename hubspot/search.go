package hubspot

type SearchLimits struct{}
var DefaultSearchLimits = SearchLimits{}
