package connectwise

import "strings"

// quote writes a string literal. ConnectWise accepts double or single quotes
// ("String values should be enclosed with double or single quotes", S12) and no
// escape rule inside them is documented (connectwise-api.md §11b). So a value is
// never escaped: it is enclosed in the quote character it does not contain, and a
// value containing both kinds is refused with a *ConditionError rather than sent in a
// form whose meaning is unknown.
//
// A backslash is refused too: the fake (connectwisetest) and many query languages
// read it as an escape character while ConnectWise documents none, so a value with a
// backslash has no meaning every reader agrees on.
func quote(field, s string) (string, error) {
	if strings.Contains(s, `\`) {
		return "", &ConditionError{Field: field, Value: s, Reason: "a string containing a backslash cannot be quoted safely (ConnectWise documents no escape rule); use Contains with a part of the value"}
	}
	switch {
	case !strings.Contains(s, `"`):
		return `"` + s + `"`, nil
	case !strings.Contains(s, `'`):
		return `'` + s + `'`, nil
	}
	return "", &ConditionError{Field: field, Value: s, Reason: "a string containing both \" and ' cannot be quoted safely (ConnectWise documents no escape rule); filter on another field or use Contains with a part of the value"}
}
