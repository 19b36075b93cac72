package resolve

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// maxBody bounds an IP-echo answer: an address with a little text around
// it (a JSON object, a sentence). Anything longer is a page, not an echo,
// and the address in it may be anyone's.
const maxBody = 1 << 10

// fetcher does the HTTP part of url: and public.
type fetcher struct {
	client  *http.Client
	timeout time.Duration
}

func newFetcher(o Options) fetcher {
	c := o.HTTPClient
	if c == nil {
		c = &http.Client{Timeout: o.timeout()}
	}
	return fetcher{client: c, timeout: o.timeout()}
}

// urlRule fetches a URL and takes the first address of the family in the
// body. A non-2xx answer, an HTML page and a body over maxBody are
// failures of the rule (the original searched error pages and portals too).
type urlRule struct {
	fam Family
	raw string
	url string
	f   fetcher
	own []netip.Prefix
}

func newURL(fam Family, raw string, o Options) (Rule, error) {
	u := strings.TrimSpace(strings.TrimPrefix(raw, "url:"))
	if err := checkURL(u); err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	p, _ := url.Parse(u)
	return &urlRule{fam: fam, raw: raw, url: u, f: newFetcher(o), own: ownRanges(p.Hostname())}, nil
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
	a, err := r.f.fetchAddr(ctx, r.fam, r.url)
	if err != nil {
		return netip.Addr{}, err
	}
	return a, checkOwn(a, netip.Addr{}, r.own)
}

func (r *urlRule) deps() Deps { return pollDeps }

func (f fetcher) fetchAddr(ctx context.Context, fam Family, u string) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return netip.Addr{}, fmt.Errorf("GET %s: timed out after %v", u, f.timeout)
		}
		return netip.Addr{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return netip.Addr{}, fmt.Errorf("GET %s: HTTP %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("GET %s: %w", u, err)
	}
	if len(body) > maxBody {
		return netip.Addr{}, fmt.Errorf("GET %s: answer longer than %d bytes: a page, not an IP echo", u, maxBody)
	}
	if isHTML(resp.Header.Get("Content-Type"), body) {
		return netip.Addr{}, fmt.Errorf("GET %s: answer is an HTML page, not an IP echo: %q", u, clip(string(body), 80))
	}
	if a, ok := FirstAddr(fam, string(body)); ok {
		return a, nil
	}
	return netip.Addr{}, fmt.Errorf("%w of the family in the answer of %s: %q", ErrNoAddress, u, clip(string(body), 80))
}

// isHTML recognises a web page (an error page, a captive portal, a CDN's
// challenge) by its media type or its first tag.
func isHTML(contentType string, body []byte) bool {
	if mt, _, _ := mime.ParseMediaType(contentType); mt == "text/html" || mt == "application/xhtml+xml" {
		return true
	}
	head := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 512)])))
	for _, tag := range []string{"<!doctype", "<html", "<head", "<body", "<?xml", "<script", "<meta", "<title"} {
		if strings.Contains(head, tag) {
			return true
		}
	}
	return false
}
