package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/watch"
)

// Input is everything Load reads. Zero fields take the process's values.
type Input struct {
	Args     []string // without the program name
	Environ  []string
	Dir      string   // working directory for discovery and templates
	Home     string   // the user's home directory
	Commands []string // subcommands this binary accepts
	Fetch    func(url string) ([]byte, error)
	// Lookup, when set, makes Load give the url:, doh: and public rules
	// the HTTP client of each configuration's ssl (a CA bundle that cannot
	// be read is then an error of the configuration). nil, when a
	// configuration is only checked: resolve's default client.
	Lookup *Lookup
}

// Lookup is what the program gives the rules that look addresses up over
// HTTP.
type Lookup struct {
	UserAgent string
	// Warn receives the warning of public sources that disagree (see
	// resolve.Options.Warn); nil: the details go into the rule's error.
	Warn func(msg string)
	// Lister lists interfaces and addresses for the local rules (see
	// resolve.Options.Lister); nil: platform.List.
	Lister resolve.Lister
}

// Plan is the outcome of reading the command line, the files and the
// environment: what to do and with which configurations.
type Plan struct {
	Command  string // "" for the one-shot run, else the subcommand
	Help     bool
	Version  bool
	Debug    bool
	Files    []string  // configuration files in use, in order
	Configs  []*Config // one per file or v4.1 entry
	Log      Log
	Observe  Observe  // status endpoint, notifications, heartbeats
	Warnings []string // non-fatal findings, to log once logging is set up
	StateDir string   // where state files live when a configuration names none
	// Interval is the reactor's poll period; 0 = not configured (without
	// `watch`, the one-shot run).
	Interval time.Duration
	Debounce time.Duration // the reactor's quiet period (default watch.DefaultDebounce; 0 = none)

	// NewConfig is set for --new-config: where to write the template.
	NewConfig     string
	NewConfigBare bool // no FILE given: refuse to touch an existing file
	// Template holds the template to write when --new-config is given or
	// nothing at all is configured.
	Template []byte
	// Generated is true when nothing was configured and the template must
	// be written to NewConfig as a first-run aid.
	Generated bool
}

// discovery lists where a configuration file is looked for, in order.
func discovery(dir, home string) []string {
	return []string{
		filepath.Join(dir, "config.json"),
		filepath.Join(home, ".ddns", "config.json"),
		filepath.Join(home, ".ddns.json"),
		"/etc/ddns/config.json",
		"/etc/ddns.json",
	}
}

