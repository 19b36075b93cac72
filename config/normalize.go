package config

import (
	"errors"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/internal/logging"
)

// isFalseSentinel reports the original's "false" value, valid for every
// key: boolean false, or the text false/none in any case.
func isFalseSentinel(v any) bool {
	switch x := v.(type) {
	case bool:
		return !x
	case string:
		s := strings.ToLower(strings.TrimSpace(x))
		return s == "false" || s == "none"
	}
	return false
}

// unwrap applies the original's first normalisation step: a list option
// given exactly one value on the command line is that single string.
func unwrap(r raw) any {
	if l, ok := r.v.([]string); ok && r.cli && len(l) == 1 {
		return l[0]
	}
	return r.v
}

// asString normalises a text setting; null and false give "". A number,
// true, a list or an object is a type error: the original documents no
// coercion for text keys (endpoint, line, dns, log.file, …).
func asString(r raw) (string, error) {
	return text(r, false)
}

// asStringOrNumber is asString for the keys whose numbers the original
// documents as passing through: id (a numeric account id) and token.
func asStringOrNumber(r raw) (string, error) {
	return text(r, true)
}

func text(r raw, numbers bool) (string, error) {
	v := unwrap(r)
	if v == nil || isFalseSentinel(v) {
		return "", nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case Number:
		if numbers {
			return string(x), nil
		}
		return "", r.fail("must be text, not a number (quote it)")
	case bool:
		return "", r.fail("must be text, not true")
	case []any, []string:
		return "", r.fail("must be text, not a list")
	}
	return "", r.fail("must be text, not an object")
}

// asList normalises a list setting (docs/configuration.md). A real list is kept
// as is; a string is split on ',' or ';'. rules selects the IP-rule
// flavour: items with a rule prefix are kept whole, and numbers (interface
// indexes) and booleans are accepted as items; domain and proxy lists take
// text only.
func asList(r raw, rules bool) ([]string, error) {
	protect := rules
	v := unwrap(r)
	if v == nil {
		return []string{}, nil
	}
	switch x := v.(type) {
	case []string:
		return x, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := scalarText(e)
			if _, isStr := e.(string); !ok || (!rules && !isStr) {
				return nil, r.fail("list items must be strings")
			}
			out = append(out, s)
		}
		return out, nil
	case string:
		return splitList(x, protect), nil
	}
	if s, ok := scalarText(v); ok && rules {
		return []string{s}, nil
	}
	return nil, r.fail("must be a list of strings or a comma-separated string")
}

// scalarText renders a JSON scalar the way the original's str() would for
// list items: numbers as written, booleans as "True"/"False".
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case Number:
		return string(x), true
	case bool:
		if x {
			return "True", true
		}
		return "False", true
	}
	return "", false
}

// asInt parses a whole number from a JSON number or a decimal string.
func asInt(v any) (int, bool) {
	switch x := v.(type) {
	case Number:
		if n, err := strconv.Atoi(string(x)); err == nil {
			return n, true
		}
		if f, err := strconv.ParseFloat(string(x), 64); err == nil && f == float64(int(f)) {
			return int(f), true
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
			return n, true
		}
	}
	return 0, false
}

// asBoolish parses the original's boolean-like values for cache and ssl:
// yes/true/t/y/1 and no/false/f/n/0 in any case; other strings are kept.
// ok is false for a value that is neither.
func asBoolish(v any) (b bool, s string, isBool bool) {
	switch x := v.(type) {
	case bool:
		return x, "", true
	case Number:
		// Only 0 and 1 read as booleans: "cache": 5 is a mistake, not a
		// way to say true.
		switch x {
		case "0":
			return false, "", true
		case "1":
			return true, "", true
		}
		return false, "", false
	case string:
		switch strings.ToLower(x) {
		case "yes", "true", "t", "y", "1":
			return true, "", true
		case "no", "false", "f", "n", "0", "none":
			return false, "", true
		}
		return false, x, false
	}
	return false, "", false
}

// boolOrText reads cache and ssl: a boolean-like value, or text (a path,
// "auto"). Numbers other than 0 and 1, lists and objects are type errors.
func boolOrText(r raw, what string) (b bool, s string, isBool bool, err error) {
	v := unwrap(r)
	b, s, isBool = asBoolish(v)
	if _, isStr := v.(string); !isBool && !isStr {
		return false, "", false, r.fail("must be %s", what)
	}
	return b, s, isBool, nil
}

// levelName returns the canonical name of a level given by name (any case)
// or, from JSON, by number; the rules are the logging package's.
func levelName(r raw) (string, error) {
	var name string
	err := errors.New("not a level")
	switch x := r.v.(type) {
	case string:
		if strings.TrimSpace(x) != "" {
			name, err = logging.CanonicalLevel(x)
		}
	case Number:
		if n, ok := asInt(x); ok {
			name, err = logging.LevelName(n)
		}
	}
	if err != nil {
		return "", r.fail("invalid log level (use CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET)")
	}
	return name, nil
}

// checkLogFormat accepts "json" or a format with at least one %(name)X
// directive, as Python's logging does (logging.CheckFormat).
func checkLogFormat(r raw, f string) error {
	if logging.CheckFormat(f) == nil {
		return nil
	}
	return r.fail("invalid log format: use Python placeholders such as %%(asctime)s %%(message)s, or json")
}
