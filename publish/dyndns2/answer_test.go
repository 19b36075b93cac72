package dyndns2_test

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dyndns2"
	"github.com/ddns-go/ddns/publish/publishtest"
)

func TestParseAnswer(t *testing.T) {
	for _, tc := range []struct {
		body, code, addrs string // addrs comma-separated
	}{
		{"good 1.2.3.4", "good", "1.2.3.4"},
		{"nochg 2001:db8::1\n", "nochg", "2001:db8::1"},
		{"nochg|192.0.2.1", "nochg", "192.0.2.1"},
		{"good 192.0.2.1,2001:db8::1", "good", "192.0.2.1,2001:db8::1"},
		{"  GOOD 192.0.2.1\r\n", "good", "192.0.2.1"},
		{"good", "good", ""},
		{"good not-an-ip", "good", ""},
		{"good 1.2.3.4,junk", "good", "1.2.3.4"},
		{"badauth", "badauth", ""},
		{"!donator", "!donator", ""},
		{"911\nsecond host's line ignored", "911", ""},
		{"", "", ""},
		{"<html>", "", ""},
		{"1.2.3.4", "1", ""},
	} {
		a := dyndns2.ParseAnswer([]byte(tc.body))
		var addrs []string
		for _, x := range a.Addrs {
			addrs = append(addrs, x.String())
		}
		if a.Code != tc.code || strings.Join(addrs, ",") != tc.addrs {
			t.Errorf("%q: code %q addrs %v, want %q %q", tc.body, a.Code, addrs, tc.code, tc.addrs)
		}
	}
}

// The outcomes, as the table rows name them.
const ok, transient, permanent = publishtest.Succeeds, publishtest.Transient, publishtest.Permanent

func TestAnswerErr(t *testing.T) {
	sent := netip.MustParseAddr("192.0.2.1")
	for _, tc := range []struct {
		status     int
		retryAfter string
		body       string
		want       publishtest.Outcome
		wantIn     string
		retry      time.Duration // wanted RetryAfter
		cannot     bool          // wraps publish.ErrCannotCreate
	}{
		{status: 200, body: "good 192.0.2.1", want: ok},
		{status: 200, body: "nochg 192.0.2.1", want: ok},
		{status: 200, body: "good 127.0.0.1", want: permanent, wantIn: "ignored the update"},
		{status: 500, body: "good 192.0.2.1", want: transient, wantIn: "500"}, // a success code under an error status is not trusted
		{status: 401, body: "badauth", want: permanent, wantIn: "rejected the user name or password (id and token) (HTTP 401)"},
		{status: 200, body: "badauth", want: permanent, wantIn: "badauth"},
		{status: 401, body: "", want: permanent, wantIn: "rejected the user name or password"},
		{status: 200, body: "nohost", want: permanent, wantIn: "no such host name", cannot: true},
		{status: 200, body: "notfqdn", want: permanent, wantIn: "fully qualified"},
		{status: 200, body: "numhost", want: permanent, wantIn: "too many"},
		{status: 200, body: "!yours", want: permanent, wantIn: "another account"},
		{status: 200, body: "!donator", want: permanent, wantIn: "feature"},
		{status: 200, body: "badsys", want: permanent, wantIn: "system"},
		{status: 200, body: "badagent", want: permanent, wantIn: "refused this client"},
		{status: 200, body: "abuse", want: permanent, wantIn: "blocked updates of this host for abuse"},
		{status: 200, body: "911", want: transient, wantIn: "outage or maintenance", retry: 30 * time.Minute},
		{status: 200, body: "dnserr", want: transient, wantIn: "DNS error", retry: 30 * time.Minute},
		{status: 503, retryAfter: "60", body: "911", want: transient, wantIn: "911", retry: 30 * time.Minute},
		{status: 503, retryAfter: "7200", body: "911", want: transient, wantIn: "911", retry: 2 * time.Hour},
		{status: 400, body: "911", want: transient, wantIn: "911", retry: 30 * time.Minute}, // the code wins over a 4xx
		{status: 200, body: "whatever", want: transient, wantIn: `unexpected answer "whatever" (HTTP 200)`},
		{status: 200, body: "", want: transient, wantIn: "empty answer"},
		{status: 403, body: "forbidden", want: permanent, wantIn: "403"},
		{status: 404, body: "<html>not found</html>", want: permanent, wantIn: "404"},
		{status: 429, retryAfter: "9", body: "slow down", want: transient, wantIn: "429", retry: 9 * time.Second},
		{status: 502, body: "", want: transient, wantIn: "502"},
	} {
		resp := &publish.Response{Status: tc.status, Header: http.Header{}, Body: []byte(tc.body)}
		if tc.retryAfter != "" {
			resp.Header.Set("Retry-After", tc.retryAfter)
		}
		err := dyndns2.ParseAnswer(resp.Body).Err(resp, sent, "No-IP")
		name := resp.Header.Get("Retry-After") + " " + http.StatusText(tc.status) + " " + tc.body
		if (err == nil) != (tc.want == ok) {
			t.Errorf("%s: %v, want ok=%v", name, err, tc.want == ok)
			continue
		}
		if err == nil {
			continue
		}
		if publish.IsPermanent(err) != (tc.want == permanent) {
			t.Errorf("%s: %v: permanent=%v, want %v", name, err, publish.IsPermanent(err), tc.want == permanent)
		}
		if !strings.Contains(err.Error(), tc.wantIn) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %q, want one line containing %q", name, err, tc.wantIn)
		}
		if got := publish.RetryAfter(err); got != tc.retry {
			t.Errorf("%s: RetryAfter %v, want %v", name, got, tc.retry)
		}
		if errors.Is(err, publish.ErrCannotCreate) != tc.cannot {
			t.Errorf("%s: %v: ErrCannotCreate=%v, want %v", name, err, !tc.cannot, tc.cannot)
		}
	}
}

