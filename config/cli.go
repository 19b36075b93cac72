package config

import (
	"fmt"
	"regexp"
	"strings"
)

// kind says how an option takes values, mirroring the original's argparse
// declarations.
type kind int

const (
	single   kind = iota // exactly one value
	list                 // zero or more values, repeatable, accumulating
	optional             // zero or one value; bare means true
	flag                 // no value; stores true
	negation             // no value; stores false into dest
)

type option struct {
	names []string // long spellings first in help order; the first is shown
	dest  string   // configuration key (or a pseudo key such as "help")
	kind  kind
	meta  string
	help  string
}

// options is the command line of `ddns` and `ddns watch`: the original's
// flags, same spellings, plus the reactor's own.
var options = []option{
	{names: []string{"-h", "--help"}, dest: "help", kind: flag, help: "show this help and exit"},
	{names: []string{"-v", "--version"}, dest: "version", kind: flag, help: "show the version and exit"},
	{names: []string{"-c", "--config"}, dest: "config", kind: list, meta: "FILE", help: "configuration file(s), each run in turn (also DDNS_CONFIG)"},
	{names: []string{"--uci"}, dest: "uci", kind: list, meta: "FILE", help: "OpenWrt UCI file(s) instead of JSON: one configuration per `config ddns` section"},
	{names: []string{"--new-config"}, dest: "new_config", kind: optional, meta: "FILE", help: "write a configuration template (default config.json) and exit"},
	{names: []string{"--debug"}, dest: "debug", kind: flag, help: "debug logging, no cache; the debug provider when nothing else is configured"},
	{names: []string{"--dns"}, dest: "dns", kind: single, meta: "PROVIDER", help: "DNS provider (see `ddns providers`)"},
	{names: []string{"--id"}, dest: "id", kind: single, meta: "ID", help: "account id, e-mail or access key id"},
	{names: []string{"--token"}, dest: "token", kind: single, meta: "TOKEN", help: "API token or secret"},
	{names: []string{"--endpoint"}, dest: "endpoint", kind: single, meta: "URL", help: "API base URL override"},
	{names: []string{"--index4"}, dest: "index4", kind: list, meta: "RULE", help: "how to find the IPv4 address (default: default)"},
	{names: []string{"--index6"}, dest: "index6", kind: list, meta: "RULE", help: "how to find the IPv6 address (default: default)"},
	{names: []string{"--ipv4"}, dest: "ipv4", kind: list, meta: "DOMAIN", help: "domains that get A records"},
	{names: []string{"--ipv6"}, dest: "ipv6", kind: list, meta: "DOMAIN", help: "domains that get AAAA records"},
	{names: []string{"--ttl"}, dest: "ttl", kind: single, meta: "SECONDS", help: "record TTL"},
	{names: []string{"--line"}, dest: "line", kind: single, meta: "LINE", help: "ISP line / view (DNSPod, Alidns, …)"},
	{names: []string{"--proxy"}, dest: "proxy", kind: list, meta: "PROXY", help: "HTTP proxies tried in order (host:port, DIRECT, SYSTEM)"},
	{names: []string{"--cache"}, dest: "cache", kind: optional, meta: "BOOL|PATH", help: "state file: true, false or a path (default true)"},
	{names: []string{"--no-cache"}, dest: "cache", kind: negation, help: "do not use the state file"},
	{names: []string{"--cache-max-age", "--cache_max_age"}, dest: "cache_max_age", kind: single, meta: "SECONDS", help: "state file lifetime (default 259200)"},
	{names: []string{"--ssl"}, dest: "ssl", kind: optional, meta: "true|false|auto|PATH", help: "TLS verification (default auto)"},
	{names: []string{"--no-ssl"}, dest: "ssl", kind: negation, help: "disable TLS verification"},
	{names: []string{"--log_level", "--log.level", "--log-level"}, dest: "log_level", kind: single, meta: "LEVEL", help: "CRITICAL|ERROR|WARNING|INFO|DEBUG|NOTSET"},
	{names: []string{"--log_file", "--log.file", "--log-file"}, dest: "log_file", kind: single, meta: "FILE", help: "log to this file instead of stderr"},
	{names: []string{"--log_format", "--log.format", "--log-format"}, dest: "log_format", kind: single, meta: "FORMAT", help: "Python-style format (%(asctime)s %(message)s …) or json"},
	{names: []string{"--log_datefmt", "--log.datefmt", "--log-datefmt"}, dest: "log_datefmt", kind: single, meta: "FORMAT", help: "strftime format of %(asctime)s"},
	{names: []string{"--interval"}, dest: "interval", kind: single, meta: "MINUTES", help: "poll period of the reactor, 1-1440 (default 5)"},
	{names: []string{"--concurrency"}, dest: "concurrency", kind: single, meta: "N", help: "records published at once when several change (default 4)"},
	{names: []string{"--public-source"}, dest: "public_sources", kind: list, meta: "SOURCE", help: "public: a dns:, doh: or url: source (repeat; default: built-in set)"},
	{names: []string{"--public-agree"}, dest: "public_agree", kind: single, meta: "N", help: "public: matching answers needed (default 2)"},
	{names: []string{"--public-timeout"}, dest: "public_timeout", kind: single, meta: "SECONDS", help: "public: time budget per family (default 5)"},
	{names: []string{"--public-preset"}, dest: "public_preset", kind: single, meta: "NAME", help: "public: built-in source set: default or cn"},
	{names: []string{"--debounce"}, dest: "debounce", kind: single, meta: "SECONDS", help: "reactor: quiet period collapsing bursts of network events (default 0.5)"},
	{names: []string{"--status"}, dest: "status", kind: single, meta: "ADDR", help: "serve /status, /healthz, /metrics on 127.0.0.1:PORT or unix:/path (docs/observe.md)"},
	{names: []string{"--notify"}, dest: "notify", kind: list, meta: "URL", help: "notification URL (ntfy://, telegram://, generic+https://, …), repeatable"},
	{names: []string{"--heartbeat"}, dest: "heartbeat", kind: single, meta: "URL", help: "healthchecks.io or Uptime Kuma push URL"},
}

