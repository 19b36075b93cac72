package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/platform/qemutest"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	tests := []struct {
		name, stamp, date string
		bi                *debug.BuildInfo
		ver, at           string
	}{
		{"release stamp wins", "1.2.3", "2026-12-01", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}}, "1.2.3", "2026-12-01"},
		{"no build info", "dev", "unknown", nil, "dev", "unknown"},
		{"go install @version", "dev", "unknown", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "1.4.0", "unknown"},
		{"plain go build in a checkout", "dev", "unknown",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-12-07T10:00:00Z", "vcs.modified", "false")},
			"dev-0123456789ab", "2026-12-07T10:00:00Z"},
		{"modified checkout", "dev", "unknown",
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", "abc", "vcs.modified", "true")},
			"dev-abc-dirty", "unknown"},
		{"pseudo-version names the commit already", "dev", "unknown",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261207100000-0123456789ab"}, Settings: vcs("vcs.revision", "0123456789abcdef", "vcs.time", "2026-12-07T10:00:00Z")},
			"0.0.0-20261207100000-0123456789ab", "2026-12-07T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ver, at := buildVersion(tt.stamp, tt.date, tt.bi)
			if ver != tt.ver || at != tt.at {
				t.Errorf("got %q %q, want %q %q", ver, at, tt.ver, tt.at)
			}
		})
	}
}

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
