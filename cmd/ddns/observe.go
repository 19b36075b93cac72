package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/internal/notify"
	"github.com/ddns-go/ddns/internal/status"
	"github.com/ddns-go/ddns/watch"
)

// observers fans the reactor's reports out to every observer, with the
// error text passed through the run's redactor once more.
type observers struct {
	list []watch.Observer
	red  redactor
}

func (o observers) Event(kind string) {
	for _, x := range o.list {
		x.Event(kind)
	}
}

func (o observers) Sync(reason string) {
	for _, x := range o.list {
		x.Sync(reason)
	}
}

func (o observers) Record(r watch.RecordReport) {
	r.Err = o.red.Redact(r.Err)
	for _, x := range o.list {
		x.Record(r)
	}
}

// observing is what startObservers set up for a watch run.
type observing struct {
	obs     watch.Observer // nil: nothing observes
	tracker *status.Tracker
	stop    func()
}

// reload tells the status tracker which configurations now run.
func (o *observing) reload(plan *config.Plan) {
	if o.tracker != nil {
		o.tracker.SetConfigs(statusConfigs(plan))
	}
}

// startObservers starts the status endpoint, the notifiers and the
// heartbeat a plan asks for. A bad setting returns exitUsage after one
// logged line; a listener that cannot open returns exitFailed.
func startObservers(ctx context.Context, plan *config.Plan, root zerolog.Logger, red redactor) (*observing, int) {
	o := plan.Observe
	log := root.With().Str("logger", "observe").Logger()
	stderr := logLines{log}
	red.Add(o.StatusToken)
	res := &observing{stop: func() {}}
	var list []watch.Observer
	var stops []func()
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	targets, code := parseNotify(o.Notify, stderr)
	if code != exitOK {
		return nil, code
	}
	var hb string
	if o.Heartbeat != "" {
		if _, _, err := notify.ParseHeartbeat(o.Heartbeat); err != nil {
			fmt.Fprintf(stderr, "ddns: heartbeat: %v\n", err)
			return nil, exitUsage
		}
		hb = o.Heartbeat
	}
	if o.Status != "" {
		if err := status.CheckAddr(o.Status, o.StatusToken != ""); err != nil {
			fmt.Fprintf(stderr, "ddns: status = %q: %v\n", shorten(o.Status), err)
			return nil, exitUsage
		}
		interval := orDefault(plan.Interval)
		res.tracker = status.NewTracker(version, interval, nil)
		res.tracker.SetConfigs(statusConfigs(plan))
		ln, err := status.Listen(o.Status, o.StatusToken)
		if err != nil {
			fmt.Fprintf(stderr, "ddns: %v\n", err)
			return nil, exitFailed
		}
		sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() { defer close(done); status.Serve(sctx, ln, res.tracker, o.StatusToken) }()
		stops = append(stops, func() { cancel(); <-done })
		list = append(list, res.tracker)
		log.Info().Msgf("status endpoint on %s (/status, /healthz, /metrics)", ln.Addr())
	}
	if len(targets) > 0 || hb != "" {
		opts, err := notifyOptions(plan, log)
		if err != nil {
			stopAll()
			fmt.Fprintf(stderr, "ddns: %v\n", red.Redact(err.Error()))
			return nil, exitUsage
		}
		if len(targets) > 0 {
			n := notify.NewNotifier(targets, opts)
			n.Started()
			stops = append(stops, n.Close)
			list = append(list, n)
		}
		if hb != "" {
			h, _ := notify.NewHeartbeat(hb, orDefault(plan.Interval), opts)
			stops = append(stops, h.Close)
			list = append(list, h)
		}
	}
	if len(list) > 0 {
		res.obs = observers{list: list, red: red}
	}
	res.stop = stopAll
	return res, exitOK
}

