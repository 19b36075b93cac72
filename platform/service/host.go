package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Host is the machine a scheduler acts on.
type Host struct {
	// Root is prepended to every file path read or written ("" = the real
	// root). Commands and messages show paths without it.
	Root string
	// Runner runs every external command (systemctl, crontab, launchctl,
	// /etc/init.d/…); nil runs them for real (ExecRunner).
	Runner Runner
	// SCM manages Windows services; nil means there is no service
	// manager to talk to.
	SCM SCM
	// GOOS is the operating system auto-detection assumes.
	GOOS string
}

// System is the machine this process runs on.
func System() Host {
	return Host{Runner: ExecRunner{}, SCM: systemSCM(), GOOS: runtime.GOOS}
}

// Path maps a path of the target system to the file the host reads or
// writes: p itself, or p under Root.
func (h Host) Path(p string) string { return h.path(p) }

func (h Host) path(p string) string {
	if h.Root == "" {
		return p
	}
	return filepath.Join(h.Root, p)
}

// exists reports whether p exists on the host.
func (h Host) exists(p string) bool {
	_, err := os.Lstat(h.path(p))
	return err == nil
}

// readFile reads p on the host.
func (h Host) readFile(p string) ([]byte, error) { return os.ReadFile(h.path(p)) }

// Runner runs external commands.
type Runner interface {
	// Run runs name with args, feeding it stdin when stdin is not nil, and
	// returns its standard output. A command that cannot be started or
	// exits non-zero is an error; a non-zero exit is a *CommandError.
	Run(ctx context.Context, stdin []byte, name string, args ...string) ([]byte, error)
}

// CommandError is a command that ran and failed.
type CommandError struct {
	Command string // the command line, for messages
	Code    int    // exit status
	Stderr  string // what it printed on standard error, trimmed
}

// Error says how the command failed; the step that ran it names it.
func (e *CommandError) Error() string {
	msg := fmt.Sprintf("exit status %d", e.Code)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

// ExecRunner runs commands with os/exec.
type ExecRunner struct{}

// Run implements Runner.
func (ExecRunner) Run(ctx context.Context, stdin []byte, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out, &CommandError{Command: displayCommand(append([]string{name}, args...)), Code: exit.ExitCode(), Stderr: strings.TrimSpace(stderr.String())}
	}
	return out, err
}

// run runs argv on the host.
func (h Host) run(ctx context.Context, stdin []byte, argv ...string) ([]byte, error) {
	r := h.Runner
	if r == nil {
		r = ExecRunner{}
	}
	return r.Run(ctx, stdin, argv[0], argv[1:]...)
}

func (h Host) scm() SCM {
	if h.SCM == nil {
		return noSCM{}
	}
	return h.SCM
}
