//go:build !windows

package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// runningAsService reports false: outside Windows a service is an ordinary
// process (systemd, procd and launchd only start it and send signals).
func runningAsService() bool { return false }

// runService has the Windows contract (see service_windows.go) so callers
// build on every OS. Nothing calls it here; if something does, run runs in
// the foreground until SIGINT or SIGTERM, with no sync requests, logging
// to stderr.
func runService(run func(ctx context.Context, syncNow <-chan string, stderr io.Writer) int) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, nil, os.Stderr)
}
