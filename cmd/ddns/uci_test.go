package main

import "testing"

// TestUCITwoSections is the acceptance run: a UCI file with two enabled
// sections (and a disabled one) publishes both through the debug provider.
func TestUCITwoSections(t *testing.T) {
	const uci = `package 'ddns-agent'

config global
	option cache '0'

config ddns 'one'
	option dns 'debug'
	list ipv4 'one.example.com'
	option index4 'shell:echo 192.0.2.1'
	option index6 'false'

config ddns 'two'
	option dns 'debug'
	option ipv4 'two.example.com'
	option index4 'shell:echo 192.0.2.2'
	option index6 'false'

config ddns 'off'
	option enabled '0'
	option dns 'debug'
	option ipv4 'off.example.com'
`
	r := runIn(t, map[string]string{"ddns-agent": uci}, nil, "--uci", "ddns-agent")
	r.expect(t, 0, "[IPv4] 192.0.2.1\n[IPv4] 192.0.2.2\n",
		"set one.example.com[IPv4]: 192.0.2.1 successfully.",
		"set two.example.com[IPv4]: 192.0.2.2 successfully.",
		"All configurations completed successfully")
	runIn(t, map[string]string{"ddns-agent": "config ddns 'x'\n\toption dns 'debug'\n\tlist ipv4 'a..example.com'\n"}, nil, "--uci", "ddns-agent").
		expect(t, 2, "", "ddns: ddns-agent: config ddns 'x' option ipv4 = [\"a..example.com\"]: empty label (two dots in a row?)\n")
}
