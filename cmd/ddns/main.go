// Command ddns keeps DNS A/AAAA records pointed at this machine's
// addresses. `ddns [flags]` syncs once and exits, like the original Python
// client it replaces; see README.md.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/buildinfo"
	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/internal/logging"
	"github.com/ddns-go/ddns/internal/notify"
	"github.com/ddns-go/ddns/internal/providers"
	"github.com/ddns-go/ddns/internal/state"
	"github.com/ddns-go/ddns/internal/status"
	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/platform/service"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/watch"
)

// Set at release build time with -ldflags "-X main.version=… -X main.buildDate=…".
var (
	version   = "dev"
	buildDate = "unknown"
)

// commands are every subcommand, so that a mistyped one lists them all;
// "task", "providers", "import-openwrt", "status" and "notify" are dispatched before the
// configuration is parsed (they have arguments of their own).
var commands = []string{"watch", "providers", "task", "import-openwrt", "status", "notify"}

// watchAbout is what `ddns watch -h` says before the options.
const watchAbout = `Stays running: publishes at start, then within about a second of every
address change the kernel reports, and polls only the rules no event can
reveal (every --interval minutes). SIGUSR1 syncs now, SIGHUP reloads the
configuration, SIGTERM finishes the publish in flight and exits.`

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a record or configuration failed at run time
	exitUsage  = 2 // bad command line or configuration
)

