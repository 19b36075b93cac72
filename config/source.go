package config

import (
	"strings"
)

// raw is one setting as found in one source, before normalisation.
type raw struct {
	v     any    // nil, bool, Number, string, []any, []string, *Object
	where string // file name, "command line" or "environment"
	key   string // as the user spelled it: "ttl", "--ttl", "DDNS_TTL"
	cli   bool   // from the command line (list unwrapping applies)
}

func (r raw) fail(format string, a ...any) *Error {
	return errorf(2, r.where, r.key, show(r.v), format, a...)
}

// show renders a raw value for an error message.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return quote(x)
	case Number:
		return string(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case []any:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = show(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case *Object:
		return "{…}"
	}
	return "?"
}

func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// layers is every source of one effective configuration, highest
// precedence first.
type layers struct {
	cli  map[string]raw
	file map[string]raw
	env  map[string]raw
}

// pick returns the value of key from the highest-precedence source that
// has it. A JSON null counts as present: it hides the environment.
func (l layers) pick(key string) (raw, bool) {
	for _, m := range []map[string]raw{l.cli, l.file, l.env} {
		if r, ok := m[key]; ok {
			return r, true
		}
	}
	return raw{}, false
}
