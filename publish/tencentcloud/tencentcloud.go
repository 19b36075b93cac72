// Package tencentcloud publishes records to Tencent Cloud DNSPod through
// API 3.0 (dnspod.tencentcloudapi.com, version 2021-03-23; notes:
// docs/providers.md), every call signed with TC3-HMAC-SHA256.
//
// The id is the SecretId of an API key, the token its SecretKey. Zones are
// found with DescribeDomain, records with DescribeRecordList and written
// with CreateRecord and ModifyRecord; a remembered record id makes an
// address change one ModifyRecord call.
//
// The signer (Request, SignWithKey, DeriveKeys) and the API 3.0 client
// (Client, APIError) are exported for the EdgeOne providers, which speak
// the same protocol to another service. See NOTES.md for where this
// differs from the original client.
package tencentcloud

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

const (
	name            = "tencentcloud"
	defaultEndpoint = "https://dnspod.tencentcloudapi.com"
	service         = "dnspod"
	version         = "2021-03-23"
)

func init() {
	publish.Register(publish.Info{
		Rate:     10, // Tencent Cloud API 3.0 allows 20 requests a second per action
		Readable: true,
		Name:     name,
		ID:       "SecretId of a Tencent Cloud API key",
		Token:    "SecretKey of that API key",
		Creates:  true,
		TTL:      true,
		Line:     true,
	}, New)
}

// New checks the credentials and the endpoint; no request is made.
func New(s publish.Settings) (publish.Provider, error) {
	c, err := NewClient(name, s, defaultEndpoint, service, version)
	if err != nil {
		return nil, err
	}
	return &publish.ZoneFlow{Name: name, API: &api{c: c}, Log: s.Log}, nil
}

// reserved are the parameters ddns sets itself. The original fails a
// record whose extra repeats one; here it is refused up front, before any
// request, with a message saying which option to use.
var reserved = map[string]bool{
	"Domain": true, "DomainId": true, "SubDomain": true, "Subdomain": true, "RecordId": true,
	"RecordType": true, "Value": true, "RecordLine": true, "TTL": true,
}

// integers are the documented integer parameters of CreateRecord and
// ModifyRecord a user may set in extra. The command line and the
// environment give text ("--extra.Weight 10"); the API refuses a string.
var integers = map[string]bool{"Weight": true, "MX": true, "GroupId": true}

// Prepare refuses extras that would replace a parameter ddns sets and
// makes the integer ones numbers.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	extra := make(publish.Extra, 0, len(r.Extra))
	for _, kv := range r.Extra {
		if reserved[kv.Key] {
			return r, publish.Permanent(fmt.Errorf("extra %q would replace a parameter ddns sets itself (use the ttl and line options)", kv.Key))
		}
		if s, ok := kv.Value.(string); ok && integers[kv.Key] {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
				kv.Value = n
			}
		}
		extra = append(extra, kv)
	}
	r.Extra = extra
	return r, nil
}
