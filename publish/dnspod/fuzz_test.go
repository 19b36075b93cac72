package dnspod_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dnspod"
)

// FuzzParseAnswer feeds arbitrary bodies to the response parser and to a
// whole Set whose every request is answered with that body: neither may
// panic, and a failed Set reports one prefixed line.
//
//	go test ./publish/dnspod -run '^$' -fuzz FuzzParseAnswer -fuzztime 20s
func FuzzParseAnswer(f *testing.F) {
	for _, file := range []string{"testdata/dnspod.json", "testdata/dnspod_com.json"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var vf vectorFile
		if err := json.Unmarshal(data, &vf); err != nil {
			f.Fatal(err)
		}
		for _, fl := range vf.Flows {
			for _, r := range fl.Requests {
				f.Add([]byte(r.Canned.Body))
			}
		}
	}
	for _, s := range []string{
		``, `null`, `[]`, `{"status": "1"}`, `{"status": {"code": 1}}`,
		`{"status": {"code": "1"}, "domain": {"id": 12}, "records": [{"id": 1, "name": "home", "ttl": null}]}`,
		`{"status": {"code": "1"}, "records": {"id": "1"}}`, `{"status": {"code": "-1", "message": "a\nb"}}`,
		`<html>502</html>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		_ = dnspod.ParseAnswer(body)

		client := &http.Client{Transport: answerWith(body)}
		p, err := dnspod.New(publish.Settings{ID: "1", Token: "t0ken", HTTP: client, Log: zerolog.Nop(), Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Set(context.Background(), rec("home.example.com", "192.0.2.10"))
		if err != nil && (!strings.HasPrefix(err.Error(), "dnspod: ") || strings.ContainsAny(err.Error(), "\r\n")) {
			t.Errorf("error %q: want one line starting with the provider name", err)
		}
	})
}

// answerWith answers every request with 200 and body.
type answerWith []byte

func (b answerWith) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(b)), Request: req}, nil
}
