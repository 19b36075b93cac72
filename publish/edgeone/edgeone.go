// Package edgeone publishes addresses to Tencent Cloud EdgeOne (TEO, API
// 3.0 at teo.tencentcloudapi.com, version 2022-09-01; notes:
// docs/providers.md), signing every call with TC3-HMAC-SHA256 (the signer and
// client of package tencentcloud).
//
// Two providers share it. "edgeone" updates the origin of an acceleration
// domain (the host name EdgeOne accelerates is pointed at this address);
// "edgeone_dns" updates a DNS record of an EdgeOne-hosted zone. The extra
// setting teoDomainType ("dns" or "acceleration") switches either per
// configuration. The id is the SecretId of an API key, the token its
// SecretKey. See NOTES.md for where this differs from the original client.
package edgeone

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/tencentcloud"
)

const (
	defaultEndpoint = "https://teo.tencentcloudapi.com" // international: https://teo.intl.tencentcloudapi.com
	service         = "teo"
	version         = "2022-09-01"
)

// Modes: what a name is at EdgeOne.
const (
	modeAcceleration = "acceleration" // an acceleration domain: its origin is set
	modeDNS          = "dns"          // a DNS record: its content is set
)

// modeKey is the extra setting that chooses the mode; it is never sent.
const modeKey = "teoDomainType"

// variant is one of the two registered providers.
type variant struct {
	name, mode string
	info       publish.Info
}

var variants = []variant{
	{name: "edgeone", mode: modeAcceleration, info: publish.Info{
		ID: "SecretId of a Tencent Cloud API key", Token: "SecretKey of that API key",
	}},
	{name: "edgeone_dns", mode: modeDNS, info: publish.Info{
		ID: "SecretId of a Tencent Cloud API key", Token: "SecretKey of that API key",
	}},
}

func init() {
	for _, v := range variants {
		info := v.info
		info.Name, info.Readable, info.Creates = v.name, true, true
		info.Rate = 10 // EdgeOne allows 20 requests a second for ModifyDnsRecords
		publish.Register(info, v.new)
	}
}

// New builds the "edgeone" provider: acceleration domains by default.
func New(s publish.Settings) (publish.Provider, error) { return variants[0].new(s) }

// NewDNS builds the "edgeone_dns" provider: DNS records by default.
func NewDNS(s publish.Settings) (publish.Provider, error) { return variants[1].new(s) }

func (v variant) new(s publish.Settings) (publish.Provider, error) {
	c, err := tencentcloud.NewClient(v.name, s, defaultEndpoint, service, version)
	if err != nil {
		return nil, err
	}
	return &publish.ZoneFlow{Name: v.name, API: &api{c: c, mode: v.mode}, Log: s.Log}, nil
}

// reserved are the parameters ddns sets itself, per mode. The original
// fails a record whose extra repeats one; here it is refused up front.
var reserved = map[string]map[string]bool{
	modeDNS:          {"ZoneId": true, "Name": true, "Type": true, "Content": true, "DnsRecords": true, "RecordId": true},
	modeAcceleration: {"ZoneId": true, "DomainName": true, "OriginInfo": true},
}

// Prepare refuses extras that would replace a parameter ddns sets itself
// in the record's mode.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	mode, extra := split(a.mode, r.Extra)
	for _, kv := range extra {
		if reserved[mode][kv.Key] {
			return r, publish.Permanent(fmt.Errorf("extra %q would replace a parameter ddns sets itself", kv.Key))
		}
	}
	return r, nil
}

// integers are the documented integer parameters a user may set in
// extra. The command line and the environment give text ("--extra.TTL
// 600"); the API refuses a string.
var integers = map[string]bool{"TTL": true, "Weight": true, "Priority": true, "HttpOriginPort": true, "HttpsOriginPort": true}

// split returns the mode for a record (teoDomainType from extra, else
// def) and the extra parameters to send: without teoDomainType and nulls,
// integer parameters given as text converted. As in the original, "dns"
// in any case selects DNS records and any other value acceleration
// domains.
func split(def string, extra publish.Extra) (mode string, rest publish.Extra) {
	mode = def
	for _, kv := range extra {
		switch {
		case kv.Key == modeKey:
			mode = modeAcceleration
			if strings.EqualFold(strings.TrimSpace(publish.PyStr(kv.Value)), modeDNS) {
				mode = modeDNS
			}
		case kv.Value != nil:
			if s, ok := kv.Value.(string); ok && integers[kv.Key] {
				if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
					kv.Value = n
				}
			}
			rest = append(rest, kv)
		}
	}
	return mode, rest
}