// Load reads and validates the configuration. A returned *Error or
// *UsageError carries the exit code.
func Load(in Input) (*Plan, error) {
	in = withDefaults(in)
	args, err := parseArgs(in.Args, in.Commands)
	if err != nil {
		return nil, err
	}
	p := &Plan{Command: args.command, StateDir: stateDir(in.Environ)}
	if _, ok := args.set["help"]; ok {
		p.Help = true
		return p, nil
	}
	if _, ok := args.set["version"]; ok {
		p.Version = true
		return p, nil
	}
	for _, s := range args.stray {
		p.Warnings = append(p.Warnings, "Unknown argument: "+clip(s, maxValue))
	}
	_, p.Debug = args.set["debug"]
	cli := cliLayer(args)
	env := readEnv(in.Environ)
	p.Warnings = append(p.Warnings, env.warnings...)

	if nc, ok := args.set["new_config"]; ok {
		return p, p.newConfig(nc, args, cli, in.Dir)
	}

	if in.Fetch == nil {
		in.Fetch = remoteFetcher(cli, env)
	}
	paths, explicit := configPaths(args, env, in)
	parse := parseFile
	if cv, ok := args.set["uci"]; ok {
		if paths, parse, explicit = cv.val.([]string), uciFile, true; len(paths) == 0 {
			return nil, &UsageError{"argument --uci: expected at least one argument"}
		}
		if _, both := args.set["config"]; both {
			return nil, &UsageError{"argument --uci: not allowed with argument -c/--config"}
		}
	}
	var files []fileConfig
	for _, path := range paths {
		data, err := readSource(path, in.Dir, in.Fetch)
		if err != nil {
			return nil, err
		}
		// Named without a remote file's password from here on: labels and
		// messages are logged.
		shown := redactURL(path)
		fcs, err := parse(shown, data)
		if err != nil {
			return nil, err
		}
		files = append(files, fcs...)
		p.Files = append(p.Files, shown)
		for _, fc := range fcs {
			p.Warnings = append(p.Warnings, fc.warnings...)
		}
	}

	configured := len(args.order) > 0 || len(args.extra) > 0 || env.mapped
	if !configured && (len(files) == 0 || emptyFile(files)) {
		return p, p.firstRun(paths, explicit, in.Dir)
	}
	if len(files) == 0 {
		files = []fileConfig{{vals: map[string]raw{}}}
	}

	var rootFile *Object
	if len(files) > 0 {
		rootFile = files[0].root
	}
	if p.Log, err = logSetup(cli, rootFile, files[0].source, env, p.Debug); err != nil {
		return nil, err
	}
	p.Interval, err = readInterval(cli, files, len(p.Files))
	if err != nil {
		return nil, err
	}
	p.Debounce, err = readDebounce(cli, files)
	if err != nil {
		return nil, err
	}
	if p.Observe, err = readObserve(args, files, env); err != nil {
		return nil, err
	}
	publics := newLookups(in)
	for i, fc := range files {
		c, err := build(layers{cli: cli, file: fc.vals, env: env.vals}, mergeExtra(env.extra, fc.extra, args.extra), p.Debug, args, publics)
		if err != nil {
			return nil, err
		}
		c.Source, c.Label = fc.source, fc.label
		if c.Label == "" {
			c.Label = "command line"
		}
		if c.DNS == "" && p.Debug && len(p.Files) == 0 {
			c.DNS = "debug"
		}
		if c.DNS == "" {
			return nil, &Error{Where: fc.source, Msg: fmt.Sprintf("No DNS provider specified in config %d! Please set `dns` in config or use `--dns` CLI option.", i+1), Code: 2}
		}
		p.Configs = append(p.Configs, c)
	}
	p.Warnings = append(p.Warnings, unverifiedWarning(p.Configs)...)
	return p, nil
}

func withDefaults(in Input) Input {
	if in.Environ == nil {
		in.Environ = os.Environ()
	}
	if in.Dir == "" {
		in.Dir, _ = os.Getwd()
	}
	if in.Home == "" {
		in.Home, _ = os.UserHomeDir()
	}
	return in
}

// cliLayer turns parsed options into the highest-precedence layer.
func cliLayer(a *cliArgs) map[string]raw {
	m := map[string]raw{}
	for dest, cv := range a.set {
		if !isKnownKey(dest) && dest != "interval" && dest != "debounce" {
			continue
		}
		m[dest] = raw{v: cv.val, where: "command line", key: cv.flag, cli: true, secret: isSecretKey(dest)}
	}
	return m
}

// configPaths picks the files: -c with values, else DDNS_CONFIG (unless a
// bare -c was given), else the first file discovery finds.
func configPaths(a *cliArgs, env envSource, in Input) (paths []string, explicit bool) {
	if cv, ok := a.set["config"]; ok {
		if l := cv.val.([]string); len(l) > 0 {
			return l, true
		}
	} else if env.config != nil {
		if l, err := asList(*env.config, true); err == nil && len(l) > 0 {
			return l, true
		}
	}
	for _, p := range discovery(in.Dir, in.Home) {
		if _, err := os.Stat(p); err == nil {
			return []string{p}, false
		}
	}
	return nil, false
}

func emptyFile(files []fileConfig) bool {
	return len(files) == 1 && len(files[0].vals) == 0 && len(files[0].extra) == 0
}

