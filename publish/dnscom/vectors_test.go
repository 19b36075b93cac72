package dnscom_test

import (
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/publish/dnscom"
	"github.com/ddns-go/ddns/publish/publishtest"
)

// pinned is the clock of the recorded vectors (1700000000.123456).
var pinned = time.Unix(1700000000, 123456000)

// vectorHost is where the recorded requests went.
const vectorHost = "https://www.51dns.com"

type vectorFile struct {
	SigningVectors []struct {
		Name   string
		Inputs struct {
			APIKey    string `json:"api_key"`
			APISecret string `json:"api_secret"`
			Action    string
			Params    map[string]any
			Timestamp string
		}
		Intermediate struct {
			Query    string `json:"sorted_query_without_hash"`
			MD5Input string `json:"md5_input"`
		}
		Expected struct {
			Hash       string
			RequestURL string `json:"request_url"`
			Body       string `json:"request_body"`
		}
	} `json:"signing_vectors"`
}

func loadVectors(t testing.TB) (vf vectorFile) {
	publishtest.ReadJSON(t, "testdata/dnscom.json", &vf)
	return vf
}

// TestSigningVectors reproduces every intermediate of the recorded
// signatures: the hashed query, the MD5 input, the hash and the body.
func TestSigningVectors(t *testing.T) {
	vf := loadVectors(t)
	if len(vf.SigningVectors) == 0 {
		t.Fatal("no signing vectors")
	}
	for _, v := range vf.SigningVectors {
		t.Run(v.Name, func(t *testing.T) {
			in := v.Inputs
			var params publish.Extra
			for k, val := range in.Params { // order does not matter: the encoding sorts
				params = append(params, publish.KV{Key: k, Value: val})
			}
			query, hash, body := dnscom.Sign(params, in.APIKey, in.APISecret, in.Timestamp)
			if query != v.Intermediate.Query {
				t.Errorf("query\n got %s\nwant %s", query, v.Intermediate.Query)
			}
			if query+in.APISecret != v.Intermediate.MD5Input {
				t.Errorf("md5 input differs")
			}
			if hash != v.Expected.Hash {
				t.Errorf("hash %s, want %s", hash, v.Expected.Hash)
			}
			if body != v.Expected.Body {
				t.Errorf("body\n got %s\nwant %s", body, v.Expected.Body)
			}
			if want := vectorHost + "/api/" + in.Action + "/"; v.Expected.RequestURL != want {
				t.Errorf("vector URL %s, want %s", v.Expected.RequestURL, want)
			}
		})
	}
}

func TestTimestampFormat(t *testing.T) {
	for in, want := range map[time.Time]string{
		pinned:                             "1700000000.123456",
		time.Unix(1700000000, 0):           "1700000000.0",
		time.Unix(1700000000, 500000000):   "1700000000.5",
		time.Unix(1700000000, 123456789):   "1700000000.123456",
		time.Unix(1699999999, 999999000):   "1699999999.999999",
		time.Unix(1700000001, 10000).UTC(): "1700000001.00001",
	} {
		if got := dnscom.Timestamp(in); got != want {
			t.Errorf("%v: %s, want %s", in, got, want)
		}
	}
}

// TestFlowVectors replays the recorded set_record runs and compares every
// request byte for byte. Zone discovery here asks the longest candidate
// first, so the run also asks about www.example.com (answered "no such
// domain", signed the same way) before the recorded requests.
func TestFlowVectors(t *testing.T) {
	for _, fl := range publishtest.ReadFlows(t, "testdata/dnscom.json") {
		t.Run(fl.Name, func(t *testing.T) {
			probe := publishtest.Answer(200, `{"code": 5, "message": "域名不存在"}`)
			probe.Method, probe.URL, probe.Headers = fl.Requests[0].Method, fl.Requests[0].URL, fl.Requests[0].Headers
			_, _, body := dnscom.Sign(publish.Extra{{Key: "domainID", Value: "www.example.com"}}, fl.Constructor.ID, fl.Constructor.Token, dnscom.Timestamp(pinned))
			probe.Body = &body
			publishtest.Play(t, fl, append([]publishtest.Exchange{probe}, fl.Requests...), pinned)
		})
	}
}
