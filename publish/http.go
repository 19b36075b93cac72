package publish

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// HTTPOptions configure the client every provider uses.
type HTTPOptions struct {
	Proxy     []string // tried in order: URL, host:port, DIRECT, SYSTEM/DEFAULT; empty = SYSTEM
	SSL       string   // "true", "false", "auto" or the path of a CA bundle
	UserAgent string
	Timeout   time.Duration // per request; 0 = DefaultHTTPTimeout
}

// DefaultHTTPTimeout bounds one provider request: long enough for a slow
// API behind a slow uplink, short enough that a dead path is noticed
// before the next event.
const DefaultHTTPTimeout = 30 * time.Second

// NewHTTPClient builds the shared provider client. It fails on a CA bundle
// that cannot be read or a malformed proxy entry.
func NewHTTPClient(o HTTPOptions) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 4
	switch strings.ToLower(o.SSL) {
	case "", "true", "auto":
	case "false":
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	default:
		pem, err := os.ReadFile(o.SSL)
		if err != nil {
			return nil, fmt.Errorf("ssl: cannot read CA bundle: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ssl: %s holds no PEM certificate", o.SSL)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	proxy, err := proxyFunc(o.Proxy)
	if err != nil {
		return nil, err
	}
	tr.Proxy = proxy
	timeout := o.Timeout
	if timeout == 0 {
		timeout = DefaultHTTPTimeout
	}
	return &http.Client{
		Transport: userAgent{tr, o.UserAgent},
		Timeout:   timeout,
	}, nil
}

// proxyFunc returns the proxy selection of the first list entry.
func proxyFunc(list []string) (func(*http.Request) (*url.URL, error), error) {
	if len(list) == 0 {
		return http.ProxyFromEnvironment, nil
	}
	e := strings.TrimSpace(list[0])
	switch strings.ToUpper(e) {
	case "", "SYSTEM", "DEFAULT":
		return http.ProxyFromEnvironment, nil
	case "DIRECT":
		return nil, nil
	}
	if !strings.Contains(e, "://") {
		e = "http://" + e
	}
	u, err := url.Parse(e)
	if err != nil || u.Host == "" {
		return nil, errors.New("proxy: not a URL or host:port: " + list[0])
	}
	return http.ProxyURL(u), nil
}

// userAgent sets the User-Agent header on every request.
type userAgent struct {
	rt http.RoundTripper
	ua string
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	if u.ua != "" && r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", u.ua)
	}
	return u.rt.RoundTrip(r)
}