// firstRun handles a run with nothing configured at all: write a template
// where none exists, never overwrite a file (the original did, B11).
func (p *Plan) firstRun(paths []string, explicit bool, dir string) error {
	if len(paths) > 0 {
		return &Error{Where: paths[0], Msg: "nothing is configured in this file: set at least \"dns\" and the domains (see `ddns --help`, or `ddns --new-config other.json` for a template)", Code: 2}
	}
	p.NewConfig = filepath.Join(dir, "config.json")
	p.Generated = true
	p.Template = template(nil)
	return nil
}

// newConfig prepares --new-config: the template filled with every value
// of the command line (the original captured only the options before it).
func (p *Plan) newConfig(nc cliValue, a *cliArgs, cli map[string]raw, dir string) error {
	target, _ := nc.val.(string)
	if target == "" || strings.EqualFold(target, "true") {
		p.NewConfigBare = true
		target = "config.json"
		if cv, ok := a.set["config"]; ok {
			if l := cv.val.([]string); len(l) > 0 {
				target = l[0]
			}
		}
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(dir, target)
	}
	p.NewConfig = target
	var err error
	p.Template, err = templateFromCLI(cli, a.extra)
	return err
}

// mergeExtra assembles extras, lowest precedence first: environment, file,
// command line; later sources override key by key.
func mergeExtra(env, file, cli []cliExtra) []cliExtra {
	out := append(append(append([]cliExtra{}, env...), file...), cli...)
	return out
}

// logSetup decides logging for the whole run: command line, then the root
// of the first file, then the environment (the original let the first v4.1
// entry decide, B14). --debug forces DEBUG.
func logSetup(cli map[string]raw, root *Object, source string, env envSource, debug bool) (Log, error) {
	fileVals := map[string]raw{}
	if root != nil {
		fileVals = flatten(source, source, "", root).vals
	}
	l := layers{cli: cli, file: fileVals, env: env.vals}
	lg := Log{Level: "INFO", Datefmt: DefaultDatefmt}
	if r, ok := l.pick("log_level"); ok && r.v != nil {
		n, err := levelName(r)
		if err != nil {
			return lg, err
		}
		lg.Level = n
	}
	if debug {
		lg.Level = "DEBUG"
	}
	for key, dst := range map[string]*string{"log_file": &lg.File, "log_format": &lg.Format, "log_datefmt": &lg.Datefmt} {
		if r, ok := l.pick(key); ok && r.v != nil {
			s, err := asString(r)
			if err != nil {
				return lg, err
			}
			if key == "log_format" {
				if err := checkLogFormat(r, s); err != nil {
					return lg, err
				}
			}
			if s != "" || key != "log_datefmt" {
				*dst = s
			}
		}
	}
	return lg, nil
}

// readInterval returns the reactor's poll period: --interval, else the
// root "interval" of a single configuration file.
func readInterval(cli map[string]raw, files []fileConfig, nfiles int) (time.Duration, error) {
	r, ok := cli["interval"]
	if !ok && nfiles == 1 && files[0].root != nil {
		if v, has := files[0].root.Get("interval"); has {
			r, ok = raw{v: v, where: files[0].source, key: "interval"}, true
		}
	}
	if !ok || r.v == nil {
		return 0, nil
	}
	n, isInt := asInt(r.v)
	if _, isNum := r.v.(Number); !isInt || (!isNum && !r.cli) || n < 1 || n > 1440 {
		return 0, r.fail("interval must be an integer between 1 and 1440 (minutes)")
	}
	return time.Duration(n) * time.Minute, nil
}

