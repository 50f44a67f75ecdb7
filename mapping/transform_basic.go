package mapping

import (
	"encoding/json"
	"strings"
	"unicode"
)

func builtins() map[string]Factory {
	return map[string]Factory{
		"trim":     stringFunc(strings.TrimSpace),
		"lower":    stringFunc(func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }),
		"upper":    stringFunc(func(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }),
		"text":     newText,
		"email":    newEmail,
		"phone":    newPhone,
		"number":   newNumber,
		"bool":     newBool,
		"not":      newNot,
		"date":     newDate,
		"datetime": newDatetime,
		"map":      newValueMap,
		"lookup":   newLookup,
		"split":    newSplit,
		"concat":   newConcat,
		"join":     newJoin,
		"const":    newConst,
		"default":  newDefault,
		"domain":   newDomain,
		"list":     newList,
		"maxlen":   newMaxLen,
	}
}

// stringFunc makes a reversible normalising transform from f: it applies f
// to strings both ways and leaves other values alone.
func stringFunc(f func(string) string) Factory {
	return func(st Step) (*Transform, error) {
		if err := argsOf(st).done(false); err != nil {
			return nil, err
		}
		apply := func(v any, _ *Env) (any, error) {
			if s, ok := v.(string); ok {
				return f(s), nil
			}
			return v, nil
		}
		return &Transform{
			ToHubSpot: apply, ToConnectWise: apply, Reversible: true,
			Normalize: func(s string) (string, error) { return f(s), nil },
		}, nil
	}
}

// newText renders any scalar as a string toward HubSpot and writes strings
// toward ConnectWise.
func newText(st Step) (*Transform, error) {
	if err := argsOf(st).done(false); err != nil {
		return nil, err
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			s, ok := scalarString(v)
			if !ok {
				return nil, invalid("%T is not a scalar", v)
			}
			return s, nil
		},
		ToConnectWise: func(v any, _ *Env) (any, error) { return v, nil },
		Reversible:    true,
		Kind:          KindString,
	}, nil
}

// normalizeEmail trims and lower-cases an address and checks its shape. The
// check is deliberately loose: one @, a non-empty local part, a dotted or
// bracketed domain, no spaces.
func normalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" {
		return "", nil
	}
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") ||
		strings.IndexFunc(e, unicode.IsSpace) >= 0 ||
		(!strings.Contains(domain, ".") && !strings.HasPrefix(domain, "[")) ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", invalid("not an email address")
	}
	return e, nil
}

func newEmail(st Step) (*Transform, error) {
	if err := argsOf(st).done(false); err != nil {
		return nil, err
	}
	apply := func(v any, _ *Env) (any, error) {
		if v == nil {
			return nil, nil
		}
		s, ok := v.(string)
		if !ok {
			return nil, invalid("email must be a string")
		}
		return normalizeEmail(s)
	}
	return &Transform{ToHubSpot: apply, ToConnectWise: apply, Reversible: true, Kind: KindString, Normalize: normalizeEmail}, nil
}

// normalizePhone keeps a leading "+" and the digits. Punctuation (spaces,
// dots, dashes, parentheses, slashes) is dropped; an extension introduced by
// "x", "ext" or "#" is kept as "x<digits>". Letters elsewhere are an error.
func normalizePhone(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", nil
	}
	var b strings.Builder
	b.Grow(len(t))
	ext := ""
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '+' && b.Len() == 0:
			b.WriteByte(c)
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '/':
		case c == 'x' || c == 'X' || c == '#' || c == 'e' || c == 'E':
			rest := strings.TrimLeft(strings.ToLower(t[i:]), "#xet. :")
			if rest == "" || !digits(rest) {
				return "", invalid("bad phone extension")
			}
			ext = "x" + rest
			i = len(t)
		default:
			return "", invalid("not a phone number")
		}
	}
	n := b.String()
	if strings.TrimPrefix(n, "+") == "" {
		return "", invalid("phone number has no digits")
	}
	return n + ext, nil
}

func newPhone(st Step) (*Transform, error) {
	if err := argsOf(st).done(false); err != nil {
		return nil, err
	}
	apply := func(v any, _ *Env) (any, error) {
		if v == nil {
			return nil, nil
		}
		s, ok := scalarString(v)
		if !ok {
			return nil, invalid("phone must be a string")
		}
		return normalizePhone(s)
	}
	return &Transform{ToHubSpot: apply, ToConnectWise: apply, Reversible: true, Kind: KindString, Normalize: normalizePhone}, nil
}

