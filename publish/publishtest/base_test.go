package publishtest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// echo is the smallest fake: the action is the path, the answer echoes
// the body, faults come first.
type echo struct{ publishtest.Base }

func (e *echo) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if ft := e.Take(req, req.URL.Path); ft != nil {
		if !ft.WritePlain(w) {
			w.WriteHeader(ft.StatusOr(http.StatusOK))
			io.WriteString(w, "api error "+ft.Code+": "+ft.Message)
		}
		return
	}
	io.Copy(w, req.Body)
}

func TestBase(t *testing.T) {
	e := &echo{}
	srv := httptest.NewServer(e)
	defer srv.Close()
	post := func(path string) (int, string, string) {
		t.Helper()
		resp, err := srv.Client().Post(srv.URL+path+"?q=1", "text/plain", strings.NewReader("hello"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
	}

	// Given: two faults for /w, the first twice, and one API error.
	e.Fail(
		publishtest.Fault{Action: "/w", Times: 2, Status: 429, RetryAfter: "7", Body: "slow"},
		publishtest.Fault{Action: "/w", Code: "113", Message: "no"},
	)
	// Then: /r is served meanwhile; /w gets its faults in order.
	for i, want := range []string{"/r 200  hello", "/w 429 7 slow", "/r 200  hello", "/w 429 7 slow", "/w 200  api error 113: no", "/w 200  hello"} {
		path := strings.Fields(want)[0]
		code, after, body := post(path)
		got := strings.Join([]string{path, strconv.Itoa(code), after, body}, " ")
		if got != want {
			t.Errorf("request %d: %q, want %q", i, got, want)
		}
	}
	if e.Calls("") != 6 || e.Calls("/w") != 4 || e.CallCounts()["/r"] != 2 {
		t.Errorf("counts %v", e.CallCounts())
	}
	if r := e.Requests()[0]; r.Method != "POST" || r.URI != "/r?q=1" || r.Query.Get("q") != "1" || string(r.Body) != "hello" {
		t.Errorf("logged %+v", r)
	}
	e.Fail(publishtest.Fault{Status: 500})
	e.Reset()
	if code, _, _ := post("/x"); code != 200 || e.Calls("") != 1 {
		t.Errorf("after Reset: %d, %d calls; want the fault gone and one call", code, e.Calls(""))
	}
}