// readDebounce returns the reactor's quiet period: --debounce, else the
// root "debounce" of the first file, in seconds (0.5) or as a duration
// ("500ms").
func readDebounce(cli map[string]raw, files []fileConfig) (time.Duration, error) {
	r, ok := cli["debounce"]
	if !ok && files[0].root != nil {
		if v, has := files[0].root.Get("debounce"); has {
			r, ok = raw{v: v, where: files[0].source, key: "debounce"}, true
		}
	}
	if !ok || r.v == nil {
		return watch.DefaultDebounce, nil
	}
	var d time.Duration
	switch x := r.v.(type) {
	case Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return 0, r.fail("debounce must be seconds (0.5) or a duration (500ms)")
		}
		d = time.Duration(f * float64(time.Second))
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			d = time.Duration(f * float64(time.Second))
		} else if d, err = time.ParseDuration(x); err != nil {
			return 0, r.fail("debounce must be seconds (0.5) or a duration (500ms)")
		}
	default:
		return 0, r.fail("debounce must be seconds (0.5) or a duration (500ms)")
	}
	if d < 0 || d > time.Minute {
		return 0, r.fail("debounce must be between 0 and 60 seconds")
	}
	return d, nil
}

// maxConcurrency bounds parallel publishing: beyond it no API gets faster,
// only angrier.
const maxConcurrency = 64

// build normalises one configuration from its layers.
func build(l layers, extras []cliExtra, debug bool, args *cliArgs, publics *lookups) (*Config, error) {
	c := &Config{Cache: true, CacheMaxAge: DefaultCacheMaxAge, SSL: "auto", Concurrency: DefaultConcurrency}
	var err error
	str := func(key string, dst *string) {
		if r, ok := l.pick(key); ok && err == nil {
			*dst, err = asString(r)
		}
	}
	if r, ok := l.pick("id"); ok {
		c.ID, err = asStringOrNumber(r)
	}
	str("endpoint", &c.Endpoint)
	str("line", &c.Line)
	if err != nil {
		return nil, err
	}
	if c.Token, err = token(l); err != nil {
		return nil, err
	}
	if c.DNS, err = provider(l); err != nil {
		return nil, err
	}
	if c.IPv4, err = domains(l, "ipv4"); err != nil {
		return nil, err
	}
	if c.IPv6, err = domains(l, "ipv6"); err != nil {
		return nil, err
	}
	if r, ok := l.pick("ssl"); ok && r.v != nil {
		b, s, isBool, err := boolOrText(r, "true, false, auto or the path of a CA file")
		if err != nil {
			return nil, err
		}
		switch {
		case isBool:
			c.SSL = fmt.Sprint(b)
		case s == "auto" || strings.EqualFold(s, "auto"):
			c.SSL = "auto"
		case s != "":
			c.SSL = s
		default:
			return nil, r.fail("must be true, false, auto or the path of a CA bundle")
		}
	}
	opts, err := publics.options(l, c.SSL)
	if err != nil {
		return nil, err
	}
	if c.Index4, err = rules(l, "index4", resolve.V4, opts); err != nil {
		return nil, err
	}
	if c.Index6, err = rules(l, "index6", resolve.V6, opts); err != nil {
		return nil, err
	}
	if r, ok := l.pick("proxy"); ok {
		if c.Proxy, err = asList(r, false); err != nil {
			return nil, err
		}
	}
	if c.TTL, err = ttl(l); err != nil {
		return nil, err
	}
	if r, ok := l.pick("concurrency"); ok && r.v != nil {
		n, isInt := asInt(unwrap(r))
		if !isInt || n < 1 || n > maxConcurrency {
			return nil, r.fail("concurrency must be an integer from 1 to %d", maxConcurrency)
		}
		c.Concurrency = n
	}
	if err = cache(l, c, debug, args); err != nil {
		return nil, err
	}
	if c.Extra, err = extra(extras); err != nil {
		return nil, err
	}
	return c, nil
}

func token(l layers) (string, error) {
	r, ok := l.pick("token")
	if !ok {
		return "", nil
	}
	if o, isObj := r.v.(*Object); isObj {
		return EncodeJSON(o), nil
	}
	return asStringOrNumber(r)
}

