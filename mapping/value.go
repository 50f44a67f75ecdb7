package mapping

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Values holds one record's mapped fields in HubSpot string form, keyed by
// HubSpot property name. An absent key means "no value"; the empty string is
// never stored (HubSpot and ConnectWise both use it for "no value", so it is
// folded into absence to keep the three-way diff free of echo loops).
type Values map[string]string

// scalarString renders a decoded JSON scalar as a string. It accepts the
// forms encoding/json produces (string, float64, json.Number, bool) and Go
// integers. Maps, slices and nil report false.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	case float64:
		return formatFloat(x), true
	case float32:
		return formatFloat(float64(x)), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	}
	return "", false
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// hubSpotString converts the end of a ConnectWise-to-HubSpot chain into the
// HubSpot string form. nil and "" are absent; maps and slices are an error.
func hubSpotString(v any) (string, bool, error) {
	if v == nil {
		return "", false, nil
	}
	s, ok := scalarString(v)
	if !ok {
		return "", false, invalid("%T is not a scalar; add a transform or a deeper path", v)
	}
	if s == "" {
		return "", false, nil
	}
	return s, true, nil
}

// normalizeDecimal turns a decimal number into HubSpot's canonical number
// form: optional "-", no "+", no leading zeros, no trailing fractional zeros,
// no exponent. HubSpot refuses thousands separators and more than one period
// (hubspot-api.md §6, cl: upcoming-increased-validation-for-contact-updates).
func normalizeDecimal(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", invalid("empty number")
	}
	if strings.ContainsAny(t, "eE") {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return "", invalid("not a number")
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if (intPart == "" && frac == "") || !digits(intPart) || !digits(frac) || (hasDot && strings.Contains(frac, ".")) {
		return "", invalid("not a number")
	}
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseBool accepts the boolean spellings seen on both sides.
func parseBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case json.Number, float64, int, int64:
		s, _ := scalarString(x)
		switch s {
		case "0":
			return false, nil
		case "1":
			return true, nil
		}
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes", "y", "on":
			return true, nil
		case "false", "0", "no", "n", "off":
			return false, nil
		}
	}
	return false, invalid("not a boolean")
}

// literal turns a selector or filter literal into the value ConnectWise uses:
// true/false become booleans, integers become json.Number, the rest strings.
func literal(s string) any {
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	if isJSONInt(s) {
		return json.Number(s)
	}
	return s
}

// isJSONInt reports whether s is an integer in JSON's grammar (no leading
// zeros, no "+"), so that json.Number(s) marshals.
func isJSONInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && digits(s) && (s == "0" || s[0] != '0')
}

// isJSONNumber reports whether s is a number in JSON's grammar.
func isJSONNumber(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || !json.Valid([]byte(s)) {
		return false
	}
	c := s[0]
	return c == '-' || (c >= '0' && c <= '9')
}
