// Package aliesa publishes records to Alibaba Cloud ESA (Edge Security
// Acceleration, esa.cn-hangzhou.aliyuncs.com, API version 2024-09-10):
// the DNS records of an ESA site, every call signed with
// ACS3-HMAC-SHA256 by the alidns signer (notes: docs/providers.md).
//
// The id is an AccessKey ID and the token its AccessKey Secret. A zone is
// an ESA site, found by name with ListSites (longest name first). ESA has
// a single record type, A/AAAA, for both address families: an A and an
// AAAA record of one name are told apart by their value.
package aliesa

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
)

func init() {
	publish.Register(publish.Info{
		Readable: true,
		Name:     "aliesa",
		ID:       "AccessKey ID",
		Token:    "AccessKey Secret",
		Creates:  true,
		TTL:      true,
		Line:     false,
	}, New)
}

// New builds the provider. It fails without an AccessKey pair or with an
// endpoint that is not an http(s) URL; no request is made.
func New(s publish.Settings) (publish.Provider, error) {
	if s.ID == "" {
		return nil, errors.New("aliesa: id (AccessKey ID) must be configured")
	}
	if s.Token == "" {
		return nil, errors.New("aliesa: token (AccessKey Secret) must be configured")
	}
	if s.HTTP == nil {
		s.HTTP = http.DefaultClient
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	c, err := newClient(s)
	if err != nil {
		return nil, err
	}
	// The original's Comment names the local time the program started.
	a := &api{c: c, remark: "Managed by DDNS " + s.Now().Format("2006-01-02 15:04:05")}
	return &publish.ZoneFlow{Name: "aliesa", API: a, Log: s.Log}, nil
}

// Prepare checks the configured extras and makes them ready to send
// before any request.
func (a *api) Prepare(r publish.Record) (publish.Record, error) {
	extra, err := extras(r.Extra)
	r.Extra = extra
	return r, err
}

// reserved are the parameters of CreateRecord and UpdateRecord that ddns
// fills in itself. The original fails the record when an extra repeats
// one; so do we, but before any request and saying why.
var reserved = map[string]bool{"SiteId": true, "RecordName": true, "Type": true, "Data": true, "Ttl": true, "RecordId": true}

// extras checks the configured extras and returns them ready to send, in
// order: nulls dropped, Proxied made a boolean (the command line gives
// text). Errors are permanent: the configuration must change.
func extras(x publish.Extra) (publish.Extra, error) {
	out := make(publish.Extra, 0, len(x))
	for _, kv := range x {
		if kv.Value == nil {
			continue
		}
		if reserved[kv.Key] {
			return nil, publish.Permanent(fmt.Errorf("extra %q would replace a parameter ddns sets itself; use the ttl setting for Ttl", kv.Key))
		}
		if kv.Key == "Proxied" {
			b, err := boolean(kv.Value)
			if err != nil {
				return nil, publish.Permanent(fmt.Errorf("extra Proxied must be true or false, not %v", kv.Value))
			}
			kv.Value = b
		}
		out = append(out, kv)
	}
	return out, nil
}

func boolean(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		return strconv.ParseBool(strings.TrimSpace(x))
	}
	return false, fmt.Errorf("not a boolean: %v", v)
}

// wrap adds the provider, the action and, for refused credentials or
// permissions, what to check. Permanence is kept.
func wrap(action string, err error) error {
	var ae *alidns.APIError
	if errors.As(err, &ae) && ae.Credentials() {
		return fmt.Errorf("%s: credentials refused: %w; check id (AccessKey ID) and token (AccessKey Secret)", action, err)
	}
	if c := code(err); strings.HasPrefix(c, "Forbidden") || strings.HasPrefix(c, "NoPermission") {
		return fmt.Errorf("%s: permission refused: %w; the AccessKey needs ESA permissions (e.g. the AliyunESAFullAccess policy)", action, err)
	}
	return fmt.Errorf("%s: %w", action, err)
}
