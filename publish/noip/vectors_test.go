package noip_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dyndns2/dyndns2fake"
	"github.com/ddns-go/ddns/publish/noip"
	"github.com/ddns-go/ddns/publish/noip/noipfake"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors (noip reads no clock, but
// the settings are built as the vectors were).
var pinned = time.Unix(1700000000, 123456000)

// basicAuthVector is how the original sends credentials.
type basicAuthVector struct {
	BasicAuth struct {
		Inputs       struct{ ID, Token, Endpoint string }
		Intermediate struct {
			EndpointWithCredentials string `json:"endpoint_with_credentials"`
			CredentialsDecoded      string `json:"credentials_after_url_decoding"`
		}
		Expected struct {
			Authorization string `json:"authorization_on_retry_after_401"`
		}
	} `json:"basic_auth_vector"`
}

// quote is Python's urllib.parse.quote(s, safe=""), which the original
// uses to write credentials into the endpoint: only A–Z a–z 0–9 _ . - ~
// stay as they are.
func quote(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("_.-~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// TestBasicAuthVector: the original writes the credentials into the
// endpoint and the transport turns them into a Basic header after a 401
// challenge; ddns sends that very header up front. The intermediate URL
// is reproduced too, to show the credentials survive the round trip
// unchanged (a '@' or ':' in them included).
func TestBasicAuthVector(t *testing.T) {
	data, err := os.ReadFile("testdata/noip.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf basicAuthVector
	if err := json.Unmarshal(data, &vf); err != nil || vf.BasicAuth.Expected.Authorization == "" {
		t.Fatalf("no Basic auth vector in testdata/noip.json: %v", err)
	}
	v := vf.BasicAuth
	in := v.Inputs
	scheme, host, _ := strings.Cut(in.Endpoint, "://")
	if got := scheme + "://" + quote(in.ID) + ":" + quote(in.Token) + "@" + host; got != v.Intermediate.EndpointWithCredentials {
		t.Errorf("endpoint with credentials %s, want %s", got, v.Intermediate.EndpointWithCredentials)
	}
	u, err := url.Parse(v.Intermediate.EndpointWithCredentials)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	if got := u.User.Username() + ":" + pw; got != v.Intermediate.CredentialsDecoded || got != in.ID+":"+in.Token {
		t.Errorf("decoded credentials %q, want %q", got, v.Intermediate.CredentialsDecoded)
	}

	rc := &publishtest.Replay{Answers: []publishtest.Exchange{publishtest.Answer(200, `"good 1.2.3.4"`)}}
	p, err := noip.New(publish.Settings{ID: in.ID, Token: in.Token, Endpoint: in.Endpoint, HTTP: &http.Client{Transport: rc}, Now: func() time.Time { return pinned }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Set(context.Background(), publish.Record{Domain: "dyn.example.com", Type: "A", Addr: netip.MustParseAddr("1.2.3.4")}); err != nil {
		t.Fatal(err)
	}
	if got := rc.Sent[0].Header.Get("Authorization"); got != v.Expected.Authorization {
		t.Errorf("Authorization %q, want %q", got, v.Expected.Authorization)
	}
	dec, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(v.Expected.Authorization, "Basic "))
	if string(dec) != v.Intermediate.CredentialsDecoded {
		t.Errorf("vector header decodes to %q", dec)
	}
}

// TestVectors replays the original client's recorded flows with the
// default endpoint and compares every request byte for byte: method, the
// URL as it goes on the wire (the recorded one minus the credentials the
// transport moves into the Authorization header), headers (no Accept),
// no body; and the verdict.
func TestVectors(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/noip.json") {
		t.Run(fl.Name, func(t *testing.T) {
			for i, w := range fl.Requests {
				wu, err := url.Parse(w.URL)
				if err != nil {
					t.Fatal(err)
				}
				pass, _ := wu.User.Password()
				w.Headers["Authorization"] = "Basic " + base64.StdEncoding.EncodeToString([]byte(wu.User.Username()+":"+pass))
				w.Headers["Accept"] = "" // none
				wu.User = nil
				fl.Requests[i].URL = wu.String()
			}
			publishtest.Play(t, fl, fl.Requests, pinned)
		})
	}
}

// TestVectorsAgainstFake checks that the fake accepts exactly what the
// original client sends: the recorded request, replayed through the
// provider at the fake, authenticates and updates.
func TestVectorsAgainstFake(t *testing.T) {
	start := func(t *testing.T, fl publishtest.Flow) (*dyndns2fake.Fake, publish.Provider) {
		f := noipfake.New()
		f.AddUser(fl.Constructor.ID, fl.Constructor.Token)
		f.AddHost(fl.SetRecord.Domain, fl.Constructor.ID)
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		p, err := noip.New(publish.Settings{ID: fl.Constructor.ID, Token: fl.Constructor.Token, Endpoint: srv.URL, HTTP: srv.Client(), Now: func() time.Time { return pinned }})
		if err != nil {
			t.Fatal(err)
		}
		return f, p
	}
	publishtest.AgainstFake(t, publishtest.ReadFlows(t, "testdata/noip.json"), start, func(t *testing.T, got publishtest.Request, want publishtest.Exchange) {
		if wu, _ := url.Parse(want.URL); got.URI != wu.RequestURI() {
			t.Errorf("got %s, want %s", got.URI, wu.RequestURI())
		}
	})
}
