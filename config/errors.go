package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a configuration problem: one line naming where, which key and
// which value. Code is the exit status it deserves.
//
// Error() is the one place every configuration error is rendered, so it is
// where the guarantees live: the line is single, bounded in length, holds
// no control characters, and never shows the value of a secret key
// (whatever the value's shape), even if a caller forgot to mark it.
type Error struct {
	Where string // file name, "command line" or "environment"
	Key   string // key, flag or variable name; may be empty
	Value string // the offending value as written; may be empty
	Msg   string
	Code  int
	// Secret marks a key whose value must not be shown. Keys that look
	// secret (isSecretKey) are treated so whether or not it is set.
	Secret bool
}

// Bounds of the parts of an error line (in characters): together with the
// fixed text they keep a line under maxLine bytes, so a 10 MB value or path
// can never flood a terminal or a log file.
const (
	maxWhere = 64
	maxKey   = 48
	maxValue = 64
	maxMsg   = 110
	// maxLine is the hard cap of the whole line, in bytes.
	maxLine = 290
)

func (e *Error) Error() string {
	var b strings.Builder
	if e.Where != "" {
		b.WriteString(clipPath(redactURL(e.Where), maxWhere))
	}
	if e.Key != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(clip(e.Key, maxKey))
		if e.Value != "" && !e.Secret && !isSecretKey(e.Key) {
			b.WriteString(" = ")
			b.WriteString(clip(e.Value, maxValue))
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(clip(e.Msg, maxMsg))
	return clipBytes(b.String(), maxLine)
}

func errorf(code int, where, key, value, format string, a ...any) *Error {
	return &Error{Where: where, Key: key, Value: value, Msg: fmt.Sprintf(format, a...), Code: code}
}

// secretWords are parts of key names whose values are credentials: the
// token, the id (for callback a URL that often carries a key; for the
// cloud providers an access key id), and provider extras such as
// "password", "secret_key" or "sign".
var secretWords = []string{"token", "secret", "password", "passwd", "pass", "key", "sign", "auth", "credential", "cookie", "session"}

// isSecretKey reports whether a key, in any spelling ("token",
// "providers[2].token", "--token", "DDNS_TOKEN", "extra.api_key"), names a
// value that must never be printed.
func isSecretKey(key string) bool {
	k := strings.ToLower(key)
	if i := strings.LastIndexAny(k, ".["); i >= 0 && !strings.HasSuffix(k, "]") {
		k = k[i+1:]
	}
	k = strings.TrimLeft(k, "-")
	k = strings.TrimPrefix(k, "ddns_")
	k = strings.TrimPrefix(k, "extra_")
	if k == "id" || k == "tok" || k == "toke" {
		return true // --tok and --toke are accepted prefixes of --token
	}
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// clip renders s for an error line: at most n characters, control
// characters and invalid UTF-8 escaped (a value can never break the line),
// and "…" where it was cut.
func clip(s string, n int) string {
	var b strings.Builder
	count := 0
	for i := 0; i < len(s); {
		if count >= n {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
		count++
	}
	return b.String()
}

// redactURL hides the password of a remote configuration's URL
// (https://user:pass@host/c.json, sent as Basic auth).
func redactURL(s string) string {
	if !strings.Contains(s, "://") || !strings.Contains(s, "@") {
		return s
	}
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "a remote configuration"
}

// clipPath is clip for a file name: a long path keeps its end, where the
// file's own name is.
func clipPath(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return clip(s, n)
	}
	r := []rune(s)
	return "…" + clip(string(r[len(r)-n+1:]), n)
}

// clipBytes cuts s to at most n bytes at a character boundary.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// showMax bounds how much of a value show renders: enough for any honest
// value, and a 10 MB one costs no more than a short one.
const showMax = maxValue + 1

// show renders a raw value for an error message, shortened.
func show(v any) string {
	var b strings.Builder
	render(&b, v)
	return b.String()
}

func render(b *strings.Builder, v any) {
	if b.Len() > showMax {
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(quote(x))
	case Number:
		b.WriteString(clip(string(x), showMax))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case []string:
		renderList(b, len(x), func(i int) { b.WriteString(quote(x[i])) })
	case []any:
		renderList(b, len(x), func(i int) { render(b, x[i]) })
	case *Object:
		b.WriteString("{…}")
	default:
		b.WriteString("?")
	}
}

// renderList renders n items in brackets, stopping with "…" once the
// rendering is long enough.
func renderList(b *strings.Builder, n int, item func(i int)) {
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		if b.Len() > showMax {
			b.WriteString("…")
			break
		}
		item(i)
	}
	b.WriteByte(']')
}

// quote renders a string value, shortened, with quotes escaped.
func quote(s string) string {
	if len(s) > 4*showMax {
		s = s[:4*showMax] // clip counts characters; never scan megabytes
	}
	return `"` + clip(strings.ReplaceAll(s, `"`, `\"`), showMax) + `"`
}

// OneLine renders s for a one-line message: at most n characters, control
// characters escaped, and never more than maxLine bytes.
func OneLine(s string, n int) string { return clipBytes(clip(s, n), maxLine) }
