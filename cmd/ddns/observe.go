package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/internal/notify"
	"github.com/ddns-go/ddns/internal/observe"
	"github.com/ddns-go/ddns/internal/status"
)

// startObservers starts the status endpoint, the notifiers and the
// heartbeat a plan asks for. A bad setting returns exitUsage after one
// logged line; a listener that cannot open returns exitFailed.
func startObservers(ctx context.Context, plan *config.Plan, root zerolog.Logger, red observe.Redactor) (*observe.Running, int) {
	log := root.With().Str("logger", "observe").Logger()
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

// runStatus is `ddns status [--status ADDR] [--json] [-c FILE]`: it asks a
// running agent's status endpoint and prints a table (or the JSON). Exit 0
// healthy, 1 unhealthy, 2 unreachable or not enabled.
func runStatus(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	var addr string
	asJSON := false
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--json":
			asJSON = true
		case a == "--status" && i+1 < len(args):
			addr = args[i+1]
			i++
		case strings.HasPrefix(a, "--status="):
			addr = strings.TrimPrefix(a, "--status=")
		default:
			rest = append(rest, a)
		}
	}
	token := ""
	if plan, err := config.Load(config.Input{Args: rest, Environ: environ}); err == nil {
		if addr == "" {
			addr = plan.Observe.Status
		}
		token = plan.Observe.StatusToken
	} else if addr == "" {
		return config.Report(stderr, err, rest)
	}
	if addr == "" {
		fmt.Fprintln(stderr, `ddns: the status endpoint is not enabled: set "status": "127.0.0.1:9876" in the configuration (or --status, DDNS_STATUS) and restart ddns watch`)
		return exitUsage
	}
	s, body, err := status.Query(ctx, addr, token)
	switch {
	case err != nil:
		fmt.Fprintln(stderr, "ddns: "+err.Error())
		return exitUsage
	case asJSON:
		stdout.Write(body)
	default:
		status.Print(stdout, s)
	}
	if !s.Healthy {
		return exitFailed
	}
	return exitOK
}

// runNotifyTest is `ddns notify --test [options]`: one test message to
// every configured notification URL and the heartbeat is not touched.
// Exit 0 when all were delivered, 1 when any failed, 2 when none is
// configured or one is malformed.
func runNotifyTest(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	test := false
	var rest []string
	for _, a := range args {
		if a == "--test" {
			test = true
		} else {
			rest = append(rest, a)
		}
	}
	if !test {
		fmt.Fprintln(stderr, "usage: ddns notify --test [-c FILE] [--notify URL ...]")
		return exitUsage
	}
	// A test message needs no provider: "debug" stands in for a missing
	// one (it overrides the file's only for this load, which reads
	// nothing provider-specific).
	plan, err := config.Load(config.Input{Args: append(rest, "--dns", "debug"), Environ: environ})
	if err != nil {
		return config.Report(stderr, err, rest)
	}
	if len(plan.Observe.Notify) == 0 {
		fmt.Fprintln(stderr, `ddns: no notification URL configured: set "notify": ["ntfy://ntfy.sh/TOPIC", …] (or --notify, DDNS_NOTIFY)`)
		return exitUsage
	}
	targets, err := notify.ParseAll(plan.Observe.Notify)
	if err != nil {
		fmt.Fprintln(stderr, "ddns: "+err.Error())
		return exitUsage
	}
	opts, err := notifyOptions(plan, zerolog.Nop())
	if err != nil {
		fmt.Fprintf(stderr, "ddns: %v\n", err)
		return exitUsage
	}
	code := exitOK
	for _, r := range notify.SendTest(ctx, targets, opts) {
		if r.Err != nil {
			fmt.Fprintf(stdout, "FAIL  %s: %v\n", r.Target, r.Err)
			code = exitFailed
		} else {
			fmt.Fprintf(stdout, "ok    %s\n", r.Target)
		}
	}
	return code
}

// runOnceWithHeartbeat wraps a one-shot run with heartbeat pings
// (notify.AroundRun). A bad heartbeat URL is reported and the run goes on.
func runOnceWithHeartbeat(ctx context.Context, plan *config.Plan, root zerolog.Logger, run func() int) int {
	hb := plan.Observe.Heartbeat
	if hb == "" {
		return run()
	}
	log := root.With().Str("logger", "observe").Logger()
	opts, err := notifyOptions(plan, log)
	if _, _, perr := notify.ParseHeartbeat(hb); perr != nil || err != nil {
		log.Error().Msgf("heartbeat: %v", errors.Join(perr, err))
		return run()
	}
	return notify.AroundRun(ctx, hb, opts, run)
}
