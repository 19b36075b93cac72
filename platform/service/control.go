package service

import (
	"context"
	"os"
	"os/signal"
	"time"
)

// Reloads are coalesced: a burst of SIGHUPs (a script looping, a package
// manager's hooks) costs one re-evaluation, after reloadQuiet without a
// further signal or reloadMaxDelay after the first.
const (
	reloadQuiet    = 250 * time.Millisecond
	reloadMaxDelay = 2 * time.Second
)

// Signals are the requests a running agent takes as signals: SIGHUP to
// reload its configuration, SIGUSR1 to sync now (neither on Windows,
// where the service manager asks instead).
type Signals struct{ reload, syncNow chan os.Signal }

// NotifySignals starts catching the control signals, until Stop: from now
// on they no longer kill the process.
func NotifySignals() *Signals {
	s := &Signals{reload: make(chan os.Signal, 1), syncNow: make(chan os.Signal, 1)}
	notifyReload(s.reload)
	notifySyncNow(s.syncNow)
	return s
}

// Stop stops catching the signals.
func (s *Signals) Stop() {
	signal.Stop(s.reload)
	signal.Stop(s.syncNow)
}

// Control turns the signals and a service manager's "sync now" requests
// (svcSync, with their reason; nil outside a Windows service) into calls
// of trigger and reload until ctx is done. Reload signals are coalesced
// (reloadQuiet, reloadMaxDelay) into one call of reload.
func (s *Signals) Control(ctx context.Context, trigger func(reason string), svcSync <-chan string, reload func()) {
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	var firstAt time.Time // of the pending burst; zero = none
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.syncNow:
			trigger("sync asked (SIGUSR1)")
		case reason := <-svcSync:
			trigger(reason)
		case <-s.reload:
			now := time.Now()
			if firstAt.IsZero() {
				firstAt = now
			}
			quiet.Reset(min(reloadQuiet, firstAt.Add(reloadMaxDelay).Sub(now)))
		case <-quiet.C:
			firstAt = time.Time{}
			reload()
		}
	}
}
