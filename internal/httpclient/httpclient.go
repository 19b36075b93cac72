// Package httpclient builds the HTTP clients of providers, remote
// configuration files and address lookups: verified TLS unless ssl is
// "false", a proxy list tried in order, a per-provider rate limit and a
// User-Agent.
package httpclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"
)

// Options configure the client every provider uses.
type Options struct {
	Proxy     []string // tried in order: URL, host:port, DIRECT, SYSTEM/DEFAULT; empty = SYSTEM
	SSL       string   // "true", "false", "auto" or the path of a CA bundle
	UserAgent string
	Timeout   time.Duration  // per request; 0 = DefaultTimeout
	Log       zerolog.Logger // for proxy fall-through warnings
	// Rate limits requests per second (a token bucket of Burst tokens,
	// at least 1); 0 = unlimited. Requests wait for a token, so a batch
	// of updates never trips the provider's own limit.
	Rate  float64
	Burst int
}

// DefaultTimeout bounds one provider request, answer included: long
// enough for a slow DDNS API behind a slow uplink, short enough that a
// hung provider holds its record back only briefly. ConnectTimeout bounds
// the TCP connection alone: a dead path shows within it.
const (
	DefaultTimeout = 15 * time.Second
	ConnectTimeout = 5 * time.Second
)

// New builds the shared provider client. Proxies are tried in
// order and the first that works is kept for later requests. Certificates
// are always verified unless ssl is "false": "auto" and "true" use the
// system's roots (or the fallback roots built into the binary where the
// system has none), a path uses that CA file. The original retried "auto"
// without verification, handing the token to whoever answered; a TLS
// failure here is an error that says how to fix it (trustError). It fails
// on a CA bundle that cannot be read or a malformed proxy entry.
func New(o Options) (*http.Client, error) {
	verify, err := tlsConfig(o.SSL)
	if err != nil {
		return nil, err
	}
	if len(o.Proxy) == 0 {
		o.Proxy = []string{"SYSTEM"}
	}
	chain := &proxyChain{log: o.Log}
	for _, p := range o.Proxy {
		proxy, err := proxyFunc(p)
		if err != nil {
			return nil, err
		}
		if proxy != nil && !strings.Contains(p, "://") && !isSystem(p) {
			o.Log.Warn().Msgf("proxy %q has no scheme: using http://%s", p, strings.TrimSpace(p))
		}
		tr, cs := transport(proxy, verify)
		chain.entries = append(chain.entries, proxyEntry{name: proxyName(p), rt: tr, conns: cs})
	}
	timeout := o.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	var rt closeIdler = chain
	if o.Rate > 0 {
		rt = limited{chain, rate.NewLimiter(rate.Limit(o.Rate), max(o.Burst, 1))}
	}
	return &http.Client{Transport: userAgent{rt, o.UserAgent}, Timeout: timeout}, nil
}

// closeIdler is a RoundTripper whose idle connections can be dropped,
// and its connections from one local address.
type closeIdler interface {
	http.RoundTripper
	CloseIdleConnections()
	CloseConnsFrom(netip.Addr)
}

// limited makes every request wait for a token of the provider's bucket.
type limited struct {
	rt closeIdler
	l  *rate.Limiter
}

func (l limited) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := l.l.Wait(r.Context()); err != nil {
		return nil, err
	}
	return l.rt.RoundTrip(r)
}

func (l limited) CloseIdleConnections() { l.rt.CloseIdleConnections() }

func (l limited) CloseConnsFrom(a netip.Addr) { l.rt.CloseConnsFrom(a) }

func tlsConfig(ssl string) (*tls.Config, error) {
	switch strings.ToLower(ssl) {
	case "", "true", "auto":
		return nil, nil
	case "false":
		return &tls.Config{InsecureSkipVerify: true}, nil
	}
	pem, err := os.ReadFile(ssl)
	if err != nil {
		return nil, fmt.Errorf("ssl: cannot read CA bundle: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ssl: %s holds no PEM certificate", ssl)
	}
	return &tls.Config{RootCAs: pool}, nil
}

