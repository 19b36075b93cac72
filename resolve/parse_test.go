package resolve_test

import (
	"strings"
	"testing"

	"github.com/ddns-go/ddns/resolve"
)

func TestParseErrors(t *testing.T) {
	o := fakeOpts()
	for _, tc := range []struct {
		fam  resolve.Family
		rule string
		want string // the whole one-line error
	}{
		{resolve.V4, "foo", `unknown address rule "foo"`},
		{resolve.V4, "Default", `unknown address rule "Default"`}, // words are case-sensitive, as in the original
		{resolve.V4, "eth9", `unknown address rule "eth9"`},       // not an interface of the machine
		{resolve.V4, "", `empty address rule`},
		{resolve.V4, "-1", `rule "-1": negative index (indexes count from 0)`},
		{resolve.V4, "99999999999999999999999", `rule "99999999999999999999999": index out of range`},
		{resolve.V4, "regex:[", "rule \"regex:[\": error parsing regexp: missing closing ]: `[`"},
		{resolve.V4, "regex:a)|(b", "rule \"regex:a)|(b\": error parsing regexp: unexpected ): `a)|(b`"},
		{resolve.V4, "regex:", `rule "regex:": empty pattern`},
		{resolve.V4, "regex:1?bogus=1", `rule "regex:1?bogus=1": unknown option "bogus" (known: temporary, deprecated, ula)`},
		{resolve.V4, "cmd:", `rule "cmd:": empty command`},
		{resolve.V4, "shell:   ", `rule "shell:": empty command`},
		{resolve.V4, `cmd:echo "1.2.3.4`, `rule "cmd:echo \"1.2.3.4": unterminated double quote`},
		{resolve.V4, "url:ftp://example.com/ip", `rule "url:ftp://example.com/ip": "ftp://example.com/ip" is not an http(s) URL`},
		{resolve.V6, "192.0.2.1", `rule "192.0.2.1" is not an IPv6 address`},
		{resolve.V4, "2001:db8::1", `rule "2001:db8::1" is not an IPv4 address`},
		{resolve.V4, "public?x=1", `rule "public?x=1": public takes no options`},
		{resolve.V4, "false", ``}, // alone it disables the family: not an error
		{resolve.V4, "iface:", `rule "iface:": missing interface name`},
		{resolve.V4, "iface:eth0?bogus=1", `rule "iface:eth0?bogus=1": unknown option "bogus" (known: temporary, deprecated, ula)`},
		{resolve.V4, "iface:eth0?temporary", `rule "iface:eth0?temporary": bad options "temporary" (want key=value joined by &)`},
		{resolve.V4, "iface:eth0?", `rule "iface:eth0?": bad options "" (want key=value joined by &)`},
		{resolve.V4, "iface:eth0?temporary=maybe", `rule "iface:eth0?temporary=maybe": option temporary="maybe": want true or false`},
		{resolve.V4, "0?ula=1&ula=0", `rule "0?ula=1&ula=0": option "ula" given twice`},
		{resolve.V4, "prefix:eth0+::1", `rule "prefix:eth0+::1": prefix: builds IPv6 addresses, it belongs in index6`},
		{resolve.V6, "prefix:eth0", `rule "prefix:eth0": want prefix:IFACE[/LEN]+SUFFIX`},
		{resolve.V6, "prefix:+::1", `rule "prefix:+::1": missing interface name`},
		{resolve.V6, "prefix:eth0/129+::1", `rule "prefix:eth0/129+::1": prefix length "129": want 1 to 127`},
		{resolve.V6, "prefix:eth0/x+::1", `rule "prefix:eth0/x+::1": prefix length "x": want 1 to 127`},
		{resolve.V6, "prefix:eth0+1.2.3.4", `rule "prefix:eth0+1.2.3.4": suffix "1.2.3.4": want an IPv6 address such as ::1234, or mac:MAC`},
		{resolve.V6, "prefix:eth0+::1:0:0:0:1", `rule "prefix:eth0+::1:0:0:0:1": suffix ::1:0:0:0:1 sets bits inside the /64 prefix`},
		{resolve.V6, "prefix:eth0+mac:zz:zz", `rule "prefix:eth0+mac:zz:zz": address zz:zz: invalid MAC address`},
		{resolve.V6, "prefix:eth0+mac:", `rule "prefix:eth0+mac:": mac: wants a MAC address or an interface name`},
		{resolve.V6, "prefix:eth0/72+mac:52:54:00:aa:bb:cc", `rule "prefix:eth0/72+mac:52:54:00:aa:bb:cc": an EUI-64 host part needs a prefix of at most 64 bits, not 72`},
	} {
		raw := []string{tc.rule}
		if tc.rule == "false" {
			raw = []string{"default", "false"}
			tc.want = `rule "false": false disables the family and must be the only rule`
		}
		_, err := resolve.ParseWith(tc.fam, raw, o)
		if err == nil {
			t.Errorf("ParseWith(%v, %q): no error; want %s", tc.fam, raw, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("ParseWith(%v, %q):\n got %s\nwant %s", tc.fam, raw, err, tc.want)
		}
		if strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("ParseWith(%v, %q): error is not one line: %q", tc.fam, raw, err)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	o := fakeOpts()
	for _, tc := range []struct {
		fam  resolve.Family
		rule string
	}{
		{resolve.V4, "0"},
		{resolve.V4, "12"},
		{resolve.V4, "local"},
		{resolve.V4, "default"},
		{resolve.V6, "default?temporary=true&ula=false"},
		{resolve.V4, "public"},
		{resolve.V4, "url:https://example.com/ip?format=text&x=1"},
		{resolve.V4, "cmd:echo 1.2.3.4"},
		{resolve.V4, "shell:echo 1.2.3.4 | cat"},
		{resolve.V6, "regex:2001:db8:.*?"},
		{resolve.V6, "regex:fd00?ula=false"},
		{resolve.V6, "iface:eth0?temporary=yes&deprecated=on&ula=1"},
		{resolve.V6, "iface:ppp0"}, // need not exist yet
		{resolve.V4, "eth0"},       // exists, so a bare name is an interface
		{resolve.V4, "eth0?deprecated=true"},
		{resolve.V6, "prefix:eth0/56+::1:0:0:0:1234"},
		{resolve.V6, "prefix:eth0+mac:52:54:00:aa:bb:cc?ula=true"},
		{resolve.V6, "prefix:pppoe-wan+mac:br-lan"},
		{resolve.V4, " 192.0.2.1 "},
		{resolve.V6, "2001:db8::1"},
	} {
		rs, err := resolve.ParseWith(tc.fam, []string{tc.rule}, o)
		if err != nil {
			t.Errorf("ParseWith(%v, %q): %v", tc.fam, tc.rule, err)
			continue
		}
		if got, want := rs.List[0].String(), strings.TrimSpace(tc.rule); got != want {
			t.Errorf("String() = %q, want %q as written", got, want)
		}
	}
}

func TestParseFalseAndEmpty(t *testing.T) {
	for _, raw := range [][]string{{"false"}, {"none"}, {" FALSE "}} {
		rs, err := resolve.Parse(resolve.V6, raw)
		if err != nil || !rs.Disabled() || len(rs.List) != 0 {
			t.Errorf("Parse(%q) = %+v, %v; want disabled", raw, rs, err)
		}
	}
	for _, raw := range [][]string{nil, {}} {
		rs, err := resolve.Parse(resolve.V6, raw)
		if err != nil || rs.Disabled() || len(rs.List) != 0 {
			t.Errorf("Parse(%q) = %+v, %v; want empty", raw, rs, err)
		}
	}
}

// Parse must never panic, and every error must be one line.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "-1", "regex:fd?ula=1", "prefix:eth0/56+mac:eth0?temporary=true", "iface:eth0?a=b&c=d", "url:http://x", "cmd:'a b'", "eth0"} {
		f.Add(s)
	}
	o := fakeOpts()
	f.Fuzz(func(t *testing.T, s string) {
		for _, fam := range []resolve.Family{resolve.V4, resolve.V6} {
			_, err := resolve.ParseWith(fam, []string{s}, o)
			if err != nil && strings.ContainsAny(err.Error(), "\r\n") && !strings.ContainsAny(s, "\r\n") {
				t.Errorf("%q: multi-line error %q", s, err)
			}
		}
	})
}
