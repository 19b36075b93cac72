// Package servicetest holds fakes of platform/service's boundaries for
// this module's tests.
package servicetest

import (
	"context"
	"strings"
	"sync"

	"github.com/ddns-go/ddns/platform/service"
)

// Runner is a service.Runner that records every command and answers from
// canned outputs. It keeps a crontab for `crontab -l` and `crontab -`.
// Tests read and set its fields between runs.
type Runner struct {
	mu      sync.Mutex
	Calls   []string
	Out     map[string]string // command line → standard output
	Fail    map[string]error  // command line → error
	Crontab *string           // nil: the user has none
	// OnRun, when set, is asked first; an error it returns is the result.
	OnRun func(ctx context.Context, line string) error
}

// NewRunner returns a Runner without outputs, failures or crontab.
func NewRunner() *Runner {
	return &Runner{Out: map[string]string{}, Fail: map[string]error{}}
}

// Run implements service.Runner.
func (f *Runner) Run(ctx context.Context, stdin []byte, name string, args ...string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	line := strings.Join(append([]string{name}, args...), " ")
	f.Calls = append(f.Calls, line)
	if f.OnRun != nil {
		if err := f.OnRun(ctx, line); err != nil {
			return nil, err
		}
	}
	if err, ok := f.Fail[line]; ok {
		return []byte(f.Out[line]), err
	}
	switch line {
	case "crontab -l":
		if f.Crontab == nil {
			return nil, &service.CommandError{Command: line, Code: 1, Stderr: "no crontab for root"}
		}
		return []byte(*f.Crontab), nil
	case "crontab -":
		s := string(stdin)
		f.Crontab = &s
	}
	return []byte(f.Out[line]), nil
}

// Reset forgets the commands run so far.
func (f *Runner) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Calls = nil
}
