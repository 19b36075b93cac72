package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// PyJSON encodes v the way the original client's Python json.dumps does:
// members in order, ", " and ": " separators, non-ASCII escaped as \uXXXX,
// "/" not escaped. Objects are Extra values (ordered); json.RawMessage is
// re-encoded token by token so nested objects keep their order; other
// values are strings, bools, nil, json.Number, ints, floats and []any.
// Signatures are computed over these exact bytes.
func PyJSON(v any) []byte {
	var b bytes.Buffer
	pyEncode(&b, v)
	return b.Bytes()
}

func pyEncode(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case Extra:
		b.WriteByte('{')
		for i, kv := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			pyString(b, kv.Key)
			b.WriteString(": ")
			pyEncode(b, kv.Value)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			pyEncode(b, e)
		}
		b.WriteByte(']')
	case json.RawMessage:
		pyRaw(b, x)
	case string:
		pyString(b, x)
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case json.Number:
		b.WriteString(string(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(PyFloat(x))
	default:
		pyString(b, fmt.Sprint(x))
	}
}

// PyFloat renders a float like Python's repr: shortest round trip, with
// ".0" for whole numbers.
func PyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !bytes.ContainsAny([]byte(s), ".eEn") {
		s += ".0"
	}
	return s
}

func pyString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r >= 0x7f && r < 0x10000):
			fmt.Fprintf(b, `\u%04x`, r)
		case r >= 0x10000:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// pyRaw re-encodes raw JSON with Python's separators, keeping order.
func pyRaw(b *bytes.Buffer, raw []byte) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	type frame struct {
		obj   bool
		count int
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			b.WriteByte(byte(d))
			continue
		}
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			switch {
			case top.obj && top.count%2 == 1:
				b.WriteString(": ")
			case top.count > 0:
				b.WriteString(", ")
			}
			top.count++
		}
		switch x := tok.(type) {
		case json.Delim:
			b.WriteByte(byte(x))
			stack = append(stack, frame{obj: x == '{'})
		default:
			pyEncode(b, x)
		}
	}
}
