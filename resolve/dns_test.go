package resolve_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/resolve/dnstest"
)

// Routable addresses of no one in particular (documentation ranges are not
// public, so they cannot stand for a public answer).
const (
	pubA = "81.2.69.142"
	pubB = "81.2.69.160"
	pub6 = "2a02:c7f:1234::7"
)

// echoNames are the names every test DNS server knows.
var echoNames = map[string]dnstest.Answer{
	"myip.test":       {Text: pubA},
	"myip6.test":      {Text: pub6},
	"other.test":      {Text: pubB},
	"txt.test":        {Text: "edns0-client-subnet none", Delay: 0},
	"o-o.myaddr.test": {Text: pubA},
	"whoami.test":     {Text: pubA, Chaos: true},
	"big.test":        {Text: pubA, Truncate: true},
	"drop.test":       {Drop: true},
	"slow.test":       {Text: pubA, Delay: 10 * time.Second},
	"fail.test":       {RCode: dnsmessage.RCodeServerFailure},
	"private.test":    {Text: "192.168.1.2"},
	"cgnat.test":      {Text: "100.64.1.2"},
	"doc.test":        {Text: "203.0.113.7"},
	"self.test":       {Text: "127.0.0.1"},
	"cdn.test":        {Text: "104.16.1.1"},
	"cdntxt.test":     {Text: "2606:4700::6810:101"},
}

func TestDNSRule(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", echoNames)
	at := "@" + s.Addr.String()
	o := resolve.Options{Timeout: 300 * time.Millisecond}
	check(t, resolve.V4, o, "dns:myip.test"+at, pubA)
	check(t, resolve.V4, o, "dns:MyIP.Test."+at, pubA)
	check(t, resolve.V4, o, "dns:whoami.test"+at+"?type=TXT&class=CH", pubA)
	check(t, resolve.V4, o, "dns:o-o.myaddr.test"+at+"?type=txt", pubA)
	check(t, resolve.V4, o, "dns:txt.test"+at+"?type=TXT", "", `no address of the family in the TXT answer "edns0-client-subnet none"`)
	check(t, resolve.V4, o, "dns:myip6.test"+at, "", "no A record in the answer")
	for rule, want := range map[string]string{
		"dns:whoami.test" + at + "?type=TXT": "server answered Refused",
		"dns:nosuch.test" + at:               "server answered NameError",
		"dns:fail.test" + at:                 "server answered ServerFailure",
		"dns:drop.test" + at:                 "no answer within 300ms",
		"dns:self.test" + at:                 "answered 127.0.0.1, the server's own address",
	} {
		rs := parse(t, resolve.V4, o, rule)
		if _, err := rs.List[0].Resolve(context.Background()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v; want %q", rule, err, want)
		}
	}
}

func TestDNSRuleV6(t *testing.T) {
	s := dnstest.Start(t, "::1", echoNames)
	o := resolve.Options{Timeout: time.Second}
	check(t, resolve.V6, o, "dns:myip6.test@"+s.Addr.String(), pub6)
	check(t, resolve.V6, o, "dns:myip.test@"+s.Addr.String(), "", "no AAAA record in the answer")
}

func TestDNSTruncatedGoesTCP(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", echoNames)
	check(t, resolve.V4, resolve.Options{Timeout: time.Second}, "dns:big.test@"+s.Addr.String(), pubA)
	if u, c := s.UDPHits.Load(), s.TCPHits.Load(); u != 1 || c != 1 {
		t.Errorf("UDP %d, TCP %d queries; want 1 and 1", u, c)
	}
}

