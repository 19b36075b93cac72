package dyndns2

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/publish"
)

// Config says how one dyndns2 service is reached and named.
type Config struct {
	Name    string // provider name, the prefix of every message: "dyndns2", "noip"
	Service string // the server as users know it, for messages: "No-IP"; "" = the URL's host
	URL     string // the full update URL; may carry a query of its own (OVH's ?system=dyndns)
	// Extra sends a record's extra parameters as additional query
	// parameters (Dyn's wildcard=NOCHG, …). When false they are ignored.
	Extra bool
}

// Client updates host names on one dyndns2 server: one authenticated GET
// <URL>?hostname=<host>&myip=<address> per record. It implements
// publish.Provider and is safe for concurrent use.
type Client struct {
	s    publish.Settings
	cfg  Config
	auth string // the Authorization header value; never logged

	ignoredOnce sync.Once
}

// NewClient validates s for cfg: cfg.URL an http(s) URL without
// credentials of its own (request URLs are logged; credentials belong in
// id and token), id and token set (they are the HTTP Basic user name and
// password; a user name cannot contain ':'). Errors are one line,
// prefixed with cfg.Name.
func NewClient(s publish.Settings, cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, fmt.Errorf("%s: endpoint %q is not an http(s) URL", cfg.Name, redactURL(cfg.URL))
	case u.User != nil:
		return nil, fmt.Errorf("%s: endpoint %q carries credentials: put the user name in id and the password in token", cfg.Name, redactURL(cfg.URL))
	case u.Fragment != "":
		return nil, fmt.Errorf("%s: endpoint %q has a #fragment", cfg.Name, cfg.URL)
	}
	if cfg.Service == "" {
		cfg.Service = u.Host
	}
	if s.ID == "" {
		return nil, fmt.Errorf("%s: id must be configured (the %s user name)", cfg.Name, cfg.Service)
	}
	if strings.Contains(s.ID, ":") {
		return nil, fmt.Errorf("%s: id must not contain ':' (HTTP Basic auth cannot carry it in a user name)", cfg.Name)
	}
	if s.Token == "" {
		return nil, fmt.Errorf("%s: token must be configured (the %s password or update key)", cfg.Name, cfg.Service)
	}
	// Preemptive Basic auth: the original waits for the server's 401
	// challenge and repeats the request; every dyndns2 server accepts the
	// header up front, and it saves a round trip.
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(s.ID+":"+s.Token))
	return &Client{s: s, cfg: cfg, auth: auth}, nil
}

// Set sends one update. A "nochg" answer is success with Unchanged set; a
// host the server does not know fails permanently with
// publish.ErrCannotCreate. The hint is not used: dyndns2 has no ids, so
// every change costs exactly one request.
func (c *Client) Set(ctx context.Context, r publish.Record) (publish.Result, error) {
	host := Hostname(r.Domain)
	params := publish.Extra{{Key: "hostname", Value: host}, {Key: "myip", Value: r.Addr.String()}}
	if c.cfg.Extra {
		for _, kv := range r.Extra {
			if kv.Key == "hostname" || kv.Key == "myip" {
				return publish.Result{}, publish.Permanent(fmt.Errorf("%s: %s: extra parameter %q would replace the one ddns sends", c.cfg.Name, host, kv.Key))
			}
		}
		params = append(params, r.Extra...)
	}
	c.noteIgnored(r)
	// No Accept header: the answer is plain text, and the original sends none.
	resp, err := c.s.Do(ctx, publish.Request{
		Method: http.MethodGet,
		URL:    c.url(params),
		Header: http.Header{"Authorization": {c.auth}},
	})
	if err != nil {
		return publish.Result{}, fmt.Errorf("%s: %s: %w", c.cfg.Name, host, err)
	}
	a := ParseAnswer(resp.Body)
	if err := a.Err(resp, r.Addr, c.cfg.Service); err != nil {
		return publish.Result{}, fmt.Errorf("%s: %s: %w", c.cfg.Name, host, err)
	}
	if len(a.Addrs) > 0 && !a.Has(r.Addr) {
		c.s.Log.Warn().Msgf("%s[%s]: %s answered %q to an update to %s", host, r.Type, c.cfg.Service, a.Text, r.Addr)
	}
	return publish.Result{Unchanged: a.Code == "nochg"}, nil
}

// url appends the sorted, encoded parameters to the update URL, after its
// own query if it has one.
func (c *Client) url(params publish.Extra) string {
	sep := "?"
	if strings.Contains(c.cfg.URL, "?") {
		sep = "&"
		if strings.HasSuffix(c.cfg.URL, "?") || strings.HasSuffix(c.cfg.URL, "&") {
			sep = ""
		}
	}
	return c.cfg.URL + sep + publish.Form(params)
}

// Hostname turns the original's "sub~zone" / "sub+zone" spelling into the
// plain host name the server knows ("@~example.com" → "example.com");
// other names are sent as configured.
func Hostname(domain string) string {
	for _, sep := range []string{"~", "+"} {
		if sub, zone, ok := strings.Cut(domain, sep); ok {
			return publish.FQDN(sub, strings.Trim(zone, ". "))
		}
	}
	return domain
}

// noteIgnored says once per provider which settings have no effect, so a
// user who set them is not left wondering.
func (c *Client) noteIgnored(r publish.Record) {
	var ignored []string
	if r.TTL != 0 {
		ignored = append(ignored, "TTL")
	}
	if r.Line != "" {
		ignored = append(ignored, "line")
	}
	if len(r.Extra) > 0 && !c.cfg.Extra {
		ignored = append(ignored, "extra")
	}
	if len(ignored) == 0 {
		return
	}
	c.ignoredOnce.Do(func() {
		c.s.Log.Info().Msgf("%s: the dyndns2 protocol has no %s parameter: ignored (set it in the %s control panel)", c.cfg.Name, strings.Join(ignored, "/"), c.cfg.Service)
	})
}

// redactURL hides a password written into a URL, for error messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil && strings.Contains(raw, "@"):
		return "(not shown: it may hold a password)"
	case err != nil || u.User == nil:
		return raw
	}
	return u.Redacted()
}
