// Package huaweidns publishes records to Huawei Cloud DNS (notes:
// docs/providers.md): zones v2 and record sets v2.1 of the REST API,
// every call signed with SDK-HMAC-SHA256 (AK/SK).
//
// The id is the Access Key ID, the token the Secret Access Key. Names are
// absolute at this API ("www.example.com."). The configured line is a
// Huawei line id (default_view, Dianxin, …): a list filter and a create
// field; an update never changes a record's line.
package huaweidns

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// defaultEndpoint is the global endpoint; regional ones
// (https://dns.cn-north-4.myhuaweicloud.com) work the same.
const defaultEndpoint = "https://dns.myhuaweicloud.com"

func init() {
	publish.Register(publish.Info{
		Readable: true,
		Name:     "huaweidns",
		ID:       "Access Key ID (AK)",
		Token:    "Secret Access Key (SK)",
		Creates:  true,
		TTL:      true,
		Line:     true,
	}, New)
}

// reserved are the JSON members the provider sets itself. The original
// fails a record whose extra repeats one; here it is refused up front,
// before any request, with a message saying which option to use.
var reserved = map[string]bool{"name": true, "type": true, "records": true, "ttl": true, "line": true}

// New checks the credentials and the endpoint; no request is made.
func New(s publish.Settings) (publish.Provider, error) {
	if s.ID == "" {
		return nil, errors.New("huaweidns: id (the Access Key ID) must be configured")
	}
	if s.Token == "" {
		return nil, errors.New("huaweidns: token (the Secret Access Key) must be configured")
	}
	endpoint := s.Endpoint
	if endpoint == "" {
		endpoint = defaultEndpoint
	}
	base, host, prefix, ok := splitEndpoint(endpoint)
	if !ok {
		return nil, fmt.Errorf("huaweidns: endpoint %q is not an http(s) URL", endpoint)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.HTTP == nil {
		s.HTTP = http.DefaultClient
	}
	c := &client{s: s, base: base, host: host, prefix: prefix}
	return &publish.ZoneFlow{Name: "huaweidns", API: &api{c: c}, Log: s.Log}, nil
}

// Prepare refuses extras that would override a field ddns sets itself.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	for _, kv := range r.Extra {
		if reserved[kv.Key] {
			return r, publish.Permanent(fmt.Errorf("extra %q would override a field ddns sets itself (use the ttl and line options)", kv.Key))
		}
	}
	return r, nil
}
