package cloudns_test

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
	"github.com/ddns-go/ddns/publish/cloudns"
)

// FuzzParseAnswer feeds arbitrary bodies to the response parsers and to a
// whole Set whose every request is answered with that body: neither may
// panic, and a failed Set reports one prefixed line without the token.
//
//	go test ./publish/cloudns -run '^$' -fuzz FuzzParseAnswer -fuzztime 20s
func FuzzParseAnswer(f *testing.F) {
	for _, fl := range readVectors(f).Flows {
		for _, r := range fl.Requests {
			f.Add([]byte(r.Canned.Body))
		}
	}
	for _, s := range []string{
		``, `null`, `[]`, `[1]`, `{}`, `"Failed"`, `{"status": "Failed"}`,
		`{"status": "Failed", "statusDescription": "Invalid authentication, incorrect auth-id or auth-password."}`,
		`{"status": "Failed", "statusDescription": "a\nb"}`,
		`{"name": "example.com", "type": "master", "zone": "domain", "status": "1"}`,
		`{"name": "home.example.com", "type": "slave", "status": 1}`,
		`{"1": {"id": 1, "type": "A", "host": "home", "record": "192.0.2.1", "ttl": 60}, "2": null}`,
		`{"1": {"id": "1", "type": "A", "host": "home", "record": "192.0.2.1", "ttl": "x"}} trailing`,
		`{"status": "Success", "data": []}`, `{"status": "Success", "data": {"id": {}}}`,
		`<html>502</html>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		cloudns.Parse(body)

		client := &http.Client{Transport: answerWith(body)}
		p, err := cloudns.New(publish.Settings{ID: "1", Token: "t0ken-secret", HTTP: client, Log: zerolog.Nop(), Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Set(context.Background(), rec("home.example.com", "192.0.2.10"))
		if err != nil && (!strings.HasPrefix(err.Error(), "cloudns: ") || strings.ContainsAny(err.Error(), "\r\n") || strings.Contains(err.Error(), "t0ken-secret")) {
			t.Errorf("error %q: want one line starting with the provider name, without the token", err)
		}
	})
}

// answerWith answers every request with 200 and body.
type answerWith []byte

func (b answerWith) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(b)), Request: req}, nil
}
