package resolve

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// dohRule is doh:URL#NAME[?options]: the same question as dns:, asked
// over DNS-over-HTTPS (RFC 8484) through the configured HTTP client, so the
// proxy and ssl settings apply. POST by default; method=GET in the options
// uses the ?dns= form for servers that only cache GETs.
type dohRule struct {
	raw string
	url string
	q   dnsQuery
	get bool
	f   fetcher
	own []netip.Prefix
}

// maxDNSMessage bounds a DoH answer body (a DNS message is at most 64 KiB).
const maxDNSMessage = 65535

func newDoH(fam Family, raw string, o Options) (*dohRule, error) {
	spec := strings.TrimSpace(strings.TrimPrefix(raw, "doh:"))
	i := strings.LastIndexByte(spec, '#')
	if i < 0 {
		return nil, fmt.Errorf("rule %q: want doh:URL#NAME[?type=TXT&class=CH]", raw)
	}
	u, query := spec[:i], spec[i+1:]
	if err := checkURL(u); err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	get := false
	// method= belongs to this rule, not to the DNS question.
	name, opts, _ := strings.Cut(query, "?")
	var keep []string
	for _, kv := range strings.Split(opts, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "method") {
			if kv != "" {
				keep = append(keep, kv)
			}
			continue
		}
		switch strings.ToUpper(strings.TrimSpace(v)) {
		case "GET":
			get = true
		case "POST":
		default:
			return nil, fmt.Errorf("rule %q: method must be GET or POST", raw)
		}
	}
	if len(keep) > 0 {
		name += "?" + strings.Join(keep, "&")
	}
	q, err := parseQuery(fam, name)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %v", raw, err)
	}
	p, _ := url.Parse(u)
	r := &dohRule{raw: raw, url: u, q: q, get: get, f: newFetcher(o), own: ownRanges(p.Hostname())}
	if a, err := netip.ParseAddr(p.Hostname()); err == nil && !fam.Matches(a.Unmap()) {
		return r, fmt.Errorf("rule %q: %w", raw, errOtherFamily)
	}
	return r, nil
}

func (r *dohRule) String() string { return r.raw }
func (r *dohRule) deps() Deps     { return pollDeps }

func (r *dohRule) Resolve(ctx context.Context) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, r.f.timeout)
	defer cancel()
	msg := r.q.pack(0)
	var req *http.Request
	var err error
	if r.get {
		sep := "?"
		if strings.Contains(r.url, "?") {
			sep = "&"
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, r.url+sep+"dns="+base64.RawURLEncoding.EncodeToString(msg), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(msg))
		if req != nil {
			req.Header.Set("Content-Type", "application/dns-message")
		}
	}
	if err != nil {
		return netip.Addr{}, err
	}
	req.Header.Set("Accept", "application/dns-message")
	resp, err := r.f.client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return netip.Addr{}, fmt.Errorf("%s %s: timed out after %v", req.Method, r.url, r.f.timeout)
		}
		return netip.Addr{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return netip.Addr{}, fmt.Errorf("%s %s: HTTP %s", req.Method, r.url, resp.Status)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/dns-message" {
		return netip.Addr{}, fmt.Errorf("%s %s: answer is %q, not application/dns-message", req.Method, r.url, clip(mt, 40))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDNSMessage))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%s %s: %w", req.Method, r.url, err)
	}
	a, err := r.q.answer(body, 0)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%s %s: %w", req.Method, r.url, err)
	}
	return a, checkOwn(a, netip.Addr{}, r.own)
}
