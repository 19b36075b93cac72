package resolve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// maxBody bounds how much of an IP-echo answer is read.
const maxBody = 64 << 10

// HTTPClient is the client used by url: (and public) rules unless
// Options.HTTPClient names another. It is a variable so the program can
// supply one with its TLS and proxy settings; it must not be changed while
// rules are being resolved.
var HTTPClient = &http.Client{Timeout: DefaultTimeout}

// fetcher does the HTTP part of url: and public.
type fetcher struct {
	client  *http.Client // nil: HTTPClient
	timeout time.Duration
}

func newFetcher(o Options) fetcher { return fetcher{client: o.HTTPClient, timeout: o.timeout()} }

// urlRule fetches a URL and takes the first address of the family in the
// body. A non-2xx answer is a failure of the rule (the original searched
// error pages too).
type urlRule struct {
	fam Family
	raw string
	url string
	f   fetcher
}

func newURL(fam Family, raw string, o Options) (Rule, error) {
	u := strings.TrimSpace(strings.TrimPrefix(raw, "url:"))
	if err := checkURL(u); err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	return &urlRule{fam: fam, raw: raw, url: u, f: newFetcher(o)}, nil
}

func checkURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", u)
	}
	return nil
}

func (r *urlRule) String() string { return r.raw }

func (r *urlRule) Resolve(ctx context.Context) (netip.Addr, error) {
	return r.f.fetchAddr(ctx, r.fam, r.url)
}

func (r *urlRule) deps() Deps { return pollDeps }

func (f fetcher) fetchAddr(ctx context.Context, fam Family, u string) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	client := f.client
	if client == nil {
		client = HTTPClient
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return netip.Addr{}, fmt.Errorf("GET %s: timed out after %v", u, f.timeout)
		}
		return netip.Addr{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return netip.Addr{}, fmt.Errorf("GET %s: HTTP %s", u, resp.Status)
	}
	if a, ok := FirstAddr(fam, string(body)); ok {
		return a, nil
	}
	return netip.Addr{}, fmt.Errorf("%w of the family in the answer of %s: %q", ErrNoAddress, u, clip(string(body), 80))
}
