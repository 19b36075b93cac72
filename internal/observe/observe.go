// Package observe starts what watches a long-running agent from outside
// its log: the status endpoint, the notifiers and the heartbeat, handed to
// the reactor as one watch.Observer.
package observe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/notify"
	"github.com/ddns-go/ddns/internal/status"
	"github.com/ddns-go/ddns/watch"
)

// Options are what Start needs besides the user's settings.
type Options struct {
	Interval time.Duration   // the reactor's poll interval (0 = watch.DefaultInterval)
	Version  string          // this build, for the status endpoint
	Configs  []status.Config // the configurations running now
	// Senders builds the notifiers' and heartbeat's HTTP set-up; it is
	// called only when one is configured.
	Senders func() (notify.Options, error)
	Log     zerolog.Logger
	Redact  Redactor
}

// Redactor learns secrets and masks them: the run's, shared with the
// publishers, so that a record's error reaches no observer with a token.
type Redactor interface {
	Add(...string)
	Redact(string) string
}

// ErrSetting is matched (errors.Is) by Start's errors that are the user's
// settings, not a failure to start: a usage error, exit 2.
var ErrSetting = errors.New("bad setting")

// settingError is a one-line error about a setting the user wrote.
type settingError string

func (e settingError) Error() string        { return string(e) }
func (e settingError) Is(target error) bool { return target == ErrSetting }

// Running is what Start set up for a watch run.
type Running struct {
	Observer watch.Observer // nil: nothing observes
	tracker  *status.Tracker
	stops    []func()
}

// Reload tells the status endpoint which configurations now run.
func (r *Running) Reload(cs []status.Config) {
	if r.tracker != nil {
		r.tracker.SetConfigs(cs)
	}
}

// Stop stops everything Start started, last first, and waits for it.
func (r *Running) Stop() {
	for i := len(r.stops) - 1; i >= 0; i-- {
		r.stops[i]()
	}
}

// Start starts the status endpoint, the notifiers and the heartbeat that
// set asks for, until Stop. Every setting is checked before anything
// starts; an error is one line without secrets.
func Start(ctx context.Context, set config.Observe, o Options) (*Running, error) {
	o.Redact.Add(set.StatusToken)
	targets, err := notify.ParseAll(set.Notify)
	if err != nil {
		return nil, settingError(err.Error())
	}
	if set.Heartbeat != "" {
		if _, _, err := notify.ParseHeartbeat(set.Heartbeat); err != nil {
			return nil, settingError("heartbeat: " + err.Error())
		}
	}
	if set.Status != "" {
		if err := status.CheckAddr(set.Status, set.StatusToken != ""); err != nil {
			return nil, settingError(fmt.Sprintf("status = %q: %v", status.Shorten(set.Status), err))
		}
	}
	interval := o.Interval
	if interval == 0 {
		interval = watch.DefaultInterval
	}
	r := &Running{}
	var list []watch.Observer
	if set.Status != "" {
		r.tracker = status.NewTracker(o.Version, interval, nil)
		r.tracker.SetConfigs(o.Configs)
		ln, err := status.Listen(set.Status, set.StatusToken)
		if err != nil {
			return nil, err
		}
		sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() { defer close(done); status.Serve(sctx, ln, r.tracker, set.StatusToken) }()
		r.stops = append(r.stops, func() { cancel(); <-done })
		list = append(list, r.tracker)
		o.Log.Info().Msgf("status endpoint on %s (/status, /healthz, /metrics)", ln.Addr())
	}
	if len(targets) > 0 || set.Heartbeat != "" {
		opts, err := o.Senders()
		if err != nil {
			r.Stop()
			return nil, settingError(o.Redact.Redact(err.Error()))
		}
		if len(targets) > 0 {
			n := notify.NewNotifier(targets, opts)
			n.Started()
			r.stops = append(r.stops, n.Close)
			list = append(list, n)
		}
		if set.Heartbeat != "" {
			h, _ := notify.NewHeartbeat(set.Heartbeat, interval, opts)
			r.stops = append(r.stops, h.Close)
			list = append(list, h)
		}
	}
	if len(list) > 0 {
		r.Observer = fanOut{list: list, red: o.Redact}
	}
	return r, nil
}

// fanOut hands the reactor's reports to every observer, with the error
// text passed through the run's redactor once more.
type fanOut struct {
	list []watch.Observer
	red  Redactor
}

func (f fanOut) Event(kind string) {
	for _, x := range f.list {
		x.Event(kind)
	}
}

func (f fanOut) Sync(reason string) {
	for _, x := range f.list {
		x.Sync(reason)
	}
}

func (f fanOut) Record(r watch.RecordReport) {
	r.Err = f.red.Redact(r.Err)
	for _, x := range f.list {
		x.Record(r)
	}
}
