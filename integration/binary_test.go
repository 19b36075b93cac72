// Package integration holds end-to-end tests of the built ddns binary
// against fake provider APIs, and the latency and footprint benchmarks.
package integration

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// Running the binary of another architecture: DDNS_TEST_BUILD_ENV adds
// to the build's environment (e.g. "GOARCH=mipsle GOMIPS=softfloat") and
// DDNS_TEST_EXEC is the command that runs the result (e.g. "qemu-mipsel"):
// binary then returns a script that execs the binary through it, so every
// test, also those running it in a namespace with `ip netns exec`, runs
// it unchanged. .ci/qemu uses this.
const (
	buildEnvVar = "DDNS_TEST_BUILD_ENV"
	execVar     = "DDNS_TEST_EXEC"
)

// binary builds ./cmd/ddns once per test process and returns its path (or
// the path of the DDNS_TEST_EXEC wrapper).
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
		cmd.Env = append(cmd.Env, strings.Fields(os.Getenv(buildEnvVar))...)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{err, out}
			return
		}
		if wrap := os.Getenv(execVar); wrap != "" {
			binPath, buildErr = execWrapper(wrap, binPath)
		}
	})
	if buildErr != nil {
		tb.Fatalf("build ddns: %v", buildErr)
	}
	return binPath
}

// execWrapper writes a script next to bin that runs it through the
// command wrap, and returns the script's path. The script execs, so
// signals reach the emulator, which passes them on.
func execWrapper(wrap, bin string) (string, error) {
	script := bin + "-exec"
	body := fmt.Sprintf("#!/bin/sh\nexec %s %q \"$@\"\n", wrap, bin)
	return script, os.WriteFile(script, []byte(body), 0o755)
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