func TestDNSRuleSyntax(t *testing.T) {
	for rule, want := range map[string]string{
		"dns:myip.test":                         "want dns:NAME@SERVER",
		"dns:@127.0.0.1":                        "missing the name",
		"dns:my ip@127.0.0.1":                   "is not a DNS name",
		"dns:myip.test@127.0.0.1:0":             `bad port "0"`,
		"dns:myip.test@127.0.0.1:x":             `bad port "x"`,
		"dns:myip.test@127.0.0.1?type=MX":       `unsupported type "MX"`,
		"dns:myip.test@127.0.0.1?type=AAAA":     "type=AAAA cannot give an IPv4 address",
		"dns:myip.test@127.0.0.1?class=HS":      `unsupported class "HS"`,
		"dns:myip.test@127.0.0.1?ttl=1":         `unknown option "ttl"`,
		"dns:myip.test@127.0.0.1?type=A&type=A": `option "type" given twice`,
		"dns:myip.test@::1":                     "reaches its server over the other address family",
		"doh:https://127.0.0.1/dns-query":       "want doh:URL#NAME",
		"doh:ftp://x/#myip.test":                "is not an http(s) URL",
		"doh:https://x/#myip.test?method=PUT":   "method must be GET or POST",
	} {
		_, err := resolve.ParseWith(resolve.V4, []string{rule}, resolve.Options{})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), rule) {
			t.Errorf("%s: error %v; want one naming the rule and %q", rule, err, want)
		}
	}
	for _, ok := range []string{"dns:myip.test@[::1]:5353", "dns:myip.test@localhost:5353", "dns:myip.test@ns.example?type=TXT&class=CH"} {
		if _, err := resolve.ParseWith(resolve.V6, []string{ok}, resolve.Options{}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// newDoH serves s over HTTPS with its own CA, and returns the URL and the
// CA's PEM file, the way a user passes it through ssl.
func newDoH(t testing.TB, s *dnstest.Server) (url, caFile string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(s)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are tested
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/dns-query", caFile
}

// sslClient is the program's HTTP client with ssl set to caFile.
func sslClient(t testing.TB, caFile string) *http.Client {
	t.Helper()
	c, err := httpclient.New(httpclient.Options{SSL: caFile, Proxy: []string{"DIRECT"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDoHRule(t *testing.T) {
	s := dnstest.Start(t, "127.0.0.1", echoNames)
	url, ca := newDoH(t, s)
	o := resolve.Options{HTTPClient: sslClient(t, ca), Timeout: 2 * time.Second}
	check(t, resolve.V4, o, "doh:"+url+"#myip.test", pubA)
	check(t, resolve.V4, o, "doh:"+url+"#whoami.test?type=TXT&class=CH", pubA)
	check(t, resolve.V4, o, "doh:"+url+"#big.test?method=GET", pubA)
	check(t, resolve.V4, o, "doh:"+url+"?x=1#myip.test?method=get", pubA)
	if n := s.DoHHits.Load(); n != 4 {
		t.Errorf("DoH server saw %d queries; want 4", n)
	}
	rs := parse(t, resolve.V4, o, "doh:"+url+"#fail.test")
	if _, err := rs.List[0].Resolve(context.Background()); err == nil || !strings.Contains(err.Error(), "ServerFailure") {
		t.Errorf("SERVFAIL over DoH: %v", err)
	}
	// Without the CA the certificate is refused: ssl is honoured.
	strict, err := httpclient.New(httpclient.Options{SSL: "true", Proxy: []string{"DIRECT"}})
	if err != nil {
		t.Fatal(err)
	}
	rs = parse(t, resolve.V4, resolve.Options{HTTPClient: strict}, "doh:"+url+"#myip.test")
	if _, err := rs.List[0].Resolve(context.Background()); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("unverified DoH server: %v; want a certificate error", err)
	}
}

func TestDoHRuleV6ByName(t *testing.T) {
	// The family of a DoH answer is the family of the connection, so a
	// URL with a name serves both; the test client dials every name to
	// the loopback server.
	s := dnstest.Start(t, "127.0.0.1", echoNames)
	url, ca := newDoH(t, s)
	port := url[strings.LastIndex(url, ":")+1 : strings.Index(url, "/dns-query")]
	o := resolve.Options{HTTPClient: loopbackClient(t, ca), Timeout: 2 * time.Second}
	check(t, resolve.V6, o, "doh:https://example.com:"+port+"/dns-query#myip6.test", pub6)
	check(t, resolve.V4, o, "doh:https://example.com:"+port+"/dns-query#myip6.test", "", "no A record")
}

// loopbackClient trusts caFile and sends every dial to 127.0.0.1 (the
// port kept): names in URLs stay names for the rules, and no packet
// leaves the machine.
func loopbackClient(t testing.TB, caFile string) *http.Client {
	t.Helper()
	pemData, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemData)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	// The test certificate names example.com; the URL's name is the one
	// the rule sees.
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: "example.com"}
	tr.DialContext = func(ctx context.Context, _, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		var d net.Dialer
		return d.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", port))
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}
