package resolve

import (
	"net/netip"
	"strings"
)

// FirstAddr returns the first address of family fam in text. Unlike the
// original client it respects token boundaries: candidates are maximal runs
// of hex digits, dots and colons (plus an optional %zone), each validated
// by netip, so "999.1.1.1" yields nothing instead of "99.1.1.1".
func FirstAddr(fam Family, text string) (netip.Addr, bool) {
	isTok := func(r rune) bool {
		return r == '.' || r == ':' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')
	}
	i := 0
	for i < len(text) {
		if !isTok(rune(text[i])) {
			i++
			continue
		}
		j := i
		for j < len(text) && isTok(rune(text[j])) {
			j++
		}
		tok := strings.Trim(text[i:j], ".")
		// A letter run glued to a word ("cafe") is not an address, and
		// netip rejects it anyway; a zone suffix is dropped.
		if j < len(text) && text[j] == '%' {
			for j < len(text) && !isSpace(text[j]) {
				j++
			}
		}
		if a, err := netip.ParseAddr(tok); err == nil && fam.Matches(a) && (i == 0 || !isWord(text[i-1])) {
			return a, true
		}
		i = j
	}
	return netip.Addr{}, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isWord reports letters that would make a following token part of a word
// ("g1.2.3.4" is not an address).
func isWord(c byte) bool {
	return c == '_' || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')
}
