package integration

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/ddns-go/ddns/resolve/dnstest"
)

// echoDNS is a loopback DNS server (UDP, TCP and, through doh, HTTPS)
// answering the names of the public-address tests.
func echoDNS(t *testing.T) *dnstest.Server {
	t.Helper()
	return dnstest.Start(t, "127.0.0.1", map[string]dnstest.Answer{
		"myip.test":   {Text: "81.2.69.142"},
		"whoami.test": {Text: "81.2.69.142", Chaos: true},
		"good1.test":  {Text: "11.22.33.44"},
		"good2.test":  {Text: "11.22.33.44"},
		"liar.test":   {Text: "44.33.22.11"},
		"fail.test":   {RCode: dnsmessage.RCodeServerFailure},
	})
}

func TestDNSRuleBinary(t *testing.T) {
	s := echoDNS(t)
	dir := t.TempDir()
	for _, rule := range []string{"dns:myip.test@" + s.Addr.String(), "dns:whoami.test@" + s.Addr.String() + "?type=TXT&class=CH"} {
		out, errs, code := ddns(t, dir, nil, "--dns", "debug", "--no-cache", "--ipv4", "a.example.com", "--index4", rule)
		if code != 0 || out != "[IPv4] 81.2.69.142\n" {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %s", rule, code, out, errs)
		}
	}
}

// tlsServer serves h over TLS with a certificate of its own and writes
// that certificate, as the CA to trust, to ca in the test's directory
// dir.
func tlsServer(t *testing.T, h http.Handler) (srv *httptest.Server, dir, ca string) {
	t.Helper()
	srv = httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes the tests provoke
	srv.StartTLS()
	t.Cleanup(srv.Close)
	dir = t.TempDir()
	ca = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, dir, ca
}

func TestDoHRuleBinary(t *testing.T) {
	s := echoDNS(t)
	srv, dir, ca := tlsServer(t, s)
	rule := "doh:" + srv.URL + "/dns-query#myip.test"
	out, errs, code := ddns(t, dir, nil, "--dns", "debug", "--no-cache", "--ssl", ca, "--ipv4", "a.example.com", "--index4", rule)
	if code != 0 || out != "[IPv4] 81.2.69.142\n" || s.DoHHits.Load() != 1 {
		t.Errorf("exit %d, %d DoH queries\nstdout %q\nstderr %s", code, s.DoHHits.Load(), out, errs)
	}
	// ssl=true does not know the test CA: the certificate is refused and
	// nothing is published.
	out, errs, code = ddns(t, dir, nil, "--dns", "debug", "--no-cache", "--ssl", "true", "--ipv4", "a.example.com", "--index4", rule)
	if code != 1 || out != "" || !strings.Contains(errs, "certificate") {
		t.Errorf("unverified: exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
}

func TestPublicAgreementBinary(t *testing.T) {
	s := echoDNS(t)
	dir := t.TempDir()
	src := func(n string) string { return "dns:" + n + "@" + s.Addr.String() }
	run := func(sources ...string) (string, string, int) {
		args := []string{"--dns", "debug", "--no-cache", "--ipv4", "a.example.com", "--index4", "public"}
		for _, x := range sources {
			args = append(args, "--public-source", x)
		}
		return ddns(t, dir, nil, args...)
	}
	out, errs, code := run(src("liar.test"), src("good1.test"), src("good2.test"))
	if code != 0 || out != "[IPv4] 11.22.33.44\n" {
		t.Errorf("one liar among three: exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
	out, errs, code = run(src("good1.test"), src("liar.test"), src("fail.test"))
	if code != 1 || out != "" || strings.Contains(errs, "successfully") {
		t.Errorf("disagreement: exit %d (want 1, nothing published)\nstdout %q\nstderr %s", code, out, errs)
	}
	var warnings []string
	for _, line := range strings.Split(errs, "\n") {
		if strings.Contains(line, "WARNING") {
			warnings = append(warnings, line)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], src("good1.test")+": 11.22.33.44") ||
		!strings.Contains(warnings[0], src("liar.test")+": 44.33.22.11") || !strings.Contains(warnings[0], src("fail.test")+": failed") {
		t.Errorf("want one WARNING naming every source and its answer; stderr:\n%s", errs)
	}
}