func main() {
	if service.RunningAsService() {
		// A Windows service keeps its state with its configuration, under
		// %ProgramData%\ddns, not in the LocalSystem profile.
		environ := os.Environ()
		if pd := os.Getenv("ProgramData"); pd != "" && os.Getenv("STATE_DIRECTORY") == "" {
			environ = append(environ, "STATE_DIRECTORY="+filepath.Join(pd, "ddns"))
		}
		os.Exit(service.RunAsService(func(ctx context.Context, syncNow <-chan string, stderr io.Writer) int {
			return run(ctx, os.Args[1:], environ, stderr, stderr, syncNow)
		}))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run is the whole program minus process plumbing, so tests can drive it.
// syncNow carries "sync now" requests of a service manager (nil outside a
// Windows service; Unix uses SIGUSR1).
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer, syncNow <-chan string) int {
	if len(args) > 0 && args[0] == "task" {
		return runTask(ctx, args[1:], environ, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "import-openwrt" {
		return config.ImportCommand(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "status" {
		return status.Command(ctx, args[1:], environ, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "notify" {
		return notify.TestCommand(ctx, args[1:], environ, func(p *config.Plan) (notify.Options, error) {
			return notifyOptions(p, zerolog.Nop())
		}, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "providers" {
		return providers.Command(args[1:], stdout, stderr)
	}
	// A disagreement between public-address sources is one warning, on
	// the logger set up once the configuration is read (before any lookup).
	var resolveLog zerolog.Logger
	// Local rules list the interfaces on one kept socket, every round.
	lister := &platform.Lister{}
	defer lister.Close()
	lookup := &config.Lookup{UserAgent: userAgent(), Warn: func(msg string) { resolveLog.Warn().Msg(msg) }, Lister: lister}
	load := func() (*config.Plan, error) {
		p, err := config.Load(config.Input{Args: args, Environ: environ, Commands: commands, Lookup: lookup})
		if err == nil {
			err = checkProviders(p)
		}
		return p, err
	}
	plan, err := load()
	if err != nil {
		return config.Report(stderr, err, args)
	}
	switch {
	case plan.Help && plan.Command == "watch":
		fmt.Fprint(stdout, config.CommandUsage("ddns watch", watchAbout))
		return exitOK
	case plan.Help:
		fmt.Fprint(stdout, config.Usage("ddns", commands))
		return exitOK
	case plan.Version:
		ver, date := buildinfo.Of(version, buildDate)
		fmt.Fprintf(stdout, "v%s (%s)\n%s %s/%s\n", ver, date, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return exitOK
	case plan.Generated || plan.NewConfig != "":
		return plan.WriteTemplate(stdout, stderr)
	}

	red := &publish.Redactor{}
	for _, c := range plan.Configs {
		red.Add(c.Token)
	}
	root, closeLog, err := logging.New(logging.Options{Level: plan.Log.Level, File: plan.Log.File, Format: plan.Log.Format, Datefmt: plan.Log.Datefmt}, stderr, red.Writer)
	if err != nil {
		fmt.Fprintln(stderr, "ddns: "+red.Redact(err.Error()))
		return exitUsage
	}
	defer closeLog()
	failure := &logging.LastError{}
	if plan.Log.File != "" {
		root = root.Hook(failure)
	}
	resolveLog = logging.Named(root, "resolve")
	cfgLog := logging.Named(root, "config")
	for _, w := range plan.Warnings {
		cfgLog.Warn().Msg(w)
	}
	if len(plan.Files) > 0 {
		cfgLog.Info().Msgf("load config: %s", pyList(plan.Files))
	} else {
		cfgLog.Debug().Msg("No config file specified, using CLI and environment variables only.")
	}
	// The original starts its long-running mode when the file's root has
	// "interval"; here that is the reactor.
	var code int
	if plan.Command == "watch" || plan.Interval > 0 {
		code = runWatch(ctx, plan, load, root, stdout, red, platform.NewNotifier(environ), syncNow)
	} else {
		code = runOnceWithHeartbeat(ctx, plan, root, func() int { return runOnce(ctx, plan, root, stdout) })
	}
	if code != exitOK && plan.Log.File != "" {
		// The log went to the file; the terminal or service manager still
		// learns in one line that, and why, the run failed.
		why := fmt.Sprintf("the run failed (exit %d)", code)
		if m := failure.Message(); m != "" {
			why = red.Redact(m)
		}
		fmt.Fprintln(stderr, "ddns: "+config.OneLine(why, 200)+" (details in "+config.OneLine(plan.Log.File, 64)+")")
	}
	return code
}

// runOnce syncs every configuration in turn; one failing does not stop the
// others.
func runOnce(ctx context.Context, plan *config.Plan, root zerolog.Logger, stdout io.Writer) int {
	log := logging.Named(root, "ddns")
	n := len(plan.Configs)
	failed := 0
	st := state.NewFiles(plan.StateDir)
	for i, c := range plan.Configs {
		if n > 1 {
			log.Info().Msgf("Running configuration %d/%d", i+1, n)
			log.Info().Msgf("Using DNS provider: %s", c.DNS)
		}
		ok := syncConfig(ctx, c, st, root, stdout)
		if !ok {
			failed++
		}
		switch {
		case n > 1 && ok:
			log.Info().Msgf("Configuration %d completed successfully", i+1)
		case n > 1:
			log.Error().Msgf("Configuration %d failed", i+1)
		}
		if ctx.Err() != nil {
			return exitFailed
		}
	}
	if n > 1 {
		if failed == 0 {
			log.Info().Msg("All configurations completed successfully")
		} else {
			log.Error().Msg("Some configurations failed")
		}
	}
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

// syncConfig runs one configuration and reports whether every record is
// current.
func syncConfig(ctx context.Context, c *config.Config, st *state.Files, root zerolog.Logger, stdout io.Writer) bool {
	log := logging.Named(root, "ddns")
	t, err := newTarget(c, st, root, stdout, false)
	if err != nil {
		log.Error().Msgf("%s: %v", c.Label, err)
		return false
	}
	out := watch.Sync(ctx, t)
	if t.State != nil {
		if err := t.State.Save(); err != nil {
			log.Warn().Msgf("%v", err)
		} else {
			log.Debug().Msgf("save cache data to %s", t.State.Path())
		}
	}
	return out.OK()
}

// newTarget wires one configuration to its provider and state file (from
// st, shared with the configurations naming the same file). A
// long-running target keeps its state in memory when the file is disabled.
func newTarget(c *config.Config, st *state.Files, root zerolog.Logger, stdout io.Writer, longRunning bool) (*watch.Target, error) {
	info, _ := publish.InfoOf(c.DNS)
	rate := info.Rate
	if rate == 0 {
		rate = publish.DefaultRate
	}
	client, err := httpclient.New(httpclient.Options{Proxy: c.Proxy, SSL: c.SSL, UserAgent: userAgent(), Rate: rate, Burst: c.Concurrency,
		Log: logging.Named(root, "http")})
	if err != nil {
		return nil, err
	}
	p, err := publish.New(c.DNS, publish.Settings{
		ID: c.ID, Token: c.Token, Endpoint: c.Endpoint,
		HTTP: client, Stdout: stdout, Now: time.Now,
		Log: logging.Named(root, c.DNS),
	})
	if err != nil {
		return nil, err
	}
	t := &watch.Target{
		Label: c.Label, Provider: c.DNS, Publisher: p, HTTP: client, Readable: info.Readable, Concurrency: c.Concurrency,
		Log:      logging.Named(root, "ddns"),
		Families: []watch.Family{{Rules: c.Index4, Domains: c.IPv4}, {Rules: c.Index6, Domains: c.IPv6}},
		TTL:      c.TTL, Line: c.Line, Extra: c.Extra,
		Fingerprint: c.Fingerprint(),
	}
	switch {
	case c.Cache:
		t.State = st.Open(c.CachePath, c.CacheMaxAge, logging.Named(root, "Cache"), c.DNS, c.ID, c.Token, c.Endpoint)
	case longRunning:
		t.State = st.Memory(c.DNS, c.ID, c.Token, c.Endpoint)
	default:
		log := logging.Named(root, "ddns")
		log.Debug().Msg("Cache is disabled!")
	}
	return t, nil
}

func userAgent() string {
	ver, _ := buildinfo.Of(version, buildDate)
	return buildinfo.UserAgent(ver)
}

// pyList renders paths like the original's Python list repr: ['a', 'b'].
func pyList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = "'" + s + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
