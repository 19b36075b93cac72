// Package integration holds end-to-end tests of the built ddns binary
// against fake provider APIs, and the latency and footprint benchmarks.
package integration

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// binary builds ./cmd/ddns once per test process and returns its path.
func binary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "ddns-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "ddns")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		// Built like a release (.ci/cross): the end-to-end tests cover
		// what users run.
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "nethttpomithttp2", "-ldflags=-s -w", "-o", binPath, "../cmd/ddns")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{err, out}
		}
	})
	if buildErr != nil {
		tb.Fatalf("build ddns: %v", buildErr)
	}
	return binPath
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + string(e.out) }

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// ddns runs the binary in dir with a clean environment plus env.
func ddns(tb testing.TB, dir string, env []string, args ...string) (stdout, stderr string, code int) {
	tb.Helper()
	cmd := exec.Command(binary(tb), args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			tb.Fatalf("run ddns: %v", err)
		}
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

func TestOneShotBinary(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := ddns(t, dir, nil, "--dns", "debug", "--ipv4", "home.example.com", "--index4", "shell:echo 203.0.113.5")
	if code != 0 || out != "[IPv4] 203.0.113.5\n" || !bytes.Contains([]byte(errs), []byte("set home.example.com[IPv4]: 203.0.113.5 successfully.")) {
		t.Fatalf("exit %d\nstdout %q\nstderr %s", code, out, errs)
	}
	_, errs, code = ddns(t, dir, nil, "--dns", "debug", "--ttl", "abc")
	if code != 2 {
		t.Errorf("usage error: exit %d, want 2: %s", code, errs)
	}
}
