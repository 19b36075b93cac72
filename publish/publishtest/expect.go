package publishtest

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/publish"
)

// Outcome is what a test expects of a publish.
type Outcome int

// The outcomes of a publish.
const (
	Succeeds  Outcome = iota
	Permanent         // an error retrying cannot fix
	Transient         // an error worth retrying
)

// Expect checks a publish's error against want: its class and, for an
// error, one line starting with the provider's name, containing text,
// carrying the Retry-After delay retry, and showing none of secrets. A
// publish that should have succeeded, or failed, stops the test.
func Expect(t *testing.T, err error, want Outcome, provider, text string, retry time.Duration, secrets ...string) {
	t.Helper()
	switch {
	case want == Succeeds && err != nil:
		t.Fatalf("Set: %v", err)
	case want != Succeeds && err == nil:
		t.Fatalf("Set succeeded, want an error")
	case want == Permanent && !publish.IsPermanent(err):
		t.Errorf("error %q is transient, want permanent", err)
	case want == Transient && publish.IsPermanent(err):
		t.Errorf("error %q is permanent, want transient", err)
	}
	if err == nil {
		return
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, provider+": ") || !strings.Contains(msg, text) || strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error %q: want one line starting %q containing %q", msg, provider+": ", text)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error leaks a secret: %q", msg)
		}
	}
	if got := publish.RetryAfter(err); got != retry {
		t.Errorf("RetryAfter %v, want %v", got, retry)
	}
}

// ExpectCalls compares a fake's CallCounts with want, the requests
// wanted by action; actions wanted 0 times may be left out of either.
func ExpectCalls[M ~map[string]int](t *testing.T, got map[string]int, want M) {
	t.Helper()
	w := maps.Clone(map[string]int(want))
	maps.DeleteFunc(w, func(_ string, n int) bool { return n == 0 })
	if !maps.Equal(got, w) {
		t.Errorf("requests by action %v, want %v", got, w)
	}
}

// Want is the outcome a table row names by an error text and a class:
// Succeeds without text, else Permanent or Transient.
func Want(text string, permanent bool) Outcome {
	switch {
	case text == "":
		return Succeeds
	case permanent:
		return Permanent
	}
	return Transient
}
