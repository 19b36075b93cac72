package dnspod

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ddns-go/ddns/publish"
)

// answer is a DNSPod reply. Every action answers {"status": {...}, ...};
// each action reads its own member (domain, records or record).
type answer struct {
	Status struct {
		Code    text `json:"code"`
		Message text `json:"message"`
	} `json:"status"`
	Domain  *item    `json:"domain"`
	Record  *item    `json:"record"`
	Records []record `json:"records"`
}

// item is the part of "domain" and "record" answers we read.
type item struct {
	ID   text `json:"id"`
	Name text `json:"name"`
}

// record is one entry of a Record.List answer.
type record struct {
	ID    text `json:"id"`
	Name  text `json:"name"`
	Type  text `json:"type"`
	Line  text `json:"line"`
	Value text `json:"value"`
	TTL   text `json:"ttl"`
}

// text is a scalar sent as a string or a number (see publish.Text).
type text = publish.Text

// errMalformed marks an answer that is not DNSPod's JSON: an HTML error
// page from a proxy, a truncated body. Such answers are transient: the
// next attempt may reach the API.
var errMalformed = errors.New("malformed answer")

// parseAnswer decodes a reply body. It fails on anything that is not a
// JSON object with a status code, never panics, and keeps the decoder's
// reason in the message for the log.
func parseAnswer(body []byte) (answer, error) {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return answer{}, fmt.Errorf("%w (not DNSPod JSON: %v)", errMalformed, err)
	}
	if a.Status.Code == "" {
		return answer{}, fmt.Errorf("%w (no status code)", errMalformed)
	}
	return a, nil
}
