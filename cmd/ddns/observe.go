package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/internal/logging"
	"github.com/ddns-go/ddns/internal/notify"
	"github.com/ddns-go/ddns/internal/observe"
	"github.com/ddns-go/ddns/internal/status"
)

// startObservers starts the status endpoint, the notifiers and the
// heartbeat a plan asks for. A bad setting returns exitUsage after one
// logged line; a listener that cannot open returns exitFailed.
func startObservers(ctx context.Context, plan *config.Plan, root zerolog.Logger, red observe.Redactor) (*observe.Running, int) {
	log := logging.Named(root, "observe")
	o, err := observe.Start(ctx, plan.Observe, observe.Options{
		Interval: plan.Interval, Version: version, Configs: statusConfigs(plan), Log: log, Redact: red,
		Senders: func() (notify.Options, error) { return notifyOptions(plan, log) },
	})
	switch {
	case errors.Is(err, observe.ErrSetting):
		log.Error().Msg(err.Error())
		return nil, exitUsage
	case err != nil:
		log.Error().Msg(err.Error())
		return nil, exitFailed
	}
	return o, exitOK
}

// notifyOptions builds the senders' HTTP client: verified TLS always (the
// "auto" downgrade is for providers only), unless the user set ssl false.
func notifyOptions(plan *config.Plan, log zerolog.Logger) (notify.Options, error) {
	ssl := plan.Configs[0].SSL
	if ssl == "auto" {
		ssl = "true"
	}
	hc, err := httpclient.New(httpclient.Options{SSL: ssl, UserAgent: userAgent(), Timeout: 10 * time.Second})
	if err != nil {
		return notify.Options{}, err
	}
	host, _ := os.Hostname()
	return notify.Options{HTTP: hc, Host: host, Log: func(msg string) { log.Warn().Msg(msg) }}, nil
}

func statusConfigs(plan *config.Plan) []status.Config {
	cs := make([]status.Config, len(plan.Configs))
	for i, c := range plan.Configs {
		cs[i] = status.Config{Label: c.Label, Provider: c.DNS}
	}
	return cs
}

// runOnceWithHeartbeat wraps a one-shot run with heartbeat pings
// (notify.AroundRun). A bad heartbeat URL is reported and the run goes on.
func runOnceWithHeartbeat(ctx context.Context, plan *config.Plan, root zerolog.Logger, run func() int) int {
	hb := plan.Observe.Heartbeat
	if hb == "" {
		return run()
	}
	log := logging.Named(root, "observe")
	opts, err := notifyOptions(plan, log)
	if _, _, perr := notify.ParseHeartbeat(hb); perr != nil || err != nil {
		log.Error().Msgf("heartbeat: %v", errors.Join(perr, err))
		return run()
	}
	return notify.AroundRun(ctx, hb, opts, run)
}
