package tencentcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/publish"
)

// Text is a scalar sent as a string or a number (see publish.Text).
type Text = publish.Text

// parseDomainID reads DescribeDomain's DomainInfo.DomainId.
func parseDomainID(resp json.RawMessage) (string, error) {
	var a struct {
		DomainInfo *struct {
			DomainID Text `json:"DomainId"`
		} `json:"DomainInfo"`
	}
	if err := Decode(resp, &a); err != nil {
		return "", err
	}
	if a.DomainInfo == nil || a.DomainInfo.DomainID == "" {
		return "", fmt.Errorf("%w: no DomainInfo.DomainId", errMalformed)
	}
	if _, err := strconv.ParseUint(string(a.DomainInfo.DomainID), 10, 64); err != nil {
		return "", fmt.Errorf("%w: DomainId %q is not a number", errMalformed, publish.OneLine(string(a.DomainInfo.DomainID), 40))
	}
	return string(a.DomainInfo.DomainID), nil
}

// parseRecords returns the records of a DescribeRecordList answer named
// sub ("@" for the apex) with type typ, in the API's order. Record ids
// carry the line (see ref).
func parseRecords(resp json.RawMessage, sub, typ string) ([]publish.Existing, error) {
	var a struct {
		RecordList []struct {
			RecordID Text `json:"RecordId"`
			Name     Text `json:"Name"`
			Type     Text `json:"Type"`
			Value    Text `json:"Value"`
			Line     Text `json:"Line"`
			TTL      Text `json:"TTL"`
		} `json:"RecordList"`
	}
	if err := Decode(resp, &a); err != nil {
		return nil, err
	}
	var out []publish.Existing
	for _, r := range a.RecordList {
		// The Subdomain filter is exact, but check anyway: a record of
		// another name must never be overwritten, and one without an id
		// cannot be updated.
		if r.RecordID == "" || !strings.EqualFold(string(r.Name), sub) || !strings.EqualFold(string(r.Type), typ) {
			continue
		}
		ttl, _ := strconv.Atoi(string(r.TTL))
		out = append(out, publish.Existing{
			ID: ref(string(r.RecordID), string(r.Line)), Name: string(r.Name),
			Value: string(r.Value), TTL: ttl, Line: string(r.Line),
		})
	}
	return out, nil
}

// parseRecordID reads the RecordId that CreateRecord and ModifyRecord
// answer with; the original counts an answer without one as a failure.
func parseRecordID(resp json.RawMessage) (string, error) {
	var a struct {
		RecordID Text `json:"RecordId"`
	}
	if err := Decode(resp, &a); err != nil {
		return "", err
	}
	if a.RecordID == "" {
		return "", errors.New("the answer holds no RecordId")
	}
	return string(a.RecordID), nil
}

// A record reference is what the state file keeps as the record id: the
// DNSPod id, plus "/<line>" when the record is not on the default line.
// ModifyRecord requires the line, and updating by id with the default
// line would silently move such a record. DNSPod ids are numeric, so the
// first "/" always separates.
func ref(id, line string) string {
	if line == "" || line == defaultLine {
		return id
	}
	return id + "/" + line
}

func parseRef(r string) (id, line string) {
	id, line, _ = strings.Cut(r, "/")
	if line == "" {
		line = defaultLine
	}
	return id, line
}
