// Package callback is the generic webhook provider of the original client.
//
// The id is a URL template; the token, when set, is a JSON object template
// sent as a POST body, else the request is a GET. In both, these
// placeholders are replaced by plain substring substitution (no URL
// encoding), after each extra parameter's name is replaced by its value:
// __DOMAIN__, __RECORDTYPE__, __TTL__, __IP__, __TIMESTAMP__ (Unix time
// with microseconds), __LINE__. A TTL or line that is not configured is
// the text "None", as in the original. In a POST template only top-level
// string members are substituted.
package callback

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

func init() {
	publish.Register(publish.Info{
		Rate:    20, // a webhook of the user's own; still bounded
		Name:    "callback",
		ID:      "URL template, e.g. https://example.net/up?host=__DOMAIN__&ip=__IP__",
		Token:   "empty for GET, or a JSON object template for a POST body",
		Creates: true,
		TTL:     true,
		Line:    true,
	}, New)
}

// maxResponse bounds how much of the webhook's answer is read.
const maxResponse = 64 << 10

type provider struct {
	s    publish.Settings
	body publish.Extra // nil for GET; members in template order
}

// New validates the settings: the id must be an http(s) URL, the endpoint
// empty, and the token empty or a JSON object.
func New(s publish.Settings) (publish.Provider, error) {
	if s.Endpoint != "" {
		return nil, errors.New("callback: endpoint must be empty; put the whole URL in id")
	}
	u, err := url.Parse(s.ID)
	if err != nil || !strings.Contains(s.ID, "://") || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, errors.New("callback: id must be the webhook URL (http:// or https://)")
	}
	p := &provider{s: s}
	if strings.TrimSpace(s.Token) != "" {
		if p.body, err = parseTemplate(s.Token); err != nil {
			return nil, fmt.Errorf("callback: token must be a JSON object template: %v", err)
		}
	}
	return p, nil
}

// parseTemplate reads a JSON object keeping member order; values stay raw
// so nested members are sent exactly as written.
func parseTemplate(text string) (publish.Extra, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	out := publish.Extra{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		var s string
		if json.Unmarshal(v, &s) == nil {
			out = append(out, publish.KV{Key: key, Value: s})
		} else {
			out = append(out, publish.KV{Key: key, Value: v})
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

func (p *provider) Set(ctx context.Context, r publish.Record) (publish.Result, error) {
	subst := p.substitutions(r)
	target := subst.Replace(p.s.ID)
	method, body := http.MethodGet, []byte(nil)
	if p.body != nil {
		method = http.MethodPost
		fields := make(publish.Extra, len(p.body))
		for i, kv := range p.body {
			if s, ok := kv.Value.(string); ok {
				kv.Value = subst.Replace(s)
			}
			fields[i] = kv
		}
		if len(fields) > 0 {
			body = publish.PyJSON(fields)
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return publish.Result{}, publish.Permanent(fmt.Errorf("callback: %v", err))
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	} else {
		req.Body, req.ContentLength = nil, 0
	}
	p.s.Log.Debug().Str("method", method).Str("url", safeURL(req.URL)).Msg("callback request")
	resp, err := p.s.HTTP.Do(req)
	if err != nil {
		return publish.Result{}, fmt.Errorf("callback: %s %s: %w", method, safeURL(req.URL), unwrapURLError(err))
	}
	defer resp.Body.Close()
	// The answer must arrive whole: a 200 whose body broke off (a reset,
	// a timeout) may come from a proxy or a crashed handler, so it is not
	// a confirmation.
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return publish.Result{}, fmt.Errorf("callback: %s %s: status %d but the answer broke off: %w", method, safeURL(req.URL), resp.StatusCode, err)
	}
	if err := publish.CheckStatus(resp, data); err != nil {
		return publish.Result{}, fmt.Errorf("callback: %s %s: %w", method, safeURL(req.URL), err)
	}
	return publish.Result{}, nil
}

// substitutions builds the replacement sequence: extras first, then the
// placeholders, as the original applies them.
func (p *provider) substitutions(r publish.Record) *sequence {
	var s sequence
	for _, kv := range r.Extra {
		s = append(s, [2]string{kv.Key, text(kv.Value)})
	}
	ttl, line := "None", "None"
	if r.TTL > 0 {
		ttl = strconv.Itoa(r.TTL)
	}
	if r.Line != "" {
		line = r.Line
	}
	now := p.s.Now()
	ts := publish.PyFloat(float64(now.UnixMicro()) / 1e6)
	s = append(s,
		[2]string{"__DOMAIN__", r.Domain},
		[2]string{"__RECORDTYPE__", r.Type},
		[2]string{"__TTL__", ttl},
		[2]string{"__IP__", r.Addr.String()},
		[2]string{"__TIMESTAMP__", ts},
		[2]string{"__LINE__", line},
	)
	return &s
}

// sequence applies replacements one after another, like the original's
// chained str.replace calls (not simultaneously like strings.Replacer).
type sequence [][2]string

func (s *sequence) Replace(in string) string {
	for _, p := range *s {
		if p[0] != "" {
			in = strings.ReplaceAll(in, p[0], p[1])
		}
	}
	return in
}

// text renders an extra value like Python's str().
func text(v any) string { return publish.PyStr(v) }

// safeURL drops the query and credentials, which often hold API keys.
func safeURL(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.Fragment = nil, "", ""
	return c.String()
}

// unwrapURLError removes *url.Error's "Get <full url>:" prefix, which
// would leak the query string into the log.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
