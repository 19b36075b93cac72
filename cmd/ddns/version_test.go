package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/platform/qemutest"
)

// TestPlainBuildVersion builds the binary the way a user does in a git
// checkout (no -X stamps) and checks that `ddns -v` names the revision.
// The sources are committed into a fresh repository first: Go stamps VCS
// data only where .git is a directory, not in a worktree like this one.
func TestPlainBuildVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	qemutest.SkipForeignExec(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	env := append(os.Environ(), "CGO_ENABLED=0", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	run := func(dir, name string, args ...string) string {
		t.Helper()
		c := exec.Command(name, args...)
		c.Dir, c.Env = dir, env
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run(root, "sh", "-c", `tar -cf - --exclude=./.git --exclude=./dist . | tar -xf - -C "$0"`, dir)
	run(dir, "git", "init", "-q")
	run(dir, "git", "add", "-A")
	run(dir, "git", "commit", "-q", "-m", "x")
	rev := run(dir, "git", "rev-parse", "HEAD")
	bin := filepath.Join(dir, "ddns-bin")
	// -trimpath keeps the build cache shared with the checkout's builds;
	// -buildvcs=true because this machine's GOFLAGS turns stamping off.
	run(dir, filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-trimpath", "-buildvcs=true", "-o", bin, "./cmd/ddns")
	out := run(dir, bin, "-v")
	// Go 1.24+ turns the revision into a pseudo-version of the module.
	first, _, _ := strings.Cut(out, "\n")
	if !strings.HasPrefix(first, "v") || !strings.Contains(first, rev[:12]) {
		t.Errorf("ddns -v = %q, want the revision %s in the first line", out, rev[:12])
	}
	if strings.Contains(out, "(unknown)") {
		t.Errorf("ddns -v = %q: no build time", out)
	}
}
