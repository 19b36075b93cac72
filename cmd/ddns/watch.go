package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/logging"
	"github.com/ddns-go/ddns/internal/state"
	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/platform/service"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/watch"
)

// runWatch runs the reactor until ctx is done: SIGHUP reloads the
// configuration (a broken one is reported and the running one kept),
// SIGUSR1 or a service manager's request (svcSync) syncs now. Under systemd
// it reports readiness after the first sync, feeds the watchdog and says
// when it stops. It returns 0 after a clean stop.
func runWatch(ctx context.Context, plan *config.Plan, load func() (*config.Plan, error), root zerolog.Logger, stdout io.Writer, red *publish.Redactor,
	notify *platform.Notifier, svcSync <-chan string) int {
	log := logging.Named(root, "watch")
	// One registry for the agent's life: configurations naming the same
	// state file share it, and reloads keep what was published.
	st := state.NewFiles(plan.StateDir)
	targets := buildTargets(plan, st, root, stdout, red)
	if len(targets) == 0 {
		log.Error().Msg("no configuration can run: nothing to watch")
		return exitFailed
	}
	observe, code := startObservers(ctx, plan, root, red)
	if code != exitOK {
		return code
	}
	defer observe.Stop()
	var ready sync.Once
	r := watch.New(watch.Options{
		Source:   platform.NewSource(func(f string, a ...any) { log.Warn().Msgf(f, a...) }),
		Debounce: plan.Debounce,
		Interval: plan.Interval,
		Log:      log,
		Observer: observe.Observer,
		Synced: func(o watch.Outcome) {
			ready.Do(func() {
				if err := notify.Ready(); err != nil {
					log.Warn().Msgf("%v", err)
				}
			})
			notify.Status(fmt.Sprintf("last sync: %d published, %d current, %d failed", o.Published, o.Current, o.Failed))
		},
	})
	wdCtx, stopWatchdog := context.WithCancel(ctx)
	watchdogDone := make(chan struct{})
	go func() {
		defer close(watchdogDone)
		notify.RunWatchdog(wdCtx, func(err error) { log.Warn().Msgf("%v", err) })
	}()
	defer func() { stopWatchdog(); <-watchdogDone }()
	signals := service.NotifySignals()
	defer signals.Stop()
	// The control goroutine is joined before returning: STOPPING=1 must
	// reach the service manager before the process exits.
	ctlCtx, stopCtl := context.WithCancel(ctx)
	ctlDone := make(chan struct{})
	go func() {
		defer close(ctlDone)
		signals.Control(ctlCtx, r.Trigger, svcSync, func() {
			next, err := load()
			if err != nil {
				log.Error().Msgf("reload: %v; keeping the running configuration", err)
				return
			}
			for _, c := range next.Configs {
				red.Add(c.Token)
			}
			ts := buildTargets(next, st, root, stdout, red)
			if len(ts) == 0 {
				log.Error().Msg("reload: no configuration can run; keeping the running configuration")
				return
			}
			log.Info().Msgf("reload: %d configuration(s) loaded", len(ts))
			observe.Reload(statusConfigs(next))
			r.ReloadWithTiming(ts, next.Debounce, next.Interval)
		})
		if ctx.Err() != nil {
			notify.Stopping()
		}
	}()
	defer func() { stopCtl(); <-ctlDone }()
	log.Info().Msgf("watching for address changes (debounce %v, poll %v)", plan.Debounce, orDefault(plan.Interval))
	if err := r.Run(ctx, targets); err != nil {
		log.Error().Msgf("%v", err)
		return exitFailed
	}
	return exitOK
}

// buildTargets wires every configuration that can run; the others are
// reported and skipped.
func buildTargets(plan *config.Plan, st *state.Files, root zerolog.Logger, stdout io.Writer, red *publish.Redactor) []*watch.Target {
	var ts []*watch.Target
	log := logging.Named(root, "ddns")
	for _, c := range plan.Configs {
		t, err := newTarget(c, st, root, stdout, true)
		if err != nil {
			log.Error().Msgf("%s: %v", c.Label, err)
			continue
		}
		t.Redact = red.Redact
		ts = append(ts, t)
	}
	return ts
}

func orDefault(interval time.Duration) time.Duration {
	if interval == 0 {
		return watch.DefaultInterval
	}
	return interval
}
