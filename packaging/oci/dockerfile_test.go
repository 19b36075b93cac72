package main

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// dockerfileStatusEnv is the setting that turns the status endpoint on in
// both images; the health check asks that endpoint.
const dockerfileStatusEnv = "DDNS_STATUS=127.0.0.1:9876"

// dockerfileHealthcheck reads the HEALTHCHECK instruction of the
// repository's Dockerfile as Docker would store it in the image config, so
// that the layout and the Dockerfile cannot drift apart. It also checks that
// the Dockerfile sets dockerfileStatusEnv.
func dockerfileHealthcheck(t *testing.T) *v1.HealthConfig {
	t.Helper()
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var hc *v1.HealthConfig
	env := false
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "ENV ") && slices.Contains(strings.Fields(line), dockerfileStatusEnv) {
			env = true
		}
		rest, ok := strings.CutPrefix(line, "HEALTHCHECK ")
		if !ok {
			continue
		}
		opts, cmd, ok := strings.Cut(rest, "CMD ")
		if !ok {
			t.Fatalf("Dockerfile: %q: no exec-form CMD", line)
		}
		// Docker's defaults for options the instruction leaves out are
		// zero values in the config, as here.
		hc = &v1.HealthConfig{}
		if err := json.Unmarshal([]byte(cmd), &hc.Test); err != nil {
			t.Fatalf("Dockerfile: HEALTHCHECK CMD %s: %v", cmd, err)
		}
		hc.Test = append([]string{"CMD"}, hc.Test...)
		for _, o := range strings.Fields(opts) {
			k, v, _ := strings.Cut(o, "=")
			var err error
			switch k {
			case "--interval":
				hc.Interval, err = time.ParseDuration(v)
			case "--timeout":
				hc.Timeout, err = time.ParseDuration(v)
			case "--start-period":
				hc.StartPeriod, err = time.ParseDuration(v)
			case "--retries":
				hc.Retries, err = strconv.Atoi(v)
			default:
				t.Fatalf("Dockerfile: HEALTHCHECK option %s is not compared here", o)
			}
			if err != nil {
				t.Fatalf("Dockerfile: HEALTHCHECK %s: %v", o, err)
			}
		}
	}
	if hc == nil {
		t.Fatal("the Dockerfile has no HEALTHCHECK")
	}
	if !env {
		t.Errorf("the Dockerfile does not set %s: its HEALTHCHECK would find no endpoint", dockerfileStatusEnv)
	}
	return hc
}
