package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/config"
)

// loadUCI writes body to a fresh directory and loads it with --uci.
func loadUCI(t testing.TB, body string, args ...string) (*config.Plan, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "ddns-agent")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return config.Load(config.Input{Args: append([]string{"--uci", path}, args...), Environ: []string{}, Dir: dir, Home: dir})
}

const uciTwo = `
# /etc/config/ddns-agent
package 'ddns-agent'

config global
	option log_level 'DEBUG'
	option ttl '300'
	option interval '7'
	option debounce '0.25'
	option cache '0'

config ddns 'home'
	option dns 'cloudflare'
	option token "tok\"en"
	list ipv4 'home.example.com'
	list ipv4 'nas.example.com'
	option index4 'iface:pppoe-wan'
	option index6 'false'
	option extra_proxied 'true'

config ddns 'office'
	option dns debug
	option ipv6 'a.example.com,b.example.com'
	option ttl 60 # overrides the global ttl

config ddns 'old'
	option enabled '0'
	option dns 'nosuchprovider'
`

func TestUCILoad(t *testing.T) {
	p, err := loadUCI(t, uciTwo)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Configs) != 2 {
		t.Fatalf("%d configurations, want 2 (the disabled section is skipped)", len(p.Configs))
	}
	home, office := p.Configs[0], p.Configs[1]
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("home dns", home.DNS, "cloudflare")
	check("home token", home.Token, `tok"en`)
	check("home ipv4", home.IPv4, []string{"home.example.com", "nas.example.com"})
	check("home index4", fmt.Sprint(home.Index4.List), "[iface:pppoe-wan]")
	check("home index6 disabled", home.Index6.Disabled(), true)
	check("home ttl from global", home.TTL, 300)
	check("home cache from global", home.Cache, false)
	check("home extra", len(home.Extra), 1)
	check("office dns", office.DNS, "debug")
	check("office ipv6", office.IPv6, []string{"a.example.com", "b.example.com"})
	check("office ttl", office.TTL, 60)
	check("interval", p.Interval, 7*time.Minute)
	check("debounce", p.Debounce, 250*time.Millisecond)
	check("log level", p.Log.Level, "DEBUG")
	if !strings.HasSuffix(home.Label, " home") || !strings.HasSuffix(office.Label, " office") {
		t.Errorf("labels %q %q do not name the sections", home.Label, office.Label)
	}
}

// TestUCIErrors: every mistake is one line naming the file, the section
// and the option (or the line, for syntax), with exit code 2.
func TestUCIErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"bad domain", "config ddns 'home'\n option dns debug\n list ipv4 'a b.example.com'\n",
			[]string{"config ddns 'home' option ipv4", `"a b.example.com"`, "not allowed"}},
		{"unknown provider", "config ddns 'x'\n option dns 'nope'\n",
			[]string{"config ddns 'x' option dns", "unknown DNS provider"}},
		{"anonymous section", "config ddns\n option dns debug\n option ttl '-5'\n",
			[]string{"config ddns '@ddns[0]' option ttl", "non-negative"}},
		{"bad rule", "config ddns 'h'\n option dns debug\n option index4 'ifcae:eth0'\n",
			[]string{"config ddns 'h' option index4"}},
		{"interval outside global", "config ddns 'h'\n option dns debug\n option interval 5\n",
			[]string{"config ddns 'h' option interval", "config global"}},
		{"enabled not boolean", "config ddns 'h'\n option enabled 'maybe'\n",
			[]string{"config ddns 'h' option enabled", "0 or 1"}},
		{"unterminated quote", "config ddns 'h'\n option dns 'debug\n",
			[]string{":2:", "unterminated"}},
		{"option outside section", "option dns debug\n", []string{":1:", "before any config"}},
		{"unknown keyword", "config ddns 'h'\n opton dns debug\n", []string{":2:", `"opton"`}},
		{"option and list", "config ddns 'h'\n option ipv4 a.com\n list ipv4 b.com\n", []string{":3:", "both as option and as list"}},
		{"nothing enabled", "config ddns 'h'\n option enabled 0\n", []string{"no enabled `config ddns` section"}},
		{"bad name", "config ddns 'a.b'\n", []string{":1:", "section name may hold only"}},
		{"interval in global", "config global\n option interval 'often'\nconfig ddns 'h'\n option dns debug\n", []string{"interval", "1 and 1440"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadUCI(t, tt.body)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("more than one line: %q", msg)
			}
			if !strings.Contains(msg, "ddns-agent") {
				t.Errorf("%q does not name the file", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Code != 2 {
				t.Errorf("error %T %v: want *config.Error with code 2", err, err)
			}
		})
	}
}

func TestUCIUsage(t *testing.T) {
	if _, err := loadUCI(t, "config ddns 'h'\n option dns debug\n", "-c", "x.json"); err == nil || !strings.Contains(err.Error(), "--uci") {
		t.Errorf("--uci with -c: %v", err)
	}
	// The command line still wins over the file.
	p, err := loadUCI(t, "config ddns 'h'\n option dns debug\n option ttl 60\n", "--ttl", "90")
	if err != nil {
		t.Fatal(err)
	}
	if p.Configs[0].TTL != 90 {
		t.Errorf("ttl %d, want the command line's 90", p.Configs[0].TTL)
	}
}

func TestParseUCIWords(t *testing.T) {
	s, err := config.ParseUCI("f", []byte("config x 'n'\n\toption a 'it'\\''s'\n\toption b \"q\\\"x\" # c\n\toption c plain\\ word\n\toption d ''\n\toption e 'x#y'\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "it's", "b": `q"x`, "c": "plain word", "d": "", "e": "x#y"}
	for k, v := range want {
		if got, ok := s[0].Get(k); !ok || got != v {
			t.Errorf("option %s = %q, want %q", k, got, v)
		}
	}
}

func FuzzUCI(f *testing.F) {
	for _, s := range []string{
		uciTwo,
		"config ddns\n option dns debug\n list ipv6 'x.example.com'\n",
		"config global\n option log_format '%(message)s'\nconfig ddns 'a'\n option dns 'callback'\n option token '{\"a\":\"__IP__\"}'\n",
		"config ddns 'a'\\\n 'b'\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := config.ParseUCI("f", data); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		p, err := loadUCI(t, string(data))
		switch {
		case err != nil:
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
		case len(p.Configs) == 0:
			t.Fatal("no error and no configuration")
		}
	})
}
