package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Plan is what one operation does, step by step. Building a plan changes
// nothing; Apply carries it out, or only prints it.
type Plan struct {
	host  Host
	steps []step
	// undoFirst runs when a step fails, before the files the plan wrote
	// or removed are put back (e.g. stop the half-installed service);
	// undoAfter runs after (e.g. make the manager re-read them).
	undoFirst, undoAfter []step
	// problems are why the installed service would not work; found while
	// planning, so a dry run can show the plan and then them, and a real
	// install refuses before it writes anything.
	problems []string
}

// Problems are the reasons the planned service would fail; `ddns task
// install` refuses a plan that has any.
func (p *Plan) Problems() []string { return p.problems }

// step is one action of a plan.
type step interface {
	// show prints what the step would do.
	show(w io.Writer)
	// do carries the step out and prints what it did. The returned func,
	// when not nil, reverts it.
	do(ctx context.Context, h Host, w io.Writer) (undo func(w io.Writer), err error)
}

// StepError is a failed step of a plan.
type StepError struct {
	Step string // what was being done, e.g. "run systemctl daemon-reload"
	Err  error
}

func (e *StepError) Error() string { return e.Step + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Apply carries the plan out, printing each step on w. With dryRun it
// only prints what it would do, and reads, writes and runs nothing. When
// a step fails, everything done so far is rolled back, as printed, and the
// failure is returned as a *StepError.
func (p *Plan) Apply(ctx context.Context, w io.Writer, dryRun bool) error {
	if dryRun {
		for _, s := range p.steps {
			s.show(w)
		}
		return nil
	}
	if len(p.problems) > 0 {
		return errors.New(strings.Join(p.problems, "; "))
	}
	var undos []func(io.Writer)
	for _, s := range p.steps {
		undo, err := s.do(ctx, p.host, w)
		if err != nil {
			p.rollback(ctx, w, undos)
			return err
		}
		if undo != nil {
			undos = append(undos, undo)
		}
	}
	return nil
}

// rollback reverts what a failed Apply did; every revert is best effort.
// It runs even when ctx was cancelled (an interrupted install), which is
// when it matters most.
func (p *Plan) rollback(ctx context.Context, w io.Writer, undos []func(io.Writer)) {
	ctx = context.WithoutCancel(ctx)
	fmt.Fprintln(w, "rolling back:")
	for _, s := range p.undoFirst {
		s.do(ctx, p.host, w)
	}
	for i := len(undos) - 1; i >= 0; i-- {
		undos[i](w)
	}
	for _, s := range p.undoAfter {
		s.do(ctx, p.host, w)
	}
}

// writeFile installs a file atomically (temporary file, rename) with its
// mode; an identical file is left alone.
type writeFile struct {
	path string
	mode fs.FileMode
	data []byte
}

func (s writeFile) show(w io.Writer) {
	fmt.Fprintf(w, "would write %s (mode %04o):\n", s.path, s.mode)
	for _, line := range strings.SplitAfter(string(s.data), "\n") {
		if line != "" {
			fmt.Fprintf(w, "    %s", line)
		}
	}
	if !bytes.HasSuffix(s.data, []byte("\n")) {
		fmt.Fprintln(w)
	}
}

func (s writeFile) do(_ context.Context, h Host, w io.Writer) (func(io.Writer), error) {
	real := h.path(s.path)
	old, oldErr := os.ReadFile(real)
	oldInfo, statErr := os.Stat(real)
	if oldErr == nil && statErr == nil && bytes.Equal(old, s.data) && oldInfo.Mode().Perm() == s.mode {
		fmt.Fprintf(w, "kept %s (already up to date)\n", s.path)
		return nil, nil
	}
	if oldErr != nil && !errors.Is(oldErr, fs.ErrNotExist) {
		return nil, &StepError{"write " + s.path, oldErr}
	}
	made, err := mkdirs(filepath.Dir(real))
	if err != nil {
		return nil, &StepError{"write " + s.path, err}
	}
	if err := atomicWrite(real, s.data, s.mode); err != nil {
		removeDirs(made)
		return nil, &StepError{"write " + s.path, err}
	}
	fmt.Fprintf(w, "wrote %s (mode %04o)\n", s.path, s.mode)
	if oldErr != nil { // it did not exist
		return func(w io.Writer) {
			if os.Remove(real) == nil {
				fmt.Fprintf(w, "removed %s\n", s.path)
			}
			removeDirs(made)
		}, nil
	}
	return restore(s.path, real, old, oldInfo.Mode().Perm()), nil
}

// removeFile deletes a file; one already gone is not an error.
type removeFile struct{ path string }

func (s removeFile) show(w io.Writer) { fmt.Fprintf(w, "would remove %s\n", s.path) }

func (s removeFile) do(_ context.Context, h Host, w io.Writer) (func(io.Writer), error) {
	real := h.path(s.path)
	old, err := os.ReadFile(real)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	info, statErr := os.Stat(real)
	if err == nil {
		err = statErr
	}
	if err == nil {
		err = os.Remove(real)
	}
	if err != nil {
		return nil, &StepError{"remove " + s.path, err}
	}
	fmt.Fprintf(w, "removed %s\n", s.path)
	return restore(s.path, real, old, info.Mode().Perm()), nil
}

// restore puts a file back as it was.
func restore(shown, real string, data []byte, mode fs.FileMode) func(io.Writer) {
	return func(w io.Writer) {
		if err := atomicWrite(real, data, mode); err != nil {
			fmt.Fprintf(w, "could not restore %s: %v\n", shown, err)
			return
		}
		fmt.Fprintf(w, "restored %s\n", shown)
	}
}

// atomicWrite replaces path with data and mode, or leaves it as it was.
func atomicWrite(path string, data []byte, mode fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// dirMode is the mode of directories created for installed files, like
// the system's own /etc/… directories.
const dirMode = 0o755

// mkdirs creates dir and its missing parents and returns those it
// created, deepest first.
func mkdirs(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || d == filepath.Dir(d) {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, err
	}
	return missing, nil
}

// removeDirs removes directories mkdirs created, if still empty.
func removeDirs(dirs []string) {
	for _, d := range dirs {
		os.Remove(d)
	}
}

// command runs an external command.
type command struct {
	argv []string
	// mayFail: a failure is printed and the plan goes on (stopping a
	// service that is not running, for instance).
	mayFail bool
}

func run(argv ...string) command          { return command{argv: argv} }
func tryRun(argv ...string) command       { return command{argv: argv, mayFail: true} }
func (s command) show(w io.Writer)        { fmt.Fprintf(w, "would run: %s\n", displayCommand(s.argv)) }
func (s command) String() string          { return "run " + displayCommand(s.argv) }
func (s command) failure(err error) error { return &StepError{s.String(), err} }

func (s command) do(ctx context.Context, h Host, w io.Writer) (func(io.Writer), error) {
	_, err := h.run(ctx, nil, s.argv...)
	switch {
	case err == nil:
		fmt.Fprintf(w, "ran: %s\n", displayCommand(s.argv))
	case s.mayFail:
		fmt.Fprintf(w, "ran: %s (failed, ignored: %v)\n", displayCommand(s.argv), err)
	default:
		return nil, s.failure(err)
	}
	return nil, nil
}

// call is a step done in Go rather than by a command: a crontab edit, a
// Windows service manager request.
type call struct {
	would, did string // "create the service …", "created the service …"
	// fn does the work; a message it returns replaces did.
	fn      func(ctx context.Context) (string, error)
	mayFail bool
}

func (s call) show(w io.Writer) { fmt.Fprintf(w, "would %s\n", s.would) }

func (s call) do(ctx context.Context, _ Host, w io.Writer) (func(io.Writer), error) {
	msg, err := s.fn(ctx)
	switch {
	case err == nil && msg != "":
		fmt.Fprintln(w, msg)
	case err == nil:
		fmt.Fprintln(w, s.did)
	case s.mayFail:
		fmt.Fprintf(w, "could not %s (ignored: %v)\n", s.would, err)
	default:
		return nil, &StepError{s.would, err}
	}
	return nil, nil
}
