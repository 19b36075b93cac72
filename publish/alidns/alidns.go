// Package alidns publishes records to Alibaba Cloud DNS (云解析 DNS,
// alidns.aliyuncs.com, API version 2015-01-09), signing every call with
// ACS3-HMAC-SHA256. The signer (Sign, RPC) and the error reading (Decode,
// APIError) are exported for the other Alibaba Cloud provider, aliesa.
//
// The id is an AccessKey ID and the token its AccessKey Secret. The zone
// of a name comes from one GetMainDomainName call, as in the original;
// sub-domain zones of the account (b.example.com next to example.com) are
// found with one more call (DescribeDomains) when the name is two or more
// labels below its main domain, and "sub~zone" names a zone explicitly.
package alidns

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

func init() {
	publish.Register(publish.Info{
		Readable: true,
		Name:     "alidns",
		ID:       "AccessKey ID",
		Token:    "AccessKey Secret",
		Creates:  true,
		TTL:      true,
		Line:     true,
	}, New)
}

// New builds the provider. It fails without an AccessKey pair or with an
// endpoint that is not an http(s) URL.
func New(s publish.Settings) (publish.Provider, error) {
	c, err := newClient(s)
	if err != nil {
		return nil, err
	}
	a := &api{c: c, log: s.Log}
	return &publish.ZoneFlow{Name: "alidns", API: a, Log: s.Log}, nil
}

// Prepare adapts a record to what the API expects before any request:
// Chinese line names become line codes, and extras that would replace a
// parameter ddns sets are refused.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	for _, kv := range r.Extra {
		if reserved[kv.Key] {
			return r, publish.Permanent(fmt.Errorf("extra parameter %q would replace the one ddns sends; use the ttl and line settings instead", kv.Key))
		}
	}
	r.Line = LineCode(r.Line)
	return r, nil
}

// reserved are the parameters of AddDomainRecord and UpdateDomainRecord
// that ddns fills in itself. The original fails the record when an extra
// repeats one; so do we, but before any request and saying why.
var reserved = map[string]bool{"DomainName": true, "RR": true, "Type": true, "Value": true, "TTL": true, "Line": true, "RecordId": true}

// lineCodes maps the Chinese line names users know from the console (and
// from DNSPod configurations) to the codes the API takes.
var lineCodes = map[string]string{
	"默认": "default", "电信": "telecom", "联通": "unicom", "移动": "mobile",
	"教育网": "edu", "境外": "oversea", "鹏博士": "drpeng", "广电网": "btvn", "搜索引擎": "search",
}

// LineCode returns the API's code for a line name: the Chinese names of
// the basic lines are translated, anything else is passed as is.
func LineCode(line string) string {
	if c, ok := lineCodes[strings.TrimSpace(line)]; ok {
		return c
	}
	return line
}

// wrap adds the provider, the action and, for refused credentials, what
// to check. Permanence is kept.
func wrap(action string, err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.Credentials() {
		return fmt.Errorf("%s: credentials refused: %w; check id (AccessKey ID) and token (AccessKey Secret)", action, err)
	}
	if refused(err) {
		return fmt.Errorf("%s: permission refused: %w; the AccessKey needs Alibaba Cloud DNS permissions (e.g. the AliyunDNSFullAccess policy)", action, err)
	}
	return fmt.Errorf("%s: %w", action, err)
}

// code returns the API error code carried by err, "" if none.
func code(err error) string {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code
	}
	return ""
}

// refused reports whether err says the key lacks a permission (a RAM
// policy), as opposed to being wrong.
func refused(err error) bool {
	c := code(err)
	return strings.HasPrefix(c, "Forbidden") || strings.HasPrefix(c, "NoPermission")
}

// zoneMissing reports whether err says the account holds no such zone.
func zoneMissing(err error) bool {
	c := code(err)
	return c == "InvalidDomainName.NoExist" || c == "IncorrectDomainUser"
}
