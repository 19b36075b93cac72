package aliesa

import (
	"context"
	"fmt"
	"net/http"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
)

// Constants of the ESA API.
const (
	DefaultEndpoint = "https://esa.cn-hangzhou.aliyuncs.com"
	Version         = "2024-09-10"
	// jsonType is signed on every call, GETs included, as the original
	// does: the API accepts it and the recorded requests carry it.
	jsonType = "application/json"
)

// client sends ACS3-signed RPC calls: reads are GETs with the parameters
// in a sorted query string, writes are POSTs with a JSON body written
// like the original's (so the recorded requests are reproduced byte for
// byte). The signer is alidns's: the algorithm is the same.
type client struct {
	s     publish.Settings
	url   string // the endpoint with one trailing "/"
	host  string // signed and sent as Host
	path  string // signed canonical URI: the URL's path
	nonce func() string
}

func newClient(s publish.Settings) (*client, error) {
	u, err := alidns.Endpoint("aliesa", s.Endpoint, DefaultEndpoint)
	if err != nil {
		return nil, err
	}
	return &client{s: s, url: u.String(), host: u.Host, path: u.EscapedPath(), nonce: alidns.NewNonce}, nil
}

// get sends a read action with params in the query string.
func (c *client) get(ctx context.Context, action string, params publish.Extra) (*publish.Response, error) {
	q := publish.Form(params)
	return c.send(ctx, http.MethodGet, action, c.url+"?"+q, q, nil)
}

// post sends a write action with params as a JSON body, in their order.
func (c *client) post(ctx context.Context, action string, params publish.Extra) (*publish.Response, error) {
	return c.send(ctx, http.MethodPost, action, c.url, "", publish.PyJSON(params))
}

// send signs and sends one call and returns the answer whatever its
// status, for the parse functions to judge. A transport failure is a
// transient error naming the action; no header is ever in an error.
func (c *client) send(ctx context.Context, method, action, target, query string, body []byte) (*publish.Response, error) {
	h, _ := alidns.RPC{
		Method: method, Host: c.host, Path: c.path, Query: query, Body: body, ContentType: jsonType,
		Action: action, Version: Version, Date: c.s.Now(), Nonce: c.nonce(),
	}.Sign(c.s.ID, c.s.Token)
	h.Set("Accept", "application/json")
	resp, err := c.s.Do(ctx, publish.Request{Method: method, URL: target, Header: h, Body: body, Host: c.host})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	return resp, nil
}
