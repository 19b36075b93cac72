package config

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// templateKeys is the template's key order (spec Appendix A).
var templateKeys = []string{"$schema", "dns", "id", "token", "ipv4", "index4", "ipv6", "index6", "ttl", "line", "proxy", "cache", "cache_max_age", "ssl", "log"}

// template renders the configuration template with the given values
// replacing the defaults. Keys of vals: the template's keys, and
// log_level, log_file, log_format, log_datefmt.
func template(vals map[string]any) []byte {
	def := map[string]any{
		"$schema":       "https://ddns.newfuture.cc/schema/v4.1.json",
		"dns":           "debug",
		"id":            "YOUR ID or EMAIL for DNS Provider",
		"token":         "YOUR TOKEN or KEY for DNS Provider",
		"ipv4":          []any{"ddns.newfuture.cc"},
		"index4":        []any{"default"},
		"ipv6":          []any{},
		"index6":        []any{},
		"ttl":           json.Number("600"),
		"line":          nil,
		"proxy":         []any{},
		"cache":         true,
		"cache_max_age": json.Number("259200"),
		"ssl":           "auto",
	}
	logv := &Object{}
	for _, k := range []string{"file", "level", "format", "datefmt"} {
		var v any
		if k == "level" {
			v = "INFO"
		}
		if x, ok := vals["log_"+k]; ok {
			v = x
		}
		logv.Set(k, v)
	}
	if dns, ok := vals["dns"].(string); ok {
		if _, given := vals["id"]; !given && idOptional[strings.ToLower(dns)] {
			delete(def, "id") // a placeholder id would be rejected at the next run
		}
	}
	o := &Object{}
	for _, k := range templateKeys {
		v, ok := def[k]
		if x, given := vals[k]; given {
			v, ok = x, true
		}
		if k == "log" {
			v, ok = logv, true
		}
		if ok {
			o.Set(k, v)
		}
	}
	// Settings the template does not show by default (endpoint,
	// concurrency, …) are written when given, in the documented order.
	for _, k := range settingKeys {
		if _, shown := o.Vals[k]; shown || strings.HasPrefix(k, "log_") {
			continue
		}
		if x, given := vals[k]; given {
			o.Set(k, x)
		}
	}
	if ex, ok := vals["extra"].(*Object); ok && len(ex.Keys) > 0 {
		o.Set("extra", ex)
	}
	var b bytes.Buffer
	encode(&b, o, "  ", "")
	return b.Bytes()
}

// idOptional are the providers that need no id (Cloudflare with an API
// token, the single-key services, the debug printer).
var idOptional = map[string]bool{"cloudflare": true, "he": true, "he_net": true, "namesilo": true, "namesilo_com": true, "debug": true, "print": true}

// templateFromCLI fills the template with the command line's values, as
// the user typed them (--extra.KEY too); validation happens when the file
// is loaded.
func templateFromCLI(cli map[string]raw, extras []cliExtra) ([]byte, error) {
	vals := map[string]any{}
	if len(extras) > 0 {
		ex := &Object{}
		for _, e := range extras {
			ex.Set(e.key, e.val)
		}
		vals["extra"] = ex
	}
	for k, r := range cli {
		v := r.v
		switch x := v.(type) {
		case []string:
			l := make([]any, len(x))
			for i, s := range x {
				l[i] = s
			}
			v = l
		case string:
			switch k {
			case "ttl", "cache_max_age", "concurrency":
				if n, ok := asInt(x); ok {
					v = json.Number(strconv.Itoa(n))
				}
			case "cache", "ssl":
				if b, _, isBool := asBoolish(x); isBool {
					v = b
				}
			case "log_level":
				if n, err := levelName(r); err == nil {
					v = n
				}
			}
		}
		vals[k] = v
	}
	return template(vals), nil
}

// EncodeJSON renders an ordered object as compact JSON, keeping key order.
func EncodeJSON(o *Object) string {
	var b bytes.Buffer
	encode(&b, o, "", "")
	return b.String()
}

// encode writes v as JSON; with a non-empty indent, pretty-printed the way
// Python's json.dump(indent=2) does (empty lists stay "[]").
func encode(b *bytes.Buffer, v any, indent, prefix string) {
	nl := func(p string) {
		if indent != "" {
			b.WriteString("\n" + p)
		}
	}
	sep := ":"
	if indent != "" {
		sep = ": "
	}
	switch x := v.(type) {
	case *Object:
		if len(x.Keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range x.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(prefix + indent)
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteString(sep)
			encode(b, x.Vals[k], indent, prefix+indent)
		}
		nl(prefix)
		b.WriteByte('}')
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(prefix + indent)
			encode(b, e, indent, prefix+indent)
		}
		nl(prefix)
		b.WriteByte(']')
	case Number:
		b.WriteString(string(x))
	default:
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		enc.Encode(x)
		b.Truncate(b.Len() - 1) // Encode's newline
	}
}