func transport(proxy func(*http.Request) (*url.URL, error), tc *tls.Config) (*http.Transport, *conns) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	cs := &conns{dial: (&net.Dialer{Timeout: ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext}
	tr.DialContext = cs.DialContext
	tr.Proxy = proxy
	tr.TLSClientConfig = tc
	tr.MaxIdleConnsPerHost = 4
	return tr, cs
}

func isSystem(p string) bool {
	switch strings.ToUpper(strings.TrimSpace(p)) {
	case "", "SYSTEM", "DEFAULT":
		return true
	}
	return false
}

// proxyFunc returns the proxy selection of one list entry: nil for DIRECT.
func proxyFunc(entry string) (func(*http.Request) (*url.URL, error), error) {
	e := strings.TrimSpace(entry)
	if isSystem(e) {
		return http.ProxyFromEnvironment, nil
	}
	if strings.EqualFold(e, "DIRECT") {
		return nil, nil
	}
	if !strings.Contains(e, "://") {
		e = "http://" + e
	}
	u, err := url.Parse(e)
	if err != nil || u.Host == "" {
		return nil, errors.New("proxy: not a URL or host:port: " + entry)
	}
	return http.ProxyURL(u), nil
}

// proxyName is an entry as it may be logged: without credentials.
func proxyName(entry string) string {
	if u, err := url.Parse(strings.TrimSpace(entry)); err == nil && u.User != nil {
		u.User = nil
		return u.String()
	}
	return strings.TrimSpace(entry)
}

type proxyEntry struct {
	name  string
	rt    http.RoundTripper
	conns *conns
}

// proxyChain tries its entries in order on transport errors (an HTTP
// answer of any status ends the search) and sticks to the one that worked.
type proxyChain struct {
	entries []proxyEntry
	log     zerolog.Logger

	mu      sync.Mutex
	current int
}

func (c *proxyChain) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	start := c.current
	c.mu.Unlock()
	var lastErr error
	for k := 0; k < len(c.entries); k++ {
		i := (start + k) % len(c.entries)
		if r.Body != nil && r.GetBody != nil && k > 0 {
			body, err := r.GetBody()
			if err != nil {
				return nil, err
			}
			r = r.Clone(r.Context())
			r.Body = body
		}
		resp, err := c.try(i, r)
		if err == nil {
			if i != start {
				c.mu.Lock()
				c.current = i
				c.mu.Unlock()
			}
			return resp, nil
		}
		lastErr = err
		if r.Context().Err() != nil {
			break
		}
		if len(c.entries) > 1 {
			c.log.Warn().Msgf("request via proxy %s failed: %v", c.entries[i].name, err)
		}
	}
	return nil, lastErr
}

// try sends r through entry i. An untrusted certificate becomes an error
// that says what to do.
func (c *proxyChain) try(i int, r *http.Request) (*http.Response, error) {
	resp, err := c.entries[i].rt.RoundTrip(r)
	if err != nil {
		err = trustError(r.URL.Host, err)
	}
	return resp, err
}

// trustError explains a certificate that failed verification: nothing was
// sent (the request, credentials included, never left), and the two ways
// out. It keeps err matchable (errors.As finds the x509 error) and is
// permanent: retrying the same certificate cannot help, the user must act.
func trustError(host string, err error) error {
	var ua x509.UnknownAuthorityError
	var inv x509.CertificateInvalidError
	var hn x509.HostnameError
	var v *tls.CertificateVerificationError
	if !errors.As(err, &ua) && !errors.As(err, &inv) && !errors.As(err, &hn) && !errors.As(err, &v) {
		return err
	}
	return &TrustError{Host: host, Err: err}
}

// TrustError is a TLS certificate that could not be verified; nothing was
// sent to the host.
type TrustError struct {
	Host string
	Err  error
}

func (e *TrustError) Error() string {
	return "TLS certificate of " + e.Host + " is not trusted, nothing was sent (" + e.Err.Error() +
		"): set ssl to the path of a CA file that signs it, or ssl: false to send without verification knowingly"
}

func (e *TrustError) Unwrap() error { return e.Err }

// Permanent says that retrying cannot help (publish.IsPermanent).
func (e *TrustError) Permanent() bool { return true }

// CloseIdleConnections closes idle connections of every transport, so the
// next request after a network change does not reuse a dead path.
func (c *proxyChain) CloseIdleConnections() {
	for _, e := range c.entries {
		if t, ok := e.rt.(interface{ CloseIdleConnections() }); ok {
			t.CloseIdleConnections()
		}
	}
}

// CloseConnsFrom closes every transport's connections from local address
// a.
func (c *proxyChain) CloseConnsFrom(a netip.Addr) {
	for _, e := range c.entries {
		e.conns.closeFrom(a)
	}
}

// userAgent sets the User-Agent header on every request.
type userAgent struct {
	rt closeIdler
	ua string
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	if u.ua != "" && r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", u.ua)
	}
	return u.rt.RoundTrip(r)
}

func (u userAgent) CloseIdleConnections() { u.rt.CloseIdleConnections() }

// CloseConnsFrom closes the connections, idle or busy, whose local address
// is a: call it when the machine loses a.
func (u userAgent) CloseConnsFrom(a netip.Addr) { u.rt.CloseConnsFrom(a) }
