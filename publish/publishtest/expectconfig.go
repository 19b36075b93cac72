package publishtest

import (
	"strings"
	"testing"
)

// ExpectConfig checks what a provider's New said of its settings: want ""
// means accepted; else an error containing want, on one line, showing
// none of secrets. A wrong verdict stops the test.
func ExpectConfig(t *testing.T, err error, want string, secrets ...string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("rejected: %v", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want %q", err, want)
	case err == nil:
		return
	case strings.Contains(err.Error(), "\n"):
		t.Fatalf("error spans lines: %q", err)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Fatalf("error %q shows a secret", err)
		}
	}
}
