package config_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/resolve/dnstest"
)

func echoDNS(t *testing.T) *dnstest.Server {
	t.Helper()
	return dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{
		"a.test": {Text: "81.2.69.142"}, "b.test": {Text: "81.2.69.142"}, "c.test": {Text: "81.2.69.160"}, "d.test": {Text: "81.2.69.160"},
	})
}

func resolve4(t *testing.T, c *config.Config) string {
	t.Helper()
	a, err := c.Index4.Resolve(context.Background())
	if err != nil {
		return "error: " + err.Error()
	}
	return a.String()
}

func TestPublicSettings(t *testing.T) {
	s := echoDNS(t)
	src := func(n string) string { return "dns:" + n + "@" + s.Addr.String() }
	list := func(names ...string) string {
		var q []string
		for _, n := range names {
			q = append(q, `"`+src(n)+`"`)
		}
		return "[" + strings.Join(q, ",") + "]"
	}
	for _, tc := range []struct {
		name string
		env  env
		args []string
		want string
	}{
		{"file", env{files: map[string]string{"c.json": `{"dns":"debug","index4":"public","public":{"sources":` + list("a.test", "b.test") + `,"agree":2,"timeout":3}}`}},
			[]string{"-c", "c.json"}, "81.2.69.142"},
		{"file, agree 3 of 3 disagreeing", env{files: map[string]string{"c.json": `{"dns":"debug","index4":"public","public":{"sources":` + list("a.test", "b.test", "c.test") + `,"agree":3}}`}},
			[]string{"-c", "c.json"}, "public IPv4: the sources disagree"},
		{"environment", env{vars: []string{"DDNS_DNS=debug", "DDNS_INDEX4=public", "DDNS_PUBLIC_SOURCES=" + src("a.test") + "," + src("c.test") + "," + src("b.test")}},
			nil, "81.2.69.142"},
		{"environment, JSON list", env{vars: []string{"DDNS_DNS=debug", "DDNS_INDEX4=public", "DDNS_PUBLIC_SOURCES=" + list("a.test", "b.test"), "DDNS_PUBLIC_AGREE=2"}},
			nil, "81.2.69.142"},
		{"command line", env{}, []string{"--dns", "debug", "--index4", "public", "--public-source", src("c.test"), "--public-source", src("d.test"), "--public-agree", "1"},
			"81.2.69.160"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := load(t, tc.env, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if got := resolve4(t, p.Configs[0]); !strings.Contains(got, tc.want) {
				t.Errorf("public = %s; want %s", got, tc.want)
			}
		})
	}
}

func TestPublicSharedAcrossConfigs(t *testing.T) {
	s := echoDNS(t)
	srcs := `["dns:a.test@` + s.Addr.String() + `","dns:b.test@` + s.Addr.String() + `"]`
	p, err := load(t, env{files: map[string]string{"m.json": `{"public":{"sources":` + srcs + `},"providers":[
		{"provider":"debug","index4":"public","ipv4":["a.example.com"]},
		{"provider":"debug","index4":"public","ipv4":["b.example.com"]}]}`}}, "-c", "m.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Configs {
		if got := resolve4(t, c); got != "81.2.69.142" {
			t.Fatalf("%s: %s", c.Label, got)
		}
	}
	if n := s.UDPHits.Load(); n != 2 {
		t.Errorf("two configurations cost %d queries; want 2 (one detection)", n)
	}
}

func TestPublicSettingErrors(t *testing.T) {
	for _, tc := range []struct {
		env  env
		args []string
		want string
	}{
		{env{files: map[string]string{"c.json": `{"dns":"debug","public":{"agree":"x"}}`}}, []string{"-c", "c.json"},
			`c.json: public.agree = "x": public agree must be an integer from 1 to 9`},
		{env{files: map[string]string{"c.json": `{"dns":"debug","public":{"timeout":0}}`}}, []string{"-c", "c.json"},
			`c.json: public.timeout = 0: public timeout must be whole seconds from 1 to 60`},
		{env{files: map[string]string{"c.json": `{"dns":"debug","public":{"preset":"mars"}}`}}, []string{"-c", "c.json"},
			`c.json: public.preset = "mars": public preset must be cn or default`},
		{env{files: map[string]string{"c.json": `{"dns":"debug","public":{"sources":[]}}`}}, []string{"-c", "c.json"},
			`c.json: public.sources = []: public sources must not be empty`},
		{env{files: map[string]string{"c.json": `{"dns":"debug","public":{"sources":["ftp://x"]}}`}}, []string{"-c", "c.json"},
			`c.json: public.sources = ["ftp://x"]: public source: "ftp://x" is not a dns:, doh:, url: or http(s) source`},
		{env{vars: []string{"DDNS_DNS=debug", "DDNS_PUBLIC_SOURCES=dns:x"}}, nil,
			`environment: DDNS_PUBLIC_SOURCES = "dns:x": public source: rule "dns:x": want dns:NAME@SERVER`},
		{env{}, []string{"--dns", "debug", "--public-agree", "0"}, `command line: --public-agree = "0": public agree must be an integer from 1 to 9`},
		{env{}, []string{"--dns", "debug", "--index4", "public", "--public-source", "dns:a@127.0.0.1"}, `rule "public": 1 IPv4 source(s) cannot give 2 agreeing answers`},
	} {
		_, err := load(t, tc.env, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %q: error %v; want %q", tc.env, tc.args, err, tc.want)
		}
	}
}
