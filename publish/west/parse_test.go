package west_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/west"
)

func TestParseAnswer(t *testing.T) {
	for _, tc := range []struct {
		body, contentType string
		code              int
		msg, id           string
		bad               bool
	}{
		{body: `{"code": 200, "msg": "success", "body": {"record_id": 123456}}`, code: 200, msg: "success", id: "123456"},
		{body: `{"code": 404, "msg": "domain not found"}`, code: 404, msg: "domain not found"},
		{body: `{"code": "200", "msg": "ok", "body": {"record_id": "77"}}`, code: 200, msg: "ok", id: "77"},
		{body: `{"code": 200, "body": []}`, code: 200},
		{body: `{"code": 200, "body": "done", "msg": null}`, code: 200},
		{body: `{"code": 200, "body": {"record_id": {"x": 1}}}`, code: 200},
		{body: `{"code": 500, "msg": 12}`, code: 500, msg: "12"},
		{body: "{\"code\": 500, \"msg\": \"\xcf\xb5\xcd\xb3\"}", contentType: "application/json; charset=gb2312", code: 500, msg: "\uFFFD\uFFFD"},
		// 0x5C ('\') as a GBK trail byte right before the closing quote
		// must not escape it.
		{body: "{\"code\": 500, \"msg\": \"\x81\x5c\"}", code: 500, msg: "\uFFFD"},
		{body: `{"code": 200.5}`, bad: true},
		{body: `{"code": true}`, bad: true},
		{body: `{"code": "ok"}`, bad: true},
		{body: `{"msg": "success"}`, bad: true},
		{body: `null`, bad: true},
		{body: `[]`, bad: true},
		{body: ``, bad: true},
		{body: `<html>502 Bad Gateway</html>`, bad: true},
	} {
		code, msg, id, err := west.ParseAnswer([]byte(tc.body), tc.contentType)
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), "malformed answer") {
				t.Errorf("%q: %v, want a malformed-answer error", tc.body, err)
			}
			continue
		}
		if err != nil || code != tc.code || msg != tc.msg || id != tc.id {
			t.Errorf("%q: %d %q %q %v, want %d %q %q", tc.body, code, msg, id, err, tc.code, tc.msg, tc.id)
		}
	}
}

func TestDecodeText(t *testing.T) {
	for _, tc := range []struct {
		name, in, contentType, want string
	}{
		{"ASCII", `{"code":200}`, "", `{"code":200}`},
		{"UTF-8 without charset", "成功", "", "成功"},
		{"UTF-8 declared", "成功", "application/json; charset=utf-8", "成功"},
		{"GBK without charset", "\xb3\xc9\xb9\xa6!", "", "\uFFFD\uFFFD!"},
		{"GBK declared, any spelling", "\xb3\xc9", "text/html; Charset=GB2312", "\uFFFD"},
		{"GBK declared wins over valid UTF-8", "\xc3\xa9", "application/json; charset=gbk", "\uFFFD"},
		{"trail bytes in the ASCII range stay with their lead", "\x81\x5c\"\x81\x40a", "", "\uFFFD\"\uFFFDa"},
		{"GB18030 four-byte sequence", "\x81\x30\x81\x30z", "application/json; charset=gb18030", "\uFFFDz"},
		{"lead byte without trail keeps the next ASCII byte", "\x81\"", "", "\uFFFD\""},
		{"lead byte at the end", "a\xfe", "", "a\uFFFD"},
		{"0x80 and 0xFF are not lead bytes", "\x80a\xffb", "", "\uFFFDa\uFFFDb"},
		{"malformed Content-Type is ignored", "\xb3\xc9", "charset=gbk;;", "\uFFFD"},
	} {
		if got := west.DecodeText([]byte(tc.in), tc.contentType); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// FuzzParseAnswer feeds arbitrary bodies to the parser and the decoder,
// and to a whole Set whose every request is answered with that body:
// nothing may panic, decoded text (and so every message and id) is valid
// UTF-8 and an ASCII body is kept as is, and a failed Set reports one prefixed line
// without the token.
//
//	go test ./publish/west -run '^$' -fuzz FuzzParseAnswer -fuzztime 20s
func FuzzParseAnswer(f *testing.F) {
	for _, seed := range publishtest.Seeds(publishtest.ReadFlows(f, "testdata/west.json")) {
		f.Add([]byte(seed), "application/json; charset=gb2312")
	}
	for _, s := range []string{
		``, `null`, `[]`, `{"code": "200"}`, `{"code": 200, "body": null}`, `{"code": 404}`,
		`{"code": 401, "msg": "a\nb"}`, "{\"code\":500,\"msg\":\"\x81\x5c\"}", `<html>502</html>`,
		`{"code": 99999999999999999999}`, `{"code": -1, "body": {"record_id": -0.5e10}}`,
	} {
		f.Add([]byte(s), "")
	}
	const token = "fedcba9876543210fedcba9876543210"
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		text := west.DecodeText(body, contentType)
		if !utf8.ValidString(text) {
			t.Fatalf("decoded text %q is not valid UTF-8", text)
		}
		if isASCII(body) && text != string(body) {
			t.Fatalf("ASCII body %q decoded as %q", body, text)
		}
		if _, msg, id, err := west.ParseAnswer(body, contentType); err == nil && (!utf8.ValidString(msg) || !utf8.ValidString(id)) {
			t.Fatalf("%q: message %q or id %q is not valid UTF-8", body, msg, id)
		}

		client := &http.Client{Transport: answerWith{body, contentType}}
		p, err := west.New(publish.Settings{ID: "myuser", Token: token, HTTP: client, Log: zerolog.Nop(), Now: time.Now})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Set(context.Background(), rec("a.b.example.com", "192.0.2.10"))
		if err != nil && (!strings.HasPrefix(err.Error(), "west: ") || strings.ContainsAny(err.Error(), "\r\n") || strings.Contains(err.Error(), token)) {
			t.Errorf("error %q: want one line starting with the provider name, without the token", err)
		}
	})
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// answerWith answers every request with 200 and the body.
type answerWith struct {
	body        []byte
	contentType string
}

func (a answerWith) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {a.contentType}}, Body: io.NopCloser(bytes.NewReader(a.body)), Request: req}, nil
}