// TestGood127IsFineWhenAsked: Dyn's "ignored" signal is an ordinary
// success when 127.0.0.1 really was the address sent.
func TestGood127IsFineWhenAsked(t *testing.T) {
	resp := &publish.Response{Status: 200, Header: http.Header{}, Body: []byte("good 127.0.0.1")}
	if err := dyndns2.ParseAnswer(resp.Body).Err(resp, netip.MustParseAddr("127.0.0.1"), "Dyn"); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseAnswer: any body parses without panic into a code made of code
// characters, addresses only after a code, and a one-line, bounded,
// UTF-8-safe text; judging it never panics, never accepts an error status
// or a code other than good/nochg, and server trouble always asks for the
// protocol's wait.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{"good 1.2.3.4", "nochg 1.2.3.4", "nochg ::1\n", "good 127.0.0.1", "good 1.2.3.4,2001:db8::1",
		"badauth", "nohost", "abuse", "911", "dnserr", "", "\xff", "good|", "nochg|::ffff:1.2.3.4%eth0", strings.Repeat("é", 80)} {
		f.Add(s, 200, "")
	}
	f.Add("good 1.2.3.4", 500, "")
	f.Add("911", 503, "120")
	f.Add("abuse", 429, "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("badauth", 401, "")
	sent := netip.MustParseAddr("1.2.3.4")
	f.Fuzz(func(t *testing.T, body string, status int, retryAfter string) {
		a := dyndns2.ParseAnswer([]byte(body))
		for _, c := range a.Code {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '!') {
				t.Fatalf("code %q has %q", a.Code, c)
			}
		}
		if len(a.Addrs) > 0 && a.Code == "" {
			t.Fatalf("addresses %v without a code", a.Addrs)
		}
		if strings.ContainsAny(a.Text, "\n") || len(a.Text) > 110 {
			t.Fatalf("text %q", a.Text)
		}
		if utf8.ValidString(body) && !utf8.ValidString(a.Text) {
			t.Fatalf("text %q is not valid UTF-8", a.Text)
		}
		resp := &publish.Response{Status: status, Header: http.Header{"Retry-After": {retryAfter}}, Body: []byte(body)}
		err := a.Err(resp, sent, "No-IP")
		if err == nil && (status >= 400 || (a.Code != "good" && a.Code != "nochg")) {
			t.Fatalf("status %d %q accepted", status, body)
		}
		if (a.Code == "911" || a.Code == "dnserr") && (publish.IsPermanent(err) || publish.RetryAfter(err) < dyndns2.ServerTroubleWait) {
			t.Fatalf("status %d %q: %v (RetryAfter %v)", status, body, err, publish.RetryAfter(err))
		}
	})
}
