package namesilo_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/namesilo"
)

// FuzzParseReply feeds arbitrary bodies to the response parser and to a
// whole Set whose every request is answered with that body: neither may
// panic, and a failed Set reports one prefixed line.
//
//	go test ./publish/namesilo -run '^$' -fuzz FuzzParseReply -fuzztime 20s
func FuzzParseReply(f *testing.F) {
	for _, fl := range readVectors(f).Flows {
		for _, r := range fl.Requests {
			f.Add([]byte(r.Canned.Body))
		}
	}
	for _, s := range []string{
		``, `null`, `[]`, `{"reply": null}`, `{"reply": "300"}`, `{"reply": {"code": 300}}`,
		`{"reply": {"code": 300, "resource_record": {"record_id": "a1", "type": "A", "host": "home.example.com", "value": "192.0.2.1", "ttl": 3600}}}`,
		`{"reply": {"code": "300", "resource_record": [{"record_id": 7, "type": "A", "host": "home", "value": "x", "ttl": null}]}}`,
		`{"reply": {"code": 300, "resource_record": "none"}}`, `{"reply": {"code": 110, "detail": "Invalid\nAPI Key"}}`,
		`{"reply": {"code": 1e400}}`, `<namesilo><reply><code>300</code></reply></namesilo>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _, _, _ = namesilo.ParseReply(body)

		client := &http.Client{Transport: answerWith(body)}
		p, err := namesilo.New(publish.Settings{Token: "k3y-value", HTTP: client, Log: zerolog.Nop(), Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		r := rec("home.example.com", "192.0.2.10")
		r.Hint = publish.Hint{ZoneID: "example.com", ZoneName: "example.com", RecordID: "a1/3600"}
		for _, r := range []publish.Record{rec("home.example.com", "192.0.2.10"), r} {
			_, err = p.Set(context.Background(), r)
			if err != nil && (!strings.HasPrefix(err.Error(), "namesilo: ") || strings.ContainsAny(err.Error(), "\r\n")) {
				t.Errorf("error %q: want one line starting with the provider name", err)
			}
		}
	})
}

// answerWith answers every request with 200 and body.
type answerWith []byte

func (b answerWith) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(b)), Request: req}, nil
}
