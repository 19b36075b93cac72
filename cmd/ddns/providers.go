package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ddns-go/ddns/publish"
)

// runProviders prints every provider of this build: its names, what id and
// token mean, and what it can do.
func runProviders(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stdout, "usage: ddns providers\n\nLists every DNS provider of this build: its names, what id and token mean, and what it can do.")
		return exitOK
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "ddns: providers takes no arguments (got %q)\n", args[0])
		return exitUsage
	}
	rows := [][]string{{"PROVIDER", "ALIASES", "CREATES", "TTL", "LINE", "ID", "TOKEN"}}
	for _, p := range publish.Registered() {
		rows = append(rows, []string{p.Name, orDash(strings.Join(p.Aliases, ",")),
			yesNo(p.Creates), yesNo(p.TTL), yesNo(p.Line), p.ID, p.Token})
	}
	writeTable(stdout, rows)
	fmt.Fprintln(stdout, "\nUse the name with --dns (or \"dns\"/\"provider\" in a configuration file).")
	return exitOK
}

// writeTable prints rows in columns, each as wide as its widest cell plus
// two spaces, the last unpadded: what text/tabwriter printed here, without
// its 7.5 KB in the router binary.
func writeTable(w io.Writer, rows [][]string) {
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

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