// cliValue is one option as given on the command line.
type cliValue struct {
	flag string // the spelling used, for messages
	val  any    // string, []string, bool (flag/negation/bare optional)
}

// cliArgs is a parsed command line.
type cliArgs struct {
	command string              // "" or the subcommand
	set     map[string]cliValue // by dest
	order   []string            // dests in first-seen order
	extra   []cliExtra          // --extra.<k> [v]
	stray   []string            // positional words after the options
}

type cliExtra struct {
	key   string
	val   any
	where string // the source, for messages: a file, "environment"; "" = command line
}

// UsageError is a command-line mistake: printed with a usage hint, exit 2.
type UsageError struct{ Msg string }

// Error renders the mistake on one bounded line, like every configuration
// error (see Error.Error).
func (e *UsageError) Error() string { return clipBytes("error: "+clip(e.Msg, maxLine), maxLine) }

var negNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// parseArgs parses argv (without the program name) with the original's
// argparse rules: unique-prefix abbreviations, --opt=value, list options
// that take values up to the next option, and a value starting with '-'
// only when it looks like a negative number. Unknown --options are errors,
// except --extra.<key>; stray words are returned for a warning.
func parseArgs(argv []string, commands []string) (*cliArgs, error) {
	a := &cliArgs{set: map[string]cliValue{}}
	if len(argv) > 0 && !strings.HasPrefix(argv[0], "-") {
		if !contains(commands, argv[0]) {
			return nil, &UsageError{fmt.Sprintf("argument command: invalid choice: '%s' (choose from %s)", argv[0], quoteList(commands))}
		}
		a.command, argv = argv[0], argv[1:]
	}
	for i := 0; i < len(argv); i++ {
		tok := argv[i]
		if tok == "--" {
			a.stray = append(a.stray, argv[i+1:]...)
			break
		}
		if !strings.HasPrefix(tok, "-") || tok == "-" || negNumber.MatchString(tok) {
			a.stray = append(a.stray, tok)
			continue
		}
		if strings.HasPrefix(tok, "--extra.") {
			i = a.addExtra(argv, i)
			continue
		}
		opt, spelled, inline, hasInline, err := lookupOption(tok)
		if err != nil {
			return nil, err
		}
		// takeValues returns the values following position i.
		next := func(max int) []string {
			var vs []string
			for j := i + 1; j < len(argv) && len(vs) < max; j++ {
				if strings.HasPrefix(argv[j], "-") && !negNumber.MatchString(argv[j]) {
					break
				}
				vs = append(vs, argv[j])
			}
			i += len(vs)
			return vs
		}
		switch opt.kind {
		case flag, negation:
			if hasInline {
				return nil, &UsageError{fmt.Sprintf("argument %s: ignored explicit argument '%s'", optNames(opt), inline)}
			}
			a.put(opt.dest, spelled, opt.kind == flag)
		case single:
			v := inline
			if !hasInline {
				vs := next(1)
				if len(vs) == 0 {
					return nil, &UsageError{fmt.Sprintf("argument %s: expected one argument", optNames(opt))}
				}
				v = vs[0]
			}
			a.put(opt.dest, spelled, v)
		case optional:
			if hasInline {
				a.put(opt.dest, spelled, inline)
			} else if vs := next(1); len(vs) == 1 {
				a.put(opt.dest, spelled, vs[0])
			} else {
				a.put(opt.dest, spelled, true)
			}
		case list:
			var vs []string
			if hasInline {
				vs = []string{inline}
			} else {
				vs = next(len(argv))
			}
			prev, _ := a.set[opt.dest].val.([]string)
			a.put(opt.dest, spelled, append(prev, vs...))
		}
	}
	return a, nil
}

