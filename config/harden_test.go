package config_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/publish"
)

// TestRootProviderOptionsReachTheProvider: the original's own v4.0 example
// puts Cloudflare's "proxied" at the root; a migrated file keeps it, with a
// one-line notice that "extra" is its new home.
func TestRootProviderOptionsReachTheProvider(t *testing.T) {
	p, err := load(t, env{files: map[string]string{"c.json": `{"$schema":"https://ddns.newfuture.cc/schema/v4.0.json","dns":"cloudflare","token":"t0ken-value","ipv4":["a.example.com"],"proxied":false,"extra":{"comment":"c"}}`}}, "-c", "c.json")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Configs[0].Extra, publish.Extra{{Key: "proxied", Value: false}, {Key: "comment", Value: "c"}}) // document order
	notices := 0
	for _, w := range p.Warnings {
		if strings.Contains(w, `key "proxied" is passed to the provider`) && strings.Contains(w, `"extra"`) {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("want one notice about proxied, got %q", p.Warnings)
	}
}

func TestUnknownKeysSuggest(t *testing.T) {
	p, err := load(t, env{files: map[string]string{"c.json": `{"dns":"debug","tll":600,"log":{"levle":"DEBUG"}}`}}, "-c", "c.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`c.json: unknown key "tll" ignored (did you mean "ttl"?)`, `c.json: unknown key "log.levle" ignored`}
	for _, w := range want {
		if !strings.Contains(strings.Join(p.Warnings, "\n"), w) {
			t.Errorf("warnings %q lack %q", p.Warnings, w)
		}
	}
	if len(p.Configs[0].Extra) != 0 {
		t.Errorf("a typo became a provider parameter: %v", p.Configs[0].Extra)
	}
	p, err = load(t, env{vars: []string{"DDNS_DNS=debug", "DDNS_TLL=5", "DDNS_CRON=*/5 * * * *", "DDNS_DEBUG=true"}})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(p.Warnings, "\n")
	for _, w := range []string{"DDNS_TLL ignored (did you mean DDNS_TTL?)", "DDNS_CRON is not used by this program", "DDNS_DEBUG is not used by this program: use --debug"} {
		if strings.Count(all, w) != 1 {
			t.Errorf("want %q once in %q", w, p.Warnings)
		}
	}
}

func TestDomainsPublishedAsPunycode(t *testing.T) {
	p, err := load(t, env{}, "--dns", "debug", "--ipv4", "Bücher.example", "*.münchen.de", "--ipv6", "sub~Example.com")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, p.Configs[0].IPv4, []string{"xn--bcher-kva.example", "*.xn--mnchen-3ya.de"})
	eq(t, p.Configs[0].IPv6, []string{"sub~example.com"})
}

// TestCoercionsTheOriginalDocuments stay accepted: the types the
// compatibility table lists as passing through.
func TestCoercionsTheOriginalDocuments(t *testing.T) {
	p, err := load(t, env{files: map[string]string{"c.json": `{"dns":"dnspod","id":12345,"token":67890,"ttl":"600","cache":0,"ssl":1,"index4":[0,"public"],"cache_max_age":"60"}`}}, "-c", "c.json")
	if err != nil {
		t.Fatal(err)
	}
	c := p.Configs[0]
	eq(t, []any{c.ID, c.Token, c.TTL, c.Cache, c.SSL}, []any{"12345", "67890", 600, false, "true"})
}

func TestErrorNeverShowsASecret(t *testing.T) {
	for _, key := range []string{"token", "providers[2].token", "--token", "--tok", "DDNS_TOKEN", "id", "extra.api_key", "extra.password", "DDNS_EXTRA_SIGN"} {
		e := &config.Error{Where: "c.json", Key: key, Value: `"s3cr3t-value"`, Msg: "must be text", Code: 2}
		if strings.Contains(e.Error(), "s3cr3t") {
			t.Errorf("%s: %q", key, e.Error())
		}
	}
	e := &config.Error{Where: strings.Repeat("p", 1000), Key: "ttl", Value: strings.Repeat("9", 1<<20) + "\n", Msg: strings.Repeat("m", 1000)}
	if s := e.Error(); len(s) > 300 || strings.Contains(s, "\n") {
		t.Errorf("%d bytes: %q", len(s), s)
	}
}

func TestErrorKeepsTheEndOfALongPath(t *testing.T) {
	e := &config.Error{Where: "/tmp/" + strings.Repeat("d/", 100) + "config.json", Key: "ttl", Msg: "x"}
	if s := e.Error(); !strings.HasPrefix(s, "…") || !strings.Contains(s, "d/config.json: ttl: x") {
		t.Errorf("%q", s)
	}
}

func TestRemoteConfigPasswordNeverShown(t *testing.T) {
	_, err := load(t, env{}, "-c", "http://user:pa55w0rd-x@127.0.0.1:1/c.json")
	if err == nil || strings.Contains(err.Error(), "pa55w0rd") || !strings.Contains(err.Error(), "user:xxxxx@127.0.0.1:1") {
		t.Errorf("%v", err)
	}
}

func TestRemoteConfigLabelsHideThePassword(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "pa55w0rd-x" {
			http.Error(w, "auth", http.StatusUnauthorized)
			return
		}
		io.WriteString(w, `{"dns":"debug","ipv4":["a.example.com"]}`)
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://user:pa55w0rd-x@", 1) + "/c.json"
	p, err := load(t, env{}, "-c", u)
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(append(p.Files, p.Configs[0].Label), " "); strings.Contains(s, "pa55w0rd") || !strings.Contains(s, "user:xxxxx@") {
		t.Errorf("%q", s)
	}
}
