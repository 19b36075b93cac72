package integration

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestBinaryTarget checks that the binary under test is the one asked for:
// with DDNS_TEST_BUILD_ENV naming GOARCH (and DDNS_TEST_EXEC an emulator,
// as .ci/qemu sets them), the scenarios must not silently run a host
// binary. The binary reports its own GOOS/GOARCH with --version.
func TestBinaryTarget(t *testing.T) {
	want := runtime.GOOS + "/" + runtime.GOARCH
	for _, kv := range strings.Fields(os.Getenv(buildEnvVar)) {
		if arch, ok := strings.CutPrefix(kv, "GOARCH="); ok {
			want = runtime.GOOS + "/" + arch
		}
	}
	out, errs, code := ddns(t, t.TempDir(), nil, "--version")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasSuffix(lines[1], " "+want) {
		t.Fatalf("--version: exit %d, stdout %q, stderr %s; want the second line to end in %s", code, out, errs, want)
	}
	t.Logf("binary under test: %s", lines[1])
}
