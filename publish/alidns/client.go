package alidns

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Constants of the Alibaba Cloud DNS API.
const (
	DefaultEndpoint = "https://alidns.aliyuncs.com"
	Version         = "2015-01-09"
	formType        = "application/x-www-form-urlencoded"
)

// client sends signed RPC calls: every call is a POST to the endpoint with
// a sorted form body (the original's encoding, so the recorded requests are
// reproduced byte for byte) and the action in x-acs-action.
type client struct {
	s     publish.Settings
	url   string // where requests go: the endpoint with one trailing "/"
	host  string // signed and sent as Host
	path  string // signed canonical URI: the URL's path
	nonce func() string
}

func newClient(s publish.Settings) (*client, error) {
	if s.ID == "" {
		return nil, fmt.Errorf("alidns: id (AccessKey ID) must be configured")
	}
	if s.Token == "" {
		return nil, fmt.Errorf("alidns: token (AccessKey Secret) must be configured")
	}
	u, err := Endpoint("alidns", s.Endpoint, DefaultEndpoint)
	if err != nil {
		return nil, err
	}
	if s.HTTP == nil {
		s.HTTP = http.DefaultClient
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	return &client{s: s, url: u.String(), host: u.Host, path: u.EscapedPath(), nonce: NewNonce}, nil
}

// Endpoint reads the endpoint of an Alibaba Cloud API (def when ep is
// empty) for provider: an http(s) URL without a query, its path ending in
// one "/". The original appends "/" even to an endpoint ending in "/" and
// then signs "/" for a "//" path, which the API refuses: trim instead.
// The URL's Host is signed and sent as Host, its escaped path signed as
// the canonical URI.
func Endpoint(provider, ep, def string) (*url.URL, error) {
	if ep == "" {
		ep = def
	}
	u, err := url.Parse(ep)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("%s: endpoint %q is not an http(s) URL like %s", provider, ep, def)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	return u, nil
}

// call sends action with params and returns the answer, whatever its
// status, for the parse functions to judge. A transport failure is a
// transient error naming the action; no header is ever in an error.
func (c *client) call(ctx context.Context, action string, params publish.Extra) (*publish.Response, error) {
	body := []byte(publish.Form(params))
	h, _ := RPC{
		Method: http.MethodPost, Host: c.host, Path: c.path, Body: body, ContentType: formType,
		Action: action, Version: Version, Date: c.s.Now(), Nonce: c.nonce(),
	}.Sign(c.s.ID, c.s.Token)
	h.Set("Accept", "application/json")
	resp, err := c.s.Do(ctx, publish.Request{Method: http.MethodPost, URL: c.url, Header: h, Body: body, Host: c.host})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	return resp, nil
}
