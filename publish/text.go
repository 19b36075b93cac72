package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text is a JSON scalar that APIs send as a string or a number as they
// please (DNSPod ids are "16894439" in one answer and 16894439 in the
// next; NameSilo's code is 300 or "300"). null decodes to "". Any other
// JSON value is an error.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("want a string or a number, got %.20q", b)
		}
		*t = Text(n)
	}
	return nil
}

// OneLine squeezes text from an answer onto one line of at most max
// bytes (cut on a rune boundary, "…" marking the cut), for an error
// message: some APIs' messages span lines.
func OneLine(s string, max int) string {
	return Clip(strings.Join(strings.Fields(s), " "), max)
}

// Clip cuts s to at most max bytes on a rune boundary, "…" marking the
// cut: text from an answer stays valid UTF-8 in a message or the log.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max] + "…"
}
