// Package table prints rows of text in aligned columns, for the tables of
// `ddns providers` and `ddns status`.
package table

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Write prints rows in columns, each as wide as its widest cell plus two
// spaces, the last unpadded: what text/tabwriter printed here, without its
// 7.5 KB in the router binary. Every row has as many cells as the first.
func Write(w io.Writer, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	io.WriteString(w, b.String())
}

// OrDash is s, or "-" for an empty cell.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
