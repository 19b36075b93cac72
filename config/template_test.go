package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/config"
)

// TestNewConfigKeepsEverything: --new-config writes every setting given
// (endpoint, concurrency and extras too), and the file it writes loads
// with those values; no placeholder id for a provider that needs none.
func TestNewConfigKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	in := func(args ...string) config.Input {
		return config.Input{Args: args, Environ: []string{}, Dir: dir, Home: dir}
	}
	p, err := config.Load(in("--dns", "cloudflare", "--token", "T", "--ipv4", "a.example.com", "--endpoint", "https://api.example.net",
		"--concurrency", "8", "--extra.proxied", "true", "--extra.comment", "home", "--new-config", "n.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "n.json"), p.Template, 0o600); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(p.Template), `"id"`) {
		t.Errorf("placeholder id written for cloudflare:\n%s", p.Template)
	}
	got, err := config.Load(in("-c", "n.json"))
	if err != nil {
		t.Fatalf("the written template does not load: %v\n%s", err, p.Template)
	}
	c := got.Configs[0]
	if c.Endpoint != "https://api.example.net" || c.Concurrency != 8 || c.ID != "" || c.Token != "T" {
		t.Errorf("endpoint %q concurrency %d id %q token %q", c.Endpoint, c.Concurrency, c.ID, c.Token)
	}
	if len(c.Extra) != 2 {
		t.Errorf("extras %v, want proxied and comment", c.Extra)
	}
	// A provider that needs an id keeps the placeholder, so the user sees
	// where it goes.
	p, err = config.Load(in("--dns", "alidns", "--new-config", "m.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(p.Template), `"id": "YOUR ID`) {
		t.Errorf("alidns template lacks the id placeholder:\n%s", p.Template)
	}
}