func (a *cliArgs) put(dest, spelled string, v any) {
	if _, ok := a.set[dest]; !ok {
		a.order = append(a.order, dest)
	}
	a.set[dest] = cliValue{spelled, v}
}

// addExtra handles --extra.<key> [VALUE]: the value is the next token
// unless that starts with "--"; a bare flag means true.
func (a *cliArgs) addExtra(argv []string, i int) int {
	key := strings.TrimPrefix(argv[i], "--extra.")
	if i+1 < len(argv) && !strings.HasPrefix(argv[i+1], "--") {
		a.extra = append(a.extra, cliExtra{key, argv[i+1], ""})
		return i + 1
	}
	a.extra = append(a.extra, cliExtra{key, true, ""})
	return i
}

// lookupOption resolves a token to an option: exact spelling, or a unique
// prefix of the long spellings. It also splits "--opt=value" and "-cVALUE".
func lookupOption(tok string) (opt *option, spelled, inline string, hasInline bool, err error) {
	name := tok
	if strings.HasPrefix(tok, "--") {
		if k := strings.IndexByte(tok, '='); k >= 0 {
			name, inline, hasInline = tok[:k], tok[k+1:], true
		}
	} else if len(tok) > 2 {
		// Short option with attached value: -cFILE or -c=FILE.
		name, inline, hasInline = tok[:2], strings.TrimPrefix(tok[2:], "="), true
	}
	for i := range options {
		if contains(options[i].names, name) {
			return &options[i], name, inline, hasInline, nil
		}
	}
	if !strings.HasPrefix(name, "--") {
		return nil, "", "", false, &UsageError{"unrecognized arguments: " + name}
	}
	var matches []string
	var found *option
	for i := range options {
		for _, n := range options[i].names {
			if strings.HasPrefix(n, name) {
				matches = append(matches, n)
				if found != nil && found != &options[i] {
					return nil, "", "", false, &UsageError{fmt.Sprintf("ambiguous option: %s could match %s", name, strings.Join(matches, ", "))}
				}
				found = &options[i]
			}
		}
	}
	if found == nil {
		// The name only: an inline value may be a secret given to a
		// misspelt flag (--tokn=…).
		return nil, "", "", false, &UsageError{"unrecognized arguments: " + name + suggestFlag(name)}
	}
	return found, name, inline, hasInline, nil
}

func optNames(o *option) string { return strings.Join(o.names, "/") }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, ", ")
}

// Usage returns the help text.
func Usage(prog string, commands []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s [%s] [options]\n\n", prog, strings.Join(commands, "|"))
	b.WriteString("Keeps DNS A/AAAA records pointed at this machine's addresses.\n\n")
	b.WriteString("commands:\n")
	b.WriteString("  (none)          resolve every rule once, publish what changed, exit\n")
	for _, c := range commands {
		if d, ok := commandHelp[c]; ok {
			fmt.Fprintf(&b, "  %-15s %s\n", c, d)
		}
	}
	b.WriteString("\n")
	writeOptions(&b)
	return b.String()
}

// CommandUsage is the help of one subcommand that takes the configuration
// options (`ddns watch -h`): what it does, then the options.
func CommandUsage(prog, about string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s [options]\n\n%s\n\n", prog, strings.TrimSpace(about))
	writeOptions(&b)
	return b.String()
}

func writeOptions(b *strings.Builder) {
	b.WriteString("options:\n")
	for _, o := range options {
		names := o.names[0]
		if len(o.names) > 1 && strings.HasPrefix(o.names[0], "-") && !strings.HasPrefix(o.names[0], "--") {
			names += ", " + o.names[1]
		}
		switch o.kind {
		case single:
			names += " " + o.meta
		case list:
			names += " " + o.meta + " ..."
		case optional:
			names += " [" + o.meta + "]"
		}
		fmt.Fprintf(b, "  %-34s %s\n", names, o.help)
	}
	fmt.Fprintf(b, "  %-34s %s\n", "--extra.KEY [VALUE]", "extra provider parameter (e.g. --extra.proxied true)")
	b.WriteString("\nEvery option can also be set in a JSON config file or as DDNS_<OPTION> in the environment;\n")
	b.WriteString("the command line wins over the file, the file over the environment.\n")
}

// commandHelp describes the subcommands this build has.
var commandHelp = map[string]string{
	"watch":          "stay running and republish as soon as an address changes",
	"task":           "install, remove or inspect the background service",
	"providers":      "list the DNS providers and what id/token mean for each",
	"import-openwrt": "convert ddns-scripts' /etc/config/ddns into this agent's UCI file",
	"status":         "show a running agent's records and health (needs \"status\"; --json)",
	"notify":         "notify --test: send a test message to every notification URL",
}
