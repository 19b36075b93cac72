package config

import (
	"regexp"
	"strconv"
	"strings"
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

// asString normalises a scalar string setting; null and false give "".
func asString(r raw) (string, error) {
	v := unwrap(r)
	if v == nil || isFalseSentinel(v) {
		return "", nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case Number:
		return string(x), nil
	case bool:
		return "True", nil
	}
	return "", r.fail("must be a string")
}

// asList normalises a list setting (§1.3 of the spec). A real list is kept
// as is; a string is split on ',' or ';'. protect keeps IP rules with a
// prefix whole.
func asList(r raw, protect bool) ([]string, error) {
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
			if !ok {
				return nil, r.fail("list items must be strings")
			}
			out = append(out, s)
		}
		return out, nil
	case string:
		return splitList(x, protect), nil
	}
	if s, ok := scalarText(v); ok {
		return []string{s}, nil
	}
	return nil, r.fail("must be a list or a comma-separated string")
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
		f, _ := strconv.ParseFloat(string(x), 64)
		return f != 0, "", true
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

// levels maps the accepted log level names and numbers.
var levels = map[string]int{"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30, "INFO": 20, "DEBUG": 10, "NOTSET": 0}

// levelName returns the canonical name of a level given by name (any case)
// or, from JSON, by number.
func levelName(r raw) (string, error) {
	switch x := r.v.(type) {
	case string:
		n := strings.ToUpper(strings.TrimSpace(x))
		if _, ok := levels[n]; ok {
			return canonicalLevel(levels[n]), nil
		}
	case Number:
		if n, ok := asInt(x); ok {
			for _, v := range levels {
				if v == n {
					return canonicalLevel(n), nil
				}
			}
		}
	}
	return "", r.fail("invalid log level (use CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET)")
}

func canonicalLevel(n int) string {
	switch {
	case n >= 50:
		return "CRITICAL"
	case n >= 40:
		return "ERROR"
	case n >= 30:
		return "WARNING"
	case n >= 20:
		return "INFO"
	case n >= 10:
		return "DEBUG"
	}
	return "NOTSET"
}

// logDirective is one Python %-style placeholder.
var logDirective = regexp.MustCompile(`%\([A-Za-z_]+\)[-#0 +]*\d*(\.\d+)?[diouxXeEfFgGcrsa]`)

// checkLogFormat accepts "json" or a format with at least one %(name)X
// directive, as Python's logging does.
func checkLogFormat(r raw, f string) error {
	if f == "" || f == "json" || logDirective.MatchString(f) {
		return nil
	}
	return r.fail("invalid log format: use Python placeholders such as %%(asctime)s %%(message)s, or json")
}
