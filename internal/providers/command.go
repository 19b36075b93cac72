package providers

import (
	"fmt"
	"io"
	"strings"

	"github.com/ddns-go/ddns/internal/table"
	"github.com/ddns-go/ddns/publish"
)

// Command is `ddns providers`: it prints every provider of this build, its
// names, what id and token mean and what it can do, and returns the exit
// code.
func Command(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stdout, "usage: ddns providers\n\nLists every DNS provider of this build: its names, what id and token mean, and what it can do.")
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "ddns: providers takes no arguments (got %q)\n", args[0])
		return 2
	}
	rows := [][]string{{"PROVIDER", "ALIASES", "CREATES", "TTL", "LINE", "ID", "TOKEN"}}
	for _, p := range publish.Registered() {
		rows = append(rows, []string{p.Name, table.OrDash(strings.Join(p.Aliases, ",")),
			yesNo(p.Creates), yesNo(p.TTL), yesNo(p.Line), p.ID, p.Token})
	}
	table.Write(stdout, rows)
	fmt.Fprintln(stdout, "\nUse the name with --dns (or \"dns\"/\"provider\" in a configuration file).")
	return 0
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
