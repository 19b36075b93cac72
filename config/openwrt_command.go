package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

const importUsage = `usage: ddns import-openwrt [FILE]

Converts OpenWrt ddns-scripts' configuration (default /etc/config/ddns) into
this agent's UCI file and prints it; services without an equivalent provider
are named on stderr. Install it with:

  ddns-agent import-openwrt > /etc/config/ddns-agent && /etc/init.d/ddns-agent restart

Converted services: %s
`

// ImportCommand is `ddns import-openwrt [FILE]`: it prints the converted
// configuration (ImportOpenWrt) and returns the exit code: 0 when at least
// one service was converted, 1 when none could be, 2 for bad input.
func ImportCommand(args []string, stdout, stderr io.Writer) int {
	path := "/etc/config/ddns"
	switch {
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help"):
		fmt.Fprintf(stdout, importUsage, strings.Join(OpenWrtServices(), ", "))
		return 0
	case len(args) == 1:
		path = args[0]
	case len(args) > 1:
		fmt.Fprintf(stderr, "ddns: import-openwrt takes one file (got %d arguments)\n", len(args))
		return 2
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(stderr, "ddns: %s does not exist (is ddns-scripts installed?)\n", path)
		} else {
			fmt.Fprintf(stderr, "ddns: cannot read %s: %v\n", path, err)
		}
		return 2
	}
	imp, err := ImportOpenWrt(path, data)
	if err != nil {
		fmt.Fprintln(stderr, "ddns: "+err.Error())
		return 2
	}
	stdout.Write(imp.UCI)
	for _, n := range imp.Notes {
		fmt.Fprintln(stderr, "ddns: note: "+n)
	}
	for _, s := range imp.Skipped {
		fmt.Fprintln(stderr, "ddns: not converted: "+s)
	}
	if len(imp.UCI) == 0 {
		fmt.Fprintln(stderr, "ddns: no service could be converted")
		return 1
	}
	return 0
}
