//go:build !windows

package service

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// RunningAsService reports false: outside Windows a service is an ordinary
// process (systemd, procd and launchd only start it and send signals).
func RunningAsService() bool { return false }

// RunAsService has the Windows contract (see run_windows.go) so callers
// build on every OS. Nothing calls it here; if something does, run runs in
// the foreground until SIGINT or SIGTERM, with no sync requests, logging
// to stderr.
func RunAsService(run func(ctx context.Context, syncNow <-chan string, stderr io.Writer) int) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, nil, os.Stderr)
}