// newNumber converts numbers (or numeric strings) to HubSpot's canonical
// number string and back to a JSON number (cw=number, default) or a string
// (cw=string, for ConnectWise text fields that hold numbers such as
// userDefinedField5, connectwise-api.md §6).
func newNumber(st Step) (*Transform, error) {
	a := argsOf(st)
	cw, err := a.cwKind("number")
	if err != nil {
		return nil, err
	}
	if err := a.done(false); err != nil {
		return nil, err
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			if _, isBool := v.(bool); isBool {
				return nil, invalid("boolean is not a number")
			}
			s, ok := scalarString(v)
			if !ok {
				return nil, invalid("not a number")
			}
			if strings.TrimSpace(s) == "" {
				return nil, nil
			}
			return normalizeDecimal(s)
		},
		ToConnectWise: func(v any, _ *Env) (any, error) {
			s, ok := v.(string)
			if !ok || s == "" {
				return v, nil
			}
			n, err := normalizeDecimal(s)
			if err != nil {
				return nil, err
			}
			if cw == "string" {
				return n, nil
			}
			return json.Number(n), nil
		},
		Reversible: true,
		Kind:       KindNumber,
		Normalize:  normalizeDecimal,
	}, nil
}

func normalizeBool(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	b, err := parseBool(s)
	if err != nil {
		return "", err
	}
	if b {
		return "true", nil
	}
	return "false", nil
}

// newBool converts booleans (also "1"/"0", "yes"/"no") to "true"/"false"
// and back to a JSON bool (cw=bool, default) or string (cw=string). With
// negate=true it also inverts the value (see "not").
func newBool(st Step) (*Transform, error) {
	a := argsOf(st)
	cw, err := a.cwKind("bool")
	if err != nil {
		return nil, err
	}
	if err := a.done(false); err != nil {
		return nil, err
	}
	return boolTransform(cw, false), nil
}

// newNot is bool with inversion: ConnectWise inactiveFlag=true becomes a
// HubSpot "active" of "false", and back.
func newNot(st Step) (*Transform, error) {
	a := argsOf(st)
	cw, err := a.cwKind("bool")
	if err != nil {
		return nil, err
	}
	if err := a.done(false); err != nil {
		return nil, err
	}
	return boolTransform(cw, true), nil
}

func boolTransform(cw string, negate bool) *Transform {
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				return nil, nil
			}
			b, err := parseBool(v)
			if err != nil {
				return nil, err
			}
			if b != negate {
				return "true", nil
			}
			return "false", nil
		},
		ToConnectWise: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			b, err := parseBool(v)
			if err != nil {
				return nil, err
			}
			b = b != negate
			if cw == "string" {
				if b {
					return "true", nil
				}
				return "false", nil
			}
			return b, nil
		},
		Reversible: true,
		Kind:       KindBool,
		Normalize:  normalizeBool,
	}
}

// newDomain reduces a website to its host name, lower-cased, without scheme,
// "www.", port or path ("https://www.Example.com/about" -> "example.com"),
// for HubSpot's company domain. One-way toward HubSpot.
func newDomain(st Step) (*Transform, error) {
	if err := argsOf(st).done(false); err != nil {
		return nil, err
	}
	return &Transform{ToHubSpot: func(v any, _ *Env) (any, error) {
		if v == nil {
			return nil, nil
		}
		s, ok := v.(string)
		if !ok {
			return nil, invalid("website must be a string")
		}
		d := strings.ToLower(strings.TrimSpace(s))
		if i := strings.Index(d, "://"); i >= 0 {
			d = d[i+3:]
		}
		if i := strings.IndexAny(d, "/?#"); i >= 0 {
			d = d[:i]
		}
		if i := strings.LastIndexByte(d, '@'); i >= 0 {
			d = d[i+1:]
		}
		if i := strings.IndexByte(d, ':'); i >= 0 {
			d = d[:i]
		}
		d = strings.TrimSuffix(strings.TrimPrefix(d, "www."), ".")
		if d == "" {
			return nil, nil
		}
		if strings.IndexFunc(d, unicode.IsSpace) >= 0 || !strings.Contains(d, ".") {
			return nil, invalid("not a web domain")
		}
		return d, nil
	}, Kind: KindString}, nil
}
