package config

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Object is a JSON object that remembers the order of its keys: flattening,
// extras and callback templates all depend on document order.
type Object struct {
	Keys []string
	Vals map[string]any
}

// Get returns the value of key and whether it is present.
func (o *Object) Get(key string) (any, bool) {
	v, ok := o.Vals[key]
	return v, ok
}

// Set sets key, keeping the position of an existing key (as a Python dict
// does when a key is repeated).
func (o *Object) Set(key string, v any) {
	if o.Vals == nil {
		o.Vals = map[string]any{}
	}
	if _, ok := o.Vals[key]; !ok {
		o.Keys = append(o.Keys, key)
	}
	o.Vals[key] = v
}

// Delete removes key.
func (o *Object) Delete(key string) {
	if _, ok := o.Vals[key]; !ok {
		return
	}
	delete(o.Vals, key)
	for i, k := range o.Keys {
		if k == key {
			o.Keys = append(o.Keys[:i:i], o.Keys[i+1:]...)
			break
		}
	}
}

// Number is a JSON number kept as written, so that 300 and 3.5 stay
// distinguishable and large integers lose nothing.
type Number string

// ParseJSONC parses the configuration dialect the original client accepts:
// JSON plus `#` and `//` comments outside strings, trailing commas,
// single-quoted strings, Python's True/False/None, and a leading UTF-8 BOM.
// Values are nil, bool, Number, string, []any or *Object. Errors carry a
// line and column.
func ParseJSONC(data []byte) (any, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &parser{src: data}
	p.skip()
	if p.pos >= len(p.src) {
		return nil, p.errorf("empty document")
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q after the document", p.src[p.pos])
	}
	return v, nil
}

// maxDepth stops hostile input from exhausting the stack.
const maxDepth = 64

type parser struct {
	src []byte
	pos int
}

func (p *parser) errorf(format string, a ...any) error {
	line, col := 1, 1
	for _, c := range p.src[:min(p.pos, len(p.src))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d column %d: %s", line, col, fmt.Sprintf(format, a...))
}

// skip passes over blanks and comments.
func (p *parser) skip() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case c == '#' || (c == '/' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '/'):
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end of document")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"' || c == '\'':
		return p.str()
	case c == '-' || c == '+' || (c >= '0' && c <= '9') || c == '.':
		return p.number()
	default:
		return p.word()
	}
}

func (p *parser) object(depth int) (any, error) {
	o := &Object{Vals: map[string]any{}}
	p.pos++ // {
	for {
		switch done, err := p.end('}', "object"); {
		case err != nil:
			return nil, err
		case done:
			return o, nil
		}
		if c := p.src[p.pos]; c != '"' && c != '\'' {
			return nil, p.errorf("expected a quoted key, found %q", c)
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skip()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.errorf("expected ':' after key %q", k)
		}
		p.pos++
		p.skip()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		o.Set(k, v)
		if err := p.separator('}', "object"); err != nil {
			return nil, err
		}
	}
}

func (p *parser) array(depth int) (any, error) {
	out := []any{}
	p.pos++ // [
	for {
		switch done, err := p.end(']', "array"); {
		case err != nil:
			return nil, err
		case done:
			return out, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if err := p.separator(']', "array"); err != nil {
			return nil, err
		}
	}
}

// end reports whether an object or array ends here, consuming its
// closing bracket; the input running out first is an error.
func (p *parser) end(closing byte, what string) (bool, error) {
	p.skip()
	if p.pos >= len(p.src) {
		return false, p.errorf("unterminated %s", what)
	}
	if p.src[p.pos] == closing {
		p.pos++
		return true, nil
	}
	return false, nil
}

// separator reads what follows a member of an object or array: a comma,
// consumed, or its closing bracket, left for the loop to see.
func (p *parser) separator(closing byte, what string) error {
	p.skip()
	switch {
	case p.pos < len(p.src) && p.src[p.pos] == ',':
		p.pos++
		return nil
	case p.pos < len(p.src) && p.src[p.pos] == closing:
		return nil
	}
	return p.errorf("expected ',' or '%c' in %s", closing, what)
}

func (p *parser) str() (string, error) {
	quote := p.src[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == quote:
			p.pos++
			return b.String(), nil
		case c == '\n':
			return "", p.errorf("newline in string")
		case c == '\\':
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			p.pos++
			b.WriteByte(c)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *parser) escape(b *strings.Builder) error {
	p.pos++ // backslash
	if p.pos >= len(p.src) {
		return p.errorf("unterminated escape")
	}
	c := p.src[p.pos]
	p.pos++
	switch c {
	case '"', '\'', '\\', '/':
		b.WriteByte(c)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, err := p.hex4()
		if err != nil {
			return err
		}
		if r >= 0xD800 && r < 0xDC00 && p.pos+1 < len(p.src) && p.src[p.pos] == '\\' && p.src[p.pos+1] == 'u' {
			save := p.pos
			p.pos += 2
			lo, err := p.hex4()
			if err == nil && lo >= 0xDC00 && lo < 0xE000 {
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
			} else {
				p.pos = save
			}
		}
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	default:
		return p.errorf("invalid escape \\%c", c)
	}
	return nil
}

func (p *parser) hex4() (rune, error) {
	if p.pos+4 > len(p.src) {
		return 0, p.errorf("short \\u escape")
	}
	n, err := strconv.ParseUint(string(p.src[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, p.errorf("invalid \\u escape")
	}
	p.pos += 4
	return rune(n), nil
}

func (p *parser) number() (any, error) {
	start := p.pos
	for p.pos < len(p.src) && strings.IndexByte("+-0123456789.eE", p.src[p.pos]) >= 0 {
		p.pos++
	}
	text := string(p.src[start:p.pos])
	if _, err := strconv.ParseFloat(text, 64); err != nil {
		p.pos = start
		return nil, p.errorf("invalid number")
	}
	return Number(strings.TrimPrefix(text, "+")), nil
}

func (p *parser) word() (any, error) {
	start := p.pos
	for p.pos < len(p.src) && isWordByte(p.src[p.pos]) {
		p.pos++
	}
	switch w := string(p.src[start:p.pos]); w {
	case "true", "True":
		return true, nil
	case "false", "False":
		return false, nil
	case "null", "None":
		return nil, nil
	case "":
		return nil, p.errorf("unexpected %q", p.src[p.pos])
	default:
		p.pos = start
		return nil, p.errorf("unexpected word (text values need quotes)")
	}
}

func isWordByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
