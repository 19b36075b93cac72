package namesilo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ddns-go/ddns/publish"
)

// reply is the "reply" member of a NameSilo JSON answer:
//
//	{"request": {"operation": "...", "ip": "..."},
//	 "reply": {"code": 300, "detail": "success", ...}}
//
// Each operation reads its own members: record_id (dnsAddRecord,
// dnsUpdateRecord) or resource_record (dnsListRecords).
type reply struct {
	Code     text    `json:"code"`
	Detail   text    `json:"detail"`
	RecordID text    `json:"record_id"`
	Records  records `json:"resource_record"`
}

// record is one resource_record of a dnsListRecords answer. NameSilo
// documents host as the fully qualified name ("www.example.com", the
// apex as "example.com"); ttl and distance come as strings.
type record struct {
	ID    text `json:"record_id"`
	Type  text `json:"type"`
	Host  text `json:"host"`
	Value text `json:"value"`
	TTL   text `json:"ttl"`
}

// records is resource_record, which NameSilo sends as an array, but as a
// bare object in some answers holding a single record (a JSON rendering
// of its XML), and omits when the zone is empty.
type records []record

func (rs *records) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*rs = nil
		return nil
	case len(b) > 0 && b[0] == '{':
		var one record
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*rs = records{one}
		return nil
	}
	var many []record
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*rs = many
	return nil
}

// text is a scalar sent as a string or a number (see publish.Text).
type text = publish.Text

// errMalformed marks an answer that is not NameSilo's JSON: an HTML or
// XML error page from a front end, a truncated body. Such answers are
// transient: the next attempt may reach the API.
var errMalformed = errors.New("malformed answer")

// parseReply decodes an answer body and returns its reply. It fails on
// anything that is not a JSON object with a reply code, never panics, and
// keeps the decoder's reason in the message for the log.
func parseReply(body []byte) (reply, error) {
	var a struct {
		Reply *reply `json:"reply"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return reply{}, fmt.Errorf("%w (not NameSilo JSON: %v)", errMalformed, err)
	}
	if a.Reply == nil || a.Reply.Code == "" {
		return reply{}, fmt.Errorf("%w (no reply code)", errMalformed)
	}
	return *a.Reply, nil
}
