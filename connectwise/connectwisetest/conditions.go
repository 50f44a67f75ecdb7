package connectwisetest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// LiteralRules is the text the API appends to malformed-literal errors (the
// server message quoted by connectwise-rest's README, connectwise-api.md §4).
const LiteralRules = "String values should be enclosed with double or single quotes; " +
	"DateTime values should be enclosed in square brackets; numbers should consist of only digits, " +
	"and optionally a decimal point and a negation sign; boolean values should be indicated with " +
	"the keywords true or false; null values should be indicated by the keyword null."

// ConditionError is a malformed conditions, childConditions,
// customFieldConditions or orderBy string. The API answers it with 400 and
// {"code": Code, "message": Message}; Code is "ApiFindCondition" as in the
// captured "ticket is not a recognized name." (payload error-400-apifindcondition.json).
type ConditionError struct {
	Code    string
	Message string
	// Pos is the byte offset in the input where the problem was found.
	Pos int
}

// Error implements error.
func (e *ConditionError) Error() string { return e.Code + ": " + e.Message }

func condErr(pos int, format string, args ...any) *ConditionError {
	return &ConditionError{Code: "ApiFindCondition", Message: fmt.Sprintf(format, args...), Pos: pos}
}

// Expr is a parsed condition expression: *[Logical], *[Not] or *[Comparison].
type Expr interface {
	// String renders the expression canonically: fully parenthesised and/or,
	// lower-case keywords, strings in double quotes with backslash escapes.
	String() string
	isExpr()
}

// Logical is "Left and Right" or "Left or Right".
type Logical struct {
	Op          string // "and" or "or"
	Left, Right Expr
}

// Not is "not X".
type Not struct{ X Expr }

// Comparison is one field test: "company/id = 5", "name like 'A%'",
// "status/id not in (1, 2)".
type Comparison struct {
	// Field is the path as written, e.g. "company/id" or "LastUpdated".
	Field string
	// Op is one of = != < <= > >= like contains in (lower case).
	Op string
	// Negated is set for "not like", "not contains", "not in".
	Negated bool
	// Value is the operand of every operator but "in".
	Value Literal
	// Values are the operands of "in".
	Values []Literal
}

// LiteralKind tells the kinds of [Literal] apart.
type LiteralKind int

// Literal kinds.
const (
	StringLit LiteralKind = iota + 1
	NumberLit
	BoolLit
	NullLit
	DateTimeLit
)

// Literal is a value in a condition.
type Literal struct {
	Kind LiteralKind
	Str  string    // StringLit: the unescaped value
	Num  float64   // NumberLit
	Bool bool      // BoolLit
	Time time.Time // DateTimeLit (UTC)
}

func (*Logical) isExpr()    {}
func (*Not) isExpr()        {}
func (*Comparison) isExpr() {}

// String renders "(left op right)".
func (l *Logical) String() string {
	return "(" + l.Left.String() + " " + l.Op + " " + l.Right.String() + ")"
}

// String renders "not x".
func (n *Not) String() string { return "not " + n.X.String() }

// String renders "field op value", with "not" before like, contains and in
// when negated.
func (c *Comparison) String() string {
	op := c.Op
	if c.Negated {
		op = "not " + op
	}
	if c.Op == "in" {
		parts := make([]string, len(c.Values))
		for i, v := range c.Values {
			parts[i] = v.String()
		}
		return c.Field + " " + op + " (" + strings.Join(parts, ", ") + ")"
	}
	return c.Field + " " + op + " " + c.Value.String()
}

// String renders the literal in condition syntax.
func (l Literal) String() string {
	switch l.Kind {
	case StringLit:
		return Quote(l.Str)
	case NumberLit:
		return strconv.FormatFloat(l.Num, 'f', -1, 64)
	case BoolLit:
		return strconv.FormatBool(l.Bool)
	case DateTimeLit:
		return "[" + stamp(l.Time) + "]"
	default:
		return "null"
	}
}

// Quote renders s as a double-quoted condition string with the escaping rule
// this fake implements: a backslash escapes the next character, so `\` is
// written `\\` and `"` is written `\"`.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ { // bytes, so invalid UTF-8 survives
		if s[i] == '\\' || s[i] == '"' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// ParseConditions parses a conditions (or childConditions /
// customFieldConditions) string. An empty or blank string yields (nil, nil).
func ParseConditions(s string) (Expr, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 1 { // only EOF
		return nil, nil
	}
	p := &parser{toks: toks, src: s}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, condErr(t.pos, "Unexpected %q at position %d.", t.text, t.pos)
	}
	return e, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tString
	tNumber
	tDate
	tOp
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string // source text; for tString the unescaped value
	pos  int
	t    time.Time
}

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", i, time.Time{}})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", i, time.Time{}})
			i++
		case c == ',':
			toks = append(toks, token{tComma, ",", i, time.Time{}})
			i++
		case c == '=' || c == '<' || c == '>' || c == '!':
			op := string(c)
			if i+1 < len(s) && s[i+1] == '=' {
				op += "="
			}
			if op == "!" {
				return nil, condErr(i, "Unexpected '!' at position %d. %s", i, LiteralRules)
			}
			toks = append(toks, token{tOp, op, i, time.Time{}})
			i += len(op)
		case c == '\'' || c == '"':
			val, n, ok := lexString(s[i:])
			if !ok {
				return nil, condErr(i, "Unterminated string starting at position %d. %s", i, LiteralRules)
			}
			toks = append(toks, token{tString, val, i, time.Time{}})
			i += n
		case c == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, condErr(i, "Unterminated DateTime starting at position %d. %s", i, LiteralRules)
			}
			raw := s[i+1 : i+end]
			t, ok := parseDateTime(raw)
			if !ok {
				return nil, condErr(i, "%s is not a valid DateTime. %s", raw, LiteralRules)
			}
			toks = append(toks, token{tDate, raw, i, t})
			i += end + 1
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			raw := s[i:j]
			if _, err := strconv.ParseFloat(raw, 64); err != nil || strings.Count(raw, ".") > 1 || raw == "-" {
				return nil, condErr(i, "%s is not a valid number. %s", raw, LiteralRules)
			}
			if j < len(s) && isWordByte(s[j]) {
				for j < len(s) && isWordByte(s[j]) {
					j++
				}
				return nil, condErr(i, "%s is not a valid number. %s", s[i:j], LiteralRules)
			}
			toks = append(toks, token{tNumber, raw, i, time.Time{}})
			i = j
		case isWordStart(rune(c)):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, token{tWord, s[i:j], i, time.Time{}})
			i = j
		default:
			return nil, condErr(i, "Unexpected %q at position %d. %s", string(c), i, LiteralRules)
		}
	}
	return append(toks, token{kind: tEOF, pos: len(s)}), nil
}

