package config

import (
	"path/filepath"
	"testing"
)

// The container image sets DDNS_STATUS for its health check: with nothing
// else configured the first run still writes the template, and with a
// file the endpoint is on.
func TestObserveEnvironmentKeepsFirstRun(t *testing.T) {
	dir := t.TempDir()
	p, err := Load(Input{Environ: []string{"DDNS_STATUS=127.0.0.1:9876"}, Dir: dir, Home: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Generated || p.NewConfig != filepath.Join(dir, "config.json") {
		t.Errorf("DDNS_STATUS alone: generated %v, new config %q; want the first run's template", p.Generated, p.NewConfig)
	}
	p, err = Load(Input{Environ: []string{"DDNS_STATUS=127.0.0.1:9876", "DDNS_DNS=debug", "DDNS_IPV4=a.example.com"}, Dir: dir, Home: dir})
	if err != nil {
		t.Fatal(err)
	}
	if p.Generated || p.Observe.Status != "127.0.0.1:9876" || len(p.Configs) != 1 {
		t.Errorf("generated %v, status %q, %d configs; want the environment's configuration with the endpoint", p.Generated, p.Observe.Status, len(p.Configs))
	}
}
