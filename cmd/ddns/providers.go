package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

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
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PROVIDER\tALIASES\tCREATES\tTTL\tLINE\tID\tTOKEN")
	for _, p := range publish.Registered() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, orDash(strings.Join(p.Aliases, ",")),
			yesNo(p.Creates), yesNo(p.TTL), yesNo(p.Line), p.ID, p.Token)
	}
	w.Flush()
	fmt.Fprintln(stdout, "\nUse the name with --dns (or \"dns\"/\"provider\" in a configuration file).")
	return exitOK
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