// lexString reads a quoted string at the start of s. A backslash escapes the
// next character; inside a string, the quote character doubled ('O”Brien')
// also stands for one quote, as in SQL. It returns the value and the bytes
// consumed.
func lexString(s string) (string, int, bool) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			if i+1 >= len(s) {
				return "", 0, false
			}
			i++
			b.WriteByte(s[i])
		case c == q:
			if i+1 < len(s) && s[i+1] == q {
				b.WriteByte(q)
				i++
				continue
			}
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

func parseDateTime(raw string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(raw)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func isWordStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isWordByte(c byte) bool {
	return c == '_' || c == '/' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

type parser struct {
	toks []token
	i    int
	src  string
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) keyword(kw string) bool {
	t := p.peek()
	if t.kind == tWord && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) or() (Expr, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = &Logical{Op: "or", Left: left, Right: right}
	}
	return left, nil
}

func (p *parser) and() (Expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = &Logical{Op: "and", Left: left, Right: right}
	}
	return left, nil
}

func (p *parser) unary() (Expr, error) {
	if p.keyword("not") {
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	if p.peek().kind == tLParen {
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tRParen {
			return nil, condErr(t.pos, "Expected ')' at position %d.", t.pos)
		}
		return e, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (Expr, error) {
	f := p.next()
	if f.kind != tWord || isKeyword(f.text) {
		if f.kind == tEOF {
			return nil, condErr(f.pos, "Unexpected end of conditions.")
		}
		return nil, condErr(f.pos, "Expected a field name at position %d. %s", f.pos, LiteralRules)
	}
	c := &Comparison{Field: f.text}
	t := p.next()
	switch {
	case t.kind == tOp:
		c.Op = t.text
	case t.kind == tWord && strings.EqualFold(t.text, "not"):
		o := p.next()
		if o.kind != tWord || !isOneOf(o.text, "like", "contains", "in") {
			return nil, condErr(o.pos, "Expected like, contains or in after not at position %d.", o.pos)
		}
		c.Op, c.Negated = strings.ToLower(o.text), true
	case t.kind == tWord && isOneOf(t.text, "like", "contains", "in"):
		c.Op = strings.ToLower(t.text)
	case t.kind == tEOF:
		return nil, condErr(t.pos, "Expected an operator after %s.", f.text)
	default:
		return nil, condErr(t.pos, "%s is not a recognized operator.", t.text)
	}
	if c.Op == "in" {
		if t := p.next(); t.kind != tLParen {
			return nil, condErr(t.pos, "Expected '(' after in at position %d.", t.pos)
		}
		for {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			c.Values = append(c.Values, v)
			t := p.next()
			if t.kind == tRParen {
				break
			}
			if t.kind != tComma {
				return nil, condErr(t.pos, "Expected ',' or ')' at position %d.", t.pos)
			}
		}
		return c, nil
	}
	v, err := p.literal()
	if err != nil {
		return nil, err
	}
	c.Value = v
	return c, nil
}

func (p *parser) literal() (Literal, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return Literal{Kind: StringLit, Str: t.text}, nil
	case tNumber:
		n, _ := strconv.ParseFloat(t.text, 64)
		return Literal{Kind: NumberLit, Num: n}, nil
	case tDate:
		return Literal{Kind: DateTimeLit, Time: t.t}, nil
	case tWord:
		switch strings.ToLower(t.text) {
		case "true":
			return Literal{Kind: BoolLit, Bool: true}, nil
		case "false":
			return Literal{Kind: BoolLit}, nil
		case "null":
			return Literal{Kind: NullLit}, nil
		}
		// An unquoted word where a value belongs is read as a field name.
		return Literal{}, condErr(t.pos, "%s is not a recognized name.", t.text)
	case tEOF:
		return Literal{}, condErr(t.pos, "Expected a value at the end of conditions. %s", LiteralRules)
	}
	return Literal{}, condErr(t.pos, "Expected a value at position %d. %s", t.pos, LiteralRules)
}

func isKeyword(w string) bool {
	return isOneOf(w, "and", "or", "not", "like", "contains", "in", "true", "false", "null")
}

func isOneOf(w string, set ...string) bool {
	for _, s := range set {
		if strings.EqualFold(w, s) {
			return true
		}
	}
	return false
}
