package integration

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestReloadSSLAppliesToLookups: the url: rule's HTTP client follows the
// configuration's ssl, and a SIGHUP that changes ssl applies to lookups
// too, not only to the provider's client (#15: no package-level client).
func TestReloadSSLAppliesToLookups(t *testing.T) {
	var hits atomic.Int32
	srv, dir, ca := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintln(w, "81.2.69.142")
	}))
	cfg := filepath.Join(dir, "config.json")
	logFile := filepath.Join(dir, "ddns.log")
	write := func(ssl string) {
		t.Helper()
		c := `{"dns":"debug","ipv4":["a.example.com"],"index4":"url:` + srv.URL + `/ip","index6":false,"cache":false,` +
			`"ssl":"` + ssl + `","log":{"file":"ddns.log","level":"DEBUG"}}`
		if err := os.WriteFile(cfg, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// ssl "true" does not know the test CA: the lookup is refused.
	write("true")
	agent := startWatch(t, dir, cfg)
	cmd, stderr, exited := agent.cmd, agent.stderr, agent.exited
	logText := func() string {
		data, _ := os.ReadFile(logFile)
		return string(data)
	}
	waitFor(t, 10*time.Second, func() bool { return strings.Contains(logText(), "certificate") })
	if strings.Contains(logText(), "successfully") || hits.Load() != 0 {
		t.Fatalf("published through an unverified lookup (%d requests):\n%s", hits.Load(), logText())
	}

	write(ca)
	cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 10*time.Second, func() bool {
		return strings.Contains(logText(), "set a.example.com[IPv4]: 81.2.69.142 successfully")
	})
	if hits.Load() == 0 {
		t.Errorf("the echo was never asked")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s\n%s", err, stderr.String(), logText())
	}
}
