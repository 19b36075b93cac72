package config_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/config"
)

// ddnsScripts is a /etc/config/ddns as LuCI's ddns app writes it: the
// global section, an IPv4 and an IPv6 service for Cloudflare, Aliyun with
// a web lookup, No-IP, a disabled HE service, a custom URL and a service
// without an equivalent here.
const ddnsScripts = `
config ddns 'global'
	option ddns_dateformat '%F %R'
	option ddns_loglines '250'
	option ddns_rundir '/var/run/ddns'
	option ddns_logdir '/var/log/ddns'

config service 'cf_v4'
	option service_name 'cloudflare.com-v4'
	option use_ipv6 '0'
	option enabled '1'
	option lookup_host 'home.example.com'
	option domain 'home@example.com'
	option username 'Bearer'
	option password 'cf-token'
	option ip_source 'network'
	option ip_network 'wan'
	option interface 'wan'
	option use_syslog '2'
	option check_interval '10'
	option check_unit 'minutes'
	option force_interval '72'
	option force_unit 'hours'
	option cacert '/etc/ssl/certs'

config service 'cf_v6'
	option service_name 'cloudflare.com-v4'
	option use_ipv6 '1'
	option enabled '1'
	option lookup_host 'home.example.com'
	option domain 'home@example.com'
	option username 'me@example.com'
	option password 'cf-global-key'
	option ip_source 'interface'
	option ip_interface 'br-lan'
	option check_interval '300'
	option check_unit 'seconds'

config service 'aliyun'
	option service_name 'aliyun.com'
	option enabled '1'
	option domain '@example.cn'
	option username 'LTAI-id'
	option password 'ali'\''secret'
	option ip_source 'web'
	option ip_url 'http://checkip.example.net'
	option proxy 'user:pw@192.0.2.9:3128'

config service 'noip'
	option service_name 'no-ip.com'
	option enabled '1'
	option domain 'me.ddns.net'
	option username 'me'
	option password 'pw'
	option ip_source 'script'
	option ip_script '/usr/bin/myip.sh'
	option cacert 'IGNORE'

config service 'he'
	option service_name 'he.net'
	option enabled '0'
	option domain 'dyn.example.org'
	option username 'dyn.example.org'
	option password 'he-key'

config service 'custom'
	option enabled '1'
	option update_url 'http://[USERNAME]:[PASSWORD]@example.net/update?h=[DOMAIN]&ip=[IP]'
	option domain 'x.example.net'

config service 'duck'
	option service_name 'duckdns.org'
	option enabled '1'
	option domain 'me.duckdns.org'
	option password 'duck-token'
`

func TestImportOpenWrt(t *testing.T) {
	imp, err := config.ImportOpenWrt("/etc/config/ddns", []byte(ddnsScripts))
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Skipped) != 2 || !strings.Contains(imp.Skipped[0], "'custom'") || !strings.Contains(imp.Skipped[1], `"duckdns.org"`) {
		t.Errorf("skipped: %q", imp.Skipped)
	}
	if len(imp.Notes) != 2 || !strings.Contains(imp.Notes[0], "'cf_v4'") || !strings.Contains(imp.Notes[1], "'he'") {
		t.Errorf("notes: %q", imp.Notes)
	}
	// The converted file must load as this agent's UCI configuration.
	p, err := loadUCI(t, string(imp.UCI))
	if err != nil {
		t.Fatalf("%v\n%s", err, imp.UCI)
	}
	if len(p.Configs) != 4 {
		t.Fatalf("%d configurations (the disabled he.net service stays disabled), want 4:\n%s", len(p.Configs), imp.UCI)
	}
	type row struct {
		dns, id, token, endpoint string
		ipv4, ipv6               []string
		rule, ssl                string
		proxy                    []string
	}
	got := make([]row, len(p.Configs))
	for i, c := range p.Configs {
		rules := c.Index4
		if len(c.IPv6) > 0 {
			rules = c.Index6
		}
		got[i] = row{c.DNS, c.ID, c.Token, c.Endpoint, c.IPv4, c.IPv6, rules.List[0].String(), c.SSL, c.Proxy}
	}
	want := []row{
		{"cloudflare", "", "cf-token", "", []string{"home~example.com"}, nil, "default", "/etc/ssl/certs", nil},
		{"cloudflare", "me@example.com", "cf-global-key", "", nil, []string{"home~example.com"}, "iface:br-lan", "auto", nil},
		{"alidns", "LTAI-id", "ali'secret", "", []string{"example.cn"}, nil, "url:http://checkip.example.net", "auto", []string{"http://user:pw@192.0.2.9:3128"}},
		{"noip", "me", "pw", "", []string{"me.ddns.net"}, nil, "cmd:/usr/bin/myip.sh", "false", nil},
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("configuration %d:\n got %+v\nwant %+v", i+1, got[i], want[i])
		}
	}
	// The shortest check interval (300 s) is the reactor's poll period.
	if p.Interval.Minutes() != 5 {
		t.Errorf("interval %v, want 5m", p.Interval)
	}
	if !strings.Contains(string(imp.UCI), "config ddns 'he'\n\toption enabled '0'\n") {
		t.Errorf("the disabled service is not kept disabled:\n%s", imp.UCI)
	}
}

func TestImportOpenWrtErrors(t *testing.T) {
	if _, err := config.ImportOpenWrt("f", []byte("config ddns-agent\n")); err == nil || !strings.Contains(err.Error(), "not a ddns-scripts file") {
		t.Errorf("no services: %v", err)
	}
	if _, err := config.ImportOpenWrt("f", []byte("config service 'x\n")); err == nil || !strings.Contains(err.Error(), "f:1:") {
		t.Errorf("syntax: %v", err)
	}
	imp, err := config.ImportOpenWrt("f", []byte("config service 'x'\n option service_name 'duckdns.org'\n option domain 'a.duckdns.org'\n"))
	if err != nil || len(imp.UCI) != 0 || len(imp.Skipped) != 1 {
		t.Errorf("nothing convertible: %v %q %q", err, imp.UCI, imp.Skipped)
	}
}
