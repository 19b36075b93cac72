package he_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/he"
)

func TestAnswerErr(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		ok     bool
		perm   bool
	}{
		{200, "good 1.2.3.4", true, false},
		{200, "nochg 1.2.3.4", true, false},
		{500, "good 1.2.3.4", false, false}, // a success code under an error status is not trusted
		{401, "badauth", false, true},
		{200, "badauth", false, true},
		{200, "nohost", false, true},
		{200, "notfqdn", false, true},
		{200, "abuse", false, false},
		{200, "dnserr", false, false},
		{200, "whatever", false, false},
		{403, "forbidden", false, true},
		{502, "", false, false},
	} {
		resp := &publish.Response{Status: tc.status, Header: http.Header{}, Body: []byte(tc.body)}
		err := he.ParseAnswer(resp.Body).Err(resp)
		if (err == nil) != tc.ok || publish.IsPermanent(err) != tc.perm {
			t.Errorf("%d %q: %v, want ok=%v permanent=%v", tc.status, tc.body, err, tc.ok, tc.perm)
		}
	}
}

// FuzzAnswerErr: judging any answer never panics and never accepts an
// error status or a code other than good/nochg. (The parse is dyndns2's,
// fuzzed there: dyndns2.FuzzParseAnswer.)
func FuzzAnswerErr(f *testing.F) {
	for _, s := range []string{"good 1.2.3.4", "nochg 1.2.3.4", "nochg ::1\n", "badauth", "nohost", "abuse", "911", "", "\xff", "good|", "nochg|::ffff:1.2.3.4%eth0", strings.Repeat("é", 80)} {
		f.Add(s, 200)
	}
	f.Add("good 1.2.3.4", 500)
	f.Add("abuse", 429)
	f.Fuzz(func(t *testing.T, body string, status int) {
		a := he.ParseAnswer([]byte(body))
		resp := &publish.Response{Status: status, Header: http.Header{"Retry-After": {body}}, Body: []byte(body)}
		err := a.Err(resp)
		if err == nil && (status >= 400 || (a.Code != "good" && a.Code != "nochg")) {
			t.Fatalf("status %d %q accepted", status, body)
		}
	})
}
