package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/ddns-go/ddns/publish"
)

// client sends authenticated API v4 requests.
type client struct {
	s    publish.Settings
	base string // endpoint + "/client/v4", no trailing slash
}

// call sends one request and returns the answer's result member. op names
// the step in error messages ("find zone example.com"). query, when not
// nil, is encoded like the original does (sorted form encoding); body,
// when not nil, is sent as JSON.
func (c *client) call(ctx context.Context, op, method, path string, query publish.Extra, body []byte) (json.RawMessage, error) {
	url := c.base + path
	if query != nil {
		url += "?" + publish.Form(query)
	}
	h := http.Header{}
	if c.s.ID == "" {
		h.Set("Authorization", "Bearer "+c.s.Token)
	} else {
		h.Set("X-Auth-Email", c.s.ID)
		h.Set("X-Auth-Key", c.s.Token)
	}
	h.Set("Accept", "application/json")
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	resp, err := c.s.Do(ctx, publish.Request{Method: method, URL: url, Header: h, Body: body})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	result, err := parseAnswer(resp)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return result, nil
}
