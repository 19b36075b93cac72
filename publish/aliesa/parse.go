package aliesa

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/alidns"
)

// decode reads an ESA answer into out with alidns.Decode (same gateway,
// same error shape), and also treats ESA's own busy codes as transient:
// the gateway may send them with HTTP 400, which Decode would take for
// a permanent refusal.
func decode(resp *publish.Response, out any) error {
	err := alidns.Decode(resp, out)
	var ae *alidns.APIError
	if errors.As(err, &ae) && busy(ae.Code) {
		return ae // not Permanent
	}
	return err
}

// busy reports whether an ESA error code means "try again later".
func busy(code string) bool {
	return code == "TooManyRequests" || strings.HasSuffix(code, "ServiceBusy")
}

// id is a numeric id (SiteId, RecordId) the API may send as a JSON number
// or string. It is kept as decimal text: ids exceed float64 precision.
type id string

func (i *id) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*i = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	if !numeric(string(b)) {
		return fmt.Errorf("id %.20q is not a whole number", b)
	}
	*i = id(b)
	return nil
}

// numeric reports whether s is a non-empty run of decimal digits: what
// an id must be to be sent as a JSON number.
func numeric(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// sitesAnswer is ListSites' answer.
type sitesAnswer struct {
	Sites *[]struct {
		SiteId   id
		SiteName string
	}
}

// recordsAnswer is ListRecords' answer.
type recordsAnswer struct {
	Records *[]struct {
		RecordId   id
		RecordName string
		RecordType string
		Data       struct{ Value string }
		Ttl        json.Number
		Proxied    *bool
	}
}

// recordIDAnswer is CreateRecord's answer.
type recordIDAnswer struct {
	RecordId id
}

// parseSiteID returns the SiteId of the site called name in a ListSites
// answer, or "" when there is none. Names are compared exactly (case
// aside): a fuzzy match is not the zone.
func parseSiteID(resp *publish.Response, name string) (string, error) {
	var a sitesAnswer
	if err := decode(resp, &a); err != nil {
		return "", err
	}
	if a.Sites == nil {
		return "", errors.New("answer has no Sites")
	}
	for _, s := range *a.Sites {
		if strings.EqualFold(s.SiteName, name) {
			if s.SiteId == "" {
				return "", fmt.Errorf("site %s has no SiteId", name)
			}
			return string(s.SiteId), nil
		}
	}
	return "", nil
}

// parseRecords returns the records of a ListRecords answer that are
// called fqdn and hold an address of typ's family ("A" or "AAAA"), in the
// API's order. ESA has one type, A/AAAA, for both families: an IPv4 and
// an IPv6 record of one name come in the same list, and only the one of
// the right family may be updated. Raw is the record's Proxied (*bool).
func parseRecords(resp *publish.Response, fqdn, typ string) ([]publish.Existing, error) {
	var a recordsAnswer
	if err := decode(resp, &a); err != nil {
		return nil, err
	}
	if a.Records == nil {
		return nil, errors.New("answer has no Records")
	}
	var out []publish.Existing
	for _, r := range *a.Records {
		if !strings.EqualFold(strings.TrimSuffix(r.RecordName, "."), fqdn) || r.RecordType != esaType(typ) {
			continue
		}
		addr, err := netip.ParseAddr(r.Data.Value)
		if err != nil || family(addr) != typ {
			continue
		}
		if r.RecordId == "" {
			return nil, errors.New("answer has a record without RecordId")
		}
		ttl, _ := strconv.Atoi(string(r.Ttl))
		out = append(out, publish.Existing{ID: string(r.RecordId), Name: r.RecordName, Value: r.Data.Value, TTL: ttl, Raw: r.Proxied})
	}
	return out, nil
}

// parseRecordID reads the RecordId that CreateRecord answers on success.
func parseRecordID(resp *publish.Response) (string, error) {
	var a recordIDAnswer
	if err := decode(resp, &a); err != nil {
		return "", err
	}
	if a.RecordId == "" {
		return "", errors.New("answer has no RecordId")
	}
	return string(a.RecordId), nil
}

// parseUpdate judges an UpdateRecord answer. The API documents only a
// RequestId for it, so a 2xx JSON object is success.
func parseUpdate(resp *publish.Response) error {
	var a map[string]json.RawMessage
	if err := decode(resp, &a); err != nil {
		return err
	}
	if a == nil {
		return errors.New("answer is not a JSON object")
	}
	return nil
}

// esaType maps a DNS record type to ESA's: both address types are A/AAAA.
func esaType(typ string) string {
	if typ == "A" || typ == "AAAA" {
		return "A/AAAA"
	}
	return typ
}

// family is the DNS type of an address: "A" or "AAAA".
func family(a netip.Addr) string {
	if a.Is4() {
		return "A"
	}
	return "AAAA"
}
