package main

import (
	"strings"
	"testing"
)

// TestSubcommandHelp: every subcommand answers -h with its own usage, and
// a mistyped one lists them all.
func TestSubcommandHelp(t *testing.T) {
	for cmd, want := range map[string]string{
		"watch":          "usage: ddns watch [options]\n\nStays running",
		"task":           "usage: ddns task [install|uninstall|status|enable|disable]",
		"providers":      "usage: ddns providers\n",
		"import-openwrt": "usage: ddns import-openwrt [FILE]",
	} {
		r := runIn(t, nil, nil, cmd, "-h")
		r.expect(t, 0, "*")
		if !strings.HasPrefix(r.stdout, want) {
			t.Errorf("ddns %s -h:\n%s\nwant it to start with %q", cmd, r.stdout, want)
		}
	}
	runIn(t, nil, nil, "wacth").expect(t, 2, "",
		"invalid choice: 'wacth' (choose from 'watch', 'providers', 'task', 'import-openwrt', 'status', 'notify')")
	r := runIn(t, nil, nil, "-h")
	for _, c := range []string{"watch", "providers", "task", "import-openwrt"} {
		if !strings.Contains(r.stdout, "\n  "+c+" ") {
			t.Errorf("ddns -h does not list %s:\n%s", c, r.stdout)
		}
	}
}
