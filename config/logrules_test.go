package config_test

import (
	"testing"

	"github.com/ddns-go/ddns/internal/logging"
)

// TestLogRulesAreTheLoggers: the configuration accepts exactly the log
// levels and formats the logger accepts (#15: one set of rules, in
// internal/logging), so nothing config lets through fails at start.
func TestLogRulesAreTheLoggers(t *testing.T) {
	for _, f := range []string{"%(message)s", "%(name)*s", "x %(message)S", "%(message) s", "%(x)%", "plain", "%(message)", "%s %d", "100%%"} {
		_, err := load(t, env{}, "--dns", "debug", "--log_format", f)
		if want := logging.CheckFormat(f); (err == nil) != (want == nil) {
			t.Errorf("format %q: config says %v, logging says %v", f, err, want)
		}
	}
	for _, l := range []string{"debug", " Warn ", "FATAL", "notset", "verbose", "TRACE"} {
		p, err := load(t, env{}, "--dns", "debug", "--log_level", l)
		name, want := logging.CanonicalLevel(l)
		if (err == nil) != (want == nil) || err == nil && p.Log.Level != name {
			t.Errorf("level %q: config says %v, logging says %q, %v", l, err, name, want)
		}
	}
}
