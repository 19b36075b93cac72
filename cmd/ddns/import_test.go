package main

import (
	"strings"
	"testing"
)

func TestImportOpenWrtCommand(t *testing.T) {
	const ddns = "config ddns 'global'\n\toption ddns_loglines '250'\n\n" +
		"config service 'cf'\n\toption service_name 'cloudflare.com-v4'\n\toption enabled '1'\n\toption domain 'home@example.com'\n" +
		"\toption username 'Bearer'\n\toption password 'secret-token'\n\toption ip_source 'interface'\n\toption ip_interface 'pppoe-wan'\n\n" +
		"config service 'duck'\n\toption service_name 'duckdns.org'\n\toption domain 'me.duckdns.org'\n\toption password 'x'\n"
	r := runIn(t, map[string]string{"ddns": ddns}, nil, "import-openwrt", "ddns")
	r.expect(t, 0, "*", "ddns: not converted: service 'duck': service_name \"duckdns.org\" has no equivalent provider")
	for _, want := range []string{"config ddns 'cf'\n", "\toption dns 'cloudflare'\n", "\tlist ipv4 'home~example.com'\n", "\toption index4 'iface:pppoe-wan'\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	runAgain(t, r.dir, nil, "import-openwrt", "nonexistent").expect(t, 2, "", "nonexistent does not exist")
	runAgain(t, r.dir, nil, "import-openwrt", "-h").expect(t, 0, "*")
	runAgain(t, r.dir, nil, "import-openwrt", "a", "b").expect(t, 2, "", "takes one file")
}
