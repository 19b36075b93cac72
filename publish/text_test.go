package publish_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ddns-go/ddns/publish"
)

// TestOneLine: an API message becomes one line of at most max bytes plus
// the mark, cut between runes (a message in Chinese cut mid-rune would be
// invalid UTF-8 in the log).
func TestOneLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"record\n  not\tfound ", 200, "record not found"},
		{"abcdef", 3, "abc…"},
		{"abc", 3, "abc"},
		{strings.Repeat("记录", 3), 4, "记…"}, // 3 bytes a rune: 4 cuts back to 3
		{"a  b", 3, "a b"},
	} {
		got := publish.OneLine(tc.in, tc.max)
		if got != tc.want {
			t.Errorf("OneLine(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\n\r\t") {
			t.Errorf("OneLine(%q, %d) = %q: not one valid line", tc.in, tc.max, got)
		}
	}
}

// TestClip cuts bytes, not runes, and never inside one.
func TestClip(t *testing.T) {
	for in, want := range map[string]string{"abc": "abc", "abcd": "abc…", "a记录": "a…", "a\nbc": "a\nb…"} {
		if got := publish.Clip(in, 3); got != want || !utf8.ValidString(got) {
			t.Errorf("Clip(%q, 3) = %q, want %q", in, got, want)
		}
	}
}