func provider(l layers) (string, error) {
	r, ok := l.pick("dns")
	if !ok {
		return "", nil
	}
	s, err := asString(r)
	if err != nil || s == "" {
		return "", err
	}
	if r.cli && !contains(publish.Names(), s) {
		return "", &UsageError{fmt.Sprintf("argument --dns: invalid choice: '%s' (choose from %s)", s, quoteList(publish.Names()))}
	}
	name, known := publish.Canonical(s)
	if !known {
		return "", r.fail("unknown DNS provider %q (see `ddns providers`)", s)
	}
	return name, nil
}

func rules(l layers, key string, fam resolve.Family, opts resolve.Options) (resolve.Rules, error) {
	r, ok := l.pick(key)
	if !ok {
		return resolve.Parse(fam, []string{"default"})
	}
	v := unwrap(r)
	if isFalseSentinel(v) {
		return resolve.Parse(fam, []string{"false"})
	}
	if n, isNum := v.(Number); isNum {
		v = string(n)
	}
	list, err := asList(raw{v: v, where: r.where, key: r.key, secret: r.secret}, true)
	if err != nil {
		return resolve.Rules{}, err
	}
	rs, err := resolve.ParseWith(fam, list, opts)
	if err != nil {
		return resolve.Rules{}, r.fail("%v", err)
	}
	return rs, nil
}

func ttl(l layers) (int, error) {
	r, ok := l.pick("ttl")
	if !ok {
		return 0, nil
	}
	v := unwrap(r)
	if v == nil || isFalseSentinel(v) || v == "" {
		return 0, nil
	}
	n, isInt := asInt(v)
	if !isInt || n < 0 {
		if r.cli {
			return 0, &UsageError{fmt.Sprintf("argument --ttl: invalid int value: '%v'", v)}
		}
		return 0, r.fail("ttl must be a non-negative integer (seconds)")
	}
	return n, nil
}

// cache reads cache and cache_max_age. JSON null means the default (the
// original disabled the cache, B10); --debug disables it unless the
// command line asks for it.
func cache(l layers, c *Config, debug bool, args *cliArgs) error {
	if r, ok := l.pick("cache"); ok && r.v != nil {
		b, s, isBool, err := boolOrText(r, "true, false or the path of a state file")
		if err != nil {
			return err
		}
		switch {
		case isBool:
			c.Cache = b
		case s == "":
			c.Cache = false
		default:
			c.Cache, c.CachePath = true, s
		}
	}
	if _, onCLI := args.set["cache"]; debug && !onCLI {
		c.Cache = false
	}
	if r, ok := l.pick("cache_max_age"); ok && r.v != nil {
		n, isInt := asInt(unwrap(r))
		if !isInt || n < 0 {
			if r.cli {
				return &UsageError{"argument --cache-max-age/--cache_max_age: must be a non-negative integer"}
			}
			return r.fail("cache_max_age must be a non-negative integer")
		}
		c.CacheMaxAge = time.Duration(n) * time.Second
	}
	return nil
}

// extraValue hands a JSON value to providers in types the publish package
// encodes faithfully: numbers as json.Number, objects and arrays as their
// JSON text (json.RawMessage, order kept).
func extraValue(v any) any {
	switch x := v.(type) {
	case Number:
		return json.Number(x)
	case *Object:
		return json.RawMessage(EncodeJSON(x))
	case []any:
		var b bytes.Buffer
		encode(&b, x, "", "")
		return json.RawMessage(b.Bytes())
	}
	return v
}

// extra turns the explicit extras into provider parameters, rejecting
// names that collide with the record's own fields.
func extra(list []cliExtra) (publish.Extra, error) {
	var out publish.Extra
	for _, e := range list {
		if reservedExtra[e.key] {
			where := e.where
			if where == "" {
				where = "command line"
			}
			return nil, &Error{Where: where, Key: "extra." + e.key, Msg: "is a reserved name (set it with the key of its own, not as an extra)", Code: 2}
		}
		if e.val == nil {
			continue
		}
		out = out.Set(e.key, extraValue(e.val))
	}
	return out, nil
}