// parseNotify checks every notification URL; a bad one is reported on one
// line with its secrets hidden.
func parseNotify(urls []string, stderr io.Writer) ([]*notify.Target, int) {
	var ts []*notify.Target
	for i, u := range urls {
		t, err := notify.Parse(u)
		if err != nil {
			fmt.Fprintf(stderr, "ddns: notify[%d]: %v\n", i+1, err)
			return nil, exitUsage
		}
		ts = append(ts, t)
	}
	return ts, exitOK
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

// shorten keeps a value printable in a one-line error.
func shorten(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
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
		return reportLoadError(stderr, err, rest)
	}
	if addr == "" {
		fmt.Fprintln(stderr, `ddns: the status endpoint is not enabled: set "status": "127.0.0.1:9876" in the configuration (or --status, DDNS_STATUS) and restart ddns watch`)
		return exitUsage
	}
	hc, base := status.Client(addr, 5*time.Second)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "ddns: cannot reach the status endpoint at %s: is ddns watch running with status on?\n", addr)
		return exitUsage
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	var s status.Status
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &s) != nil {
		fmt.Fprintf(stderr, "ddns: the status endpoint at %s answered HTTP %d\n", addr, resp.StatusCode)
		return exitUsage
	}
	if asJSON {
		stdout.Write(body)
	} else {
		printStatus(stdout, s)
	}
	if !s.Healthy {
		return exitFailed
	}
	return exitOK
}

func printStatus(w io.Writer, s status.Status) {
	health := "healthy"
	if !s.Healthy {
		health = "UNHEALTHY"
	}
	fmt.Fprintf(w, "ddns %s, up since %s: %s\n", s.Version, s.Started.Local().Format(time.DateTime), health)
	rows := [][]string{{"DOMAIN", "TYPE", "PROVIDER", "PUBLISHED", "RESULT", "LAST PUBLISH", "NEXT RETRY", "ERROR"}}
	for _, r := range s.Records {
		result := r.Result
		if !r.Healthy {
			result += " (unhealthy)"
		}
		rows = append(rows, []string{r.Domain, r.Type, r.Provider, dash(r.Published), result,
			when(r.LastPublish), when(r.NextRetry), dash(shorten(r.Error))})
	}
	writeTable(w, rows)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Local().Format(time.DateTime)
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
		return reportLoadError(stderr, err, rest)
	}
	if len(plan.Observe.Notify) == 0 {
		fmt.Fprintln(stderr, `ddns: no notification URL configured: set "notify": ["ntfy://ntfy.sh/TOPIC", …] (or --notify, DDNS_NOTIFY)`)
		return exitUsage
	}
	targets, code := parseNotify(plan.Observe.Notify, stderr)
	if code != exitOK {
		return code
	}
	opts, err := notifyOptions(plan, zerolog.Nop())
	if err != nil {
		fmt.Fprintf(stderr, "ddns: %v\n", err)
		return exitUsage
	}
	code = exitOK
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

// logLines turns Fprintf lines into error log lines (the "ddns: " prefix
// dropped), so that startObservers reports like the rest of a watch run.
type logLines struct{ log zerolog.Logger }

func (l logLines) Write(p []byte) (int, error) {
	l.log.Error().Msg(strings.TrimPrefix(strings.TrimSpace(string(p)), "ddns: "))
	return len(p), nil
}

// runOnceWithHeartbeat wraps a one-shot run with heartbeat pings: /start
// while it runs (never before: it must not delay a publish), then success,
// or fail with the reason. A bad heartbeat URL is reported and the run
// goes on.
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
	ping := func(kind, why string) {
		if err := notify.Ping(ctx, hb, kind, why, opts); err != nil {
			log.Warn().Msgf("heartbeat: %v", err)
		}
	}
	started := make(chan struct{})
	go func() { defer close(started); ping("start", "") }()
	code := run()
	<-started
	if code == exitOK {
		ping("up", "ok")
	} else {
		ping("fail", "ddns: a record or configuration failed (exit "+strconv.Itoa(code)+"); see the log")
	}
	return code
}
