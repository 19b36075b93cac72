package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Exit codes of Task.Run.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// Task is `ddns task` on a machine: install, remove, enable, disable or
// show the service that runs the reactor (`ddns watch -c FILE`). Tests
// fake the machine.
type Task struct {
	Host    Host
	Environ []string
	Exe     func() (string, error) // path of the running binary
	// UID and GID are the user a cron entry runs as: this process's.
	UID, GID int
	// ServiceUID and ServiceGID are the user services run as: root.
	ServiceUID, ServiceGID int
	// Load reads the configuration file at path (on the machine, see
	// Host.Path) as the service would: on its own, without DDNS_*
	// variables or other flags.
	Load func(path string) (Loaded, error)
}

// Loaded is what install needs to know of a configuration file.
type Loaded struct {
	Secrets bool     // it holds a token or a proxy password
	Reactor bool     // `ddns -c FILE` runs the reactor (the file sets "interval")
	LogFile string   // log.file, written by the service
	Caches  []string // state files it names, written by the service
}

// SystemTask is Task on this machine.
func SystemTask(environ []string, load func(path string) (Loaded, error)) Task {
	return Task{Host: System(), Environ: environ, Exe: os.Executable, UID: os.Geteuid(), GID: os.Getegid(), Load: load}
}

// taskRequest is a parsed `ddns task` command line.
type taskRequest struct {
	op          string // install, uninstall, status, enable or disable
	scheduler   string
	configs     []string
	interval    int
	intervalSet bool
	dryRun      bool
	noHotplug   bool
	help        bool
}

// taskOps are the operations, in the order the original picks the first
// one asked for.
var taskOps = []string{"install", "uninstall", "enable", "disable", "status"}

const taskUsageLine = "usage: ddns task [install|uninstall|status|enable|disable] [-c FILE] [--scheduler NAME] [--dry-run]"

const taskHelp = taskUsageLine + `

Runs ddns as a service: the reactor (ddns watch -c FILE) under systemd,
OpenWrt procd, launchd or the Windows service manager; or, without any, a
cron entry running the one-shot command every few minutes.

  install      write the service definition, enable and (re)start it
  uninstall    stop it and remove everything install wrote
  status       show whether it is installed, enabled and running (default)
  enable       start it now and at boot
  disable      stop it and keep it from starting at boot

  -c, --config FILE        configuration file the service reads (default
                           /etc/ddns/config.json; %ProgramData%\ddns\config.json
                           on Windows); repeat for several
  --scheduler NAME         auto (default), systemd, procd, launchd, windows
                           (also: schtasks) or cron
  --dry-run                print what would be written and run; change nothing
  --no-hotplug             procd: skip the hook that syncs when an interface
                           comes up
  -i, --install [MINUTES]  the original's spelling of install; MINUTES is the
                           cron interval (1-1440, default 5)
  --uninstall, --status, --enable, --disable
                           the original's spellings of the verbs
  -h, --help               show this help

Settings such as --dns or --token are not accepted here: they belong in the
configuration file, the only thing the service is given, so that no secret
ever lands in a unit file, script, plist, crontab or command line.
`

// taskFlag is an option of `ddns task`.
type taskFlag struct {
	long, short string
	arg         int // taskNoArg, taskNeedsArg or taskOptionalInt
	set         func(r *taskRequest, v string) error
}

const (
	taskNoArg = iota
	taskNeedsArg
	taskOptionalInt // --install [MINUTES]
)

var taskFlags = []taskFlag{
	{"--config", "-c", taskNeedsArg, func(r *taskRequest, v string) error { r.configs = append(r.configs, v); return nil }},
	{"--scheduler", "", taskNeedsArg, taskSetScheduler},
	{"--dry-run", "", taskNoArg, func(r *taskRequest, _ string) error { r.dryRun = true; return nil }},
	{"--no-hotplug", "", taskNoArg, func(r *taskRequest, _ string) error { r.noHotplug = true; return nil }},
	{"--install", "-i", taskOptionalInt, taskSetInstall},
	{"--uninstall", "", taskNoArg, taskAddOp("uninstall")},
	{"--status", "", taskNoArg, taskAddOp("status")},
	{"--enable", "", taskNoArg, taskAddOp("enable")},
	{"--disable", "", taskNoArg, taskAddOp("disable")},
	{"--help", "-h", taskNoArg, func(r *taskRequest, _ string) error { r.help = true; return nil }},
	// Accepted so the original's command lines keep working; logging of
	// the task itself has nothing more to say.
	{"--debug", "", taskNoArg, func(*taskRequest, string) error { return nil }},
}

func taskAddOp(op string) func(*taskRequest, string) error {
	return func(r *taskRequest, _ string) error {
		r.addOp(op)
		return nil
	}
}

// addOp records an operation; the first in taskOps order wins.
func (r *taskRequest) addOp(op string) {
	for _, o := range taskOps {
		if o == r.op || o == op {
			r.op = o
			return
		}
	}
}

func taskSetScheduler(r *taskRequest, v string) error {
	if v == "schtasks" { // the original's Windows backend
		v = Windows
	}
	for _, n := range Names {
		if v == n {
			r.scheduler = v
			return nil
		}
	}
	return fmt.Errorf("--scheduler %q: choose from %s (or schtasks)", v, strings.Join(Names, ", "))
}

// taskMaxInterval is a day: the longest interval the original documents.
const taskMaxInterval = 1440

func taskSetInstall(r *taskRequest, v string) error {
	r.addOp("install")
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > taskMaxInterval {
		return fmt.Errorf("--install %s: the interval must be a whole number of minutes from 1 to %d", v, taskMaxInterval)
	}
	r.interval, r.intervalSet = n, true
	return nil
}

// parseTask reads the words after `task`. Long options may be shortened
// to any unambiguous prefix, as the original's parser allows.
func parseTask(args []string) (taskRequest, error) {
	r := taskRequest{scheduler: Auto}
	verbs := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			if !isTaskOp(a) {
				return r, fmt.Errorf("unexpected argument %q (expected one of %s)", a, strings.Join(taskOps, ", "))
			}
			if verbs++; verbs > 1 {
				return r, fmt.Errorf("unexpected argument %q: give one operation", a)
			}
			r.addOp(a)
			continue
		}
		f, val, hasVal, err := lookupTaskFlag(a)
		if err != nil {
			return r, err
		}
		switch {
		case f.arg == taskNoArg && hasVal:
			return r, fmt.Errorf("%s takes no value", f.long)
		case f.arg == taskNeedsArg && !hasVal:
			if i+1 >= len(args) {
				return r, fmt.Errorf("%s needs a value", f.long)
			}
			i++
			val = args[i]
		case f.arg == taskOptionalInt && !hasVal && i+1 < len(args) && isTaskInteger(args[i+1]):
			i++
			val = args[i]
		}
		if err := f.set(&r, val); err != nil {
			return r, err
		}
	}
	if r.op == "" {
		r.op = "status" // never install unasked (the original did: B20)
	}
	return r, nil
}

// lookupTaskFlag finds the option a spells, with its attached value
// (--name=value, -cVALUE, -i10).
func lookupTaskFlag(a string) (f taskFlag, val string, hasVal bool, err error) {
	if !strings.HasPrefix(a, "--") {
		for _, f := range taskFlags {
			if f.short != "" && strings.HasPrefix(a, f.short) {
				val = a[len(f.short):]
				return f, val, val != "", nil
			}
		}
		return f, "", false, unknownTaskOption(a[:2])
	}
	name, val, hasVal := strings.Cut(a, "=")
	var matches []taskFlag
	for _, f := range taskFlags {
		if f.long == name {
			return f, val, hasVal, nil
		}
		if strings.HasPrefix(f.long, name) && len(name) > 2 {
			matches = append(matches, f)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], val, hasVal, nil
	case 0:
		return f, "", false, unknownTaskOption(name)
	}
	var names []string
	for _, m := range matches {
		names = append(names, m.long)
	}
	return f, "", false, fmt.Errorf("ambiguous option %s (could be %s)", name, strings.Join(names, ", "))
}

// unknownTaskOption names only the option, never its value: it may be a
// token.
func unknownTaskOption(name string) error {
	return fmt.Errorf("unrecognized option %s: settings such as --dns, --token or --ipv4 belong in the "+
		"configuration file (-c FILE), the only thing the service is given, so no secret lands in what is installed", name)
}

func isTaskOp(s string) bool {
	for _, o := range taskOps {
		if s == o {
			return true
		}
	}
	return false
}

func isTaskInteger(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// Run runs the words after `ddns task`. It accepts the original's flags
// (--install [MINUTES], --uninstall, --status, --enable, --disable,
// --scheduler) as well as verbs, and returns the exit status: 0 done, 1
// failed (nothing left behind), 2 usage error.
func (env Task) Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	req, err := parseTask(args)
	if err != nil {
		fmt.Fprintf(stderr, "%s\nddns task: %v\n", taskUsageLine, err)
		return exitUsage
	}
	if req.help {
		fmt.Fprint(stdout, taskHelp)
		return exitOK
	}
	// A scheduler of another operating system cannot even be rendered;
	// one that is not running here would fail half-way: say so first.
	var unavailable *UnavailableError
	if err := Available(req.scheduler, env.Host); errors.As(err, &unavailable) {
		if unavailable.WrongOS {
			fmt.Fprintf(stderr, "ddns task: %v\n", err)
			return exitUsage
		}
		if req.op != "status" && !req.dryRun {
			fmt.Fprintf(stderr, "ddns task: %v\n", err)
			fmt.Fprintf(stdout, "Failed to %s DDNS task\n", req.op)
			return exitFailed
		}
	}
	sched, err := New(req.scheduler, env.Host)
	if err != nil {
		fmt.Fprintf(stderr, "ddns task: %v\n", err)
		return exitUsage
	}
	if unavailable != nil && req.dryRun {
		// The plan is shown as it would be; the warning follows it.
		code := taskMainOn(ctx, req, sched, env, stdout, stderr)
		fmt.Fprintf(stderr, "ddns task: warning: %v\n", unavailable)
		return max(code, exitFailed)
	}
	return taskMainOn(ctx, req, sched, env, stdout, stderr)
}

// taskMainOn runs the request with the chosen scheduler.
func taskMainOn(ctx context.Context, req taskRequest, sched Scheduler, env Task, stdout, stderr io.Writer) int {
	switch req.op {
	case "status":
		return taskStatus(ctx, sched, stdout, stderr)
	case "install":
		return taskInstall(ctx, req, sched, env, stdout, stderr)
	}
	return taskChange(ctx, req, sched, stdout, stderr)
}

func taskStatus(ctx context.Context, sched Scheduler, stdout, stderr io.Writer) int {
	st, err := sched.Status(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "ddns task: %s: %v\n", sched.Name(), err)
		return exitFailed
	}
	fmt.Fprintln(stdout, "DDNS Task Status:")
	fmt.Fprintf(stdout, "  Installed: %s\n", taskYesNo(st.Installed))
	fmt.Fprintf(stdout, "  Scheduler: %s\n", st.Scheduler)
	if !st.Installed {
		return exitOK
	}
	fmt.Fprintf(stdout, "  Enabled: %s\n", taskBool(st.Enabled))
	if st.Running != RunningUnknown {
		fmt.Fprintf(stdout, "  Running: %s\n", taskBool(st.Running == RunningYes))
	}
	if st.Interval > 0 {
		fmt.Fprintf(stdout, "  Interval: %d minutes\n", st.Interval)
	}
	fmt.Fprintf(stdout, "  Command: %s\n", st.Command)
	if len(st.Files) > 0 {
		fmt.Fprintf(stdout, "  Files: %s\n", strings.Join(st.Files, ", "))
	}
	return exitOK
}

func taskYesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// taskBool spells a boolean as the original's status does.
func taskBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func taskInstall(ctx context.Context, req taskRequest, sched Scheduler, env Task, stdout, stderr io.Writer) int {
	spec, code := taskSpec(req, sched.Name(), env, stdout, stderr)
	if code != exitOK {
		return code
	}
	plan, err := sched.Install(spec)
	if err != nil {
		fmt.Fprintf(stderr, "ddns task: %v\n", err)
		fmt.Fprintln(stdout, "Failed to install DDNS task")
		return exitFailed
	}
	if problems := plan.Problems(); len(problems) > 0 {
		// A dry run shows what would be written, then why the real
		// install would refuse; a real install refuses before writing.
		if req.dryRun {
			applyTaskPlan(ctx, plan, "install", sched.Name(), true, stdout, stderr)
		}
		for _, p := range problems {
			if req.dryRun {
				fmt.Fprintf(stderr, "ddns task: warning: %s\n", p)
			} else {
				fmt.Fprintf(stderr, "ddns task: %s\n", p)
			}
		}
		if !req.dryRun {
			fmt.Fprintln(stdout, "Failed to install DDNS task")
		}
		return exitFailed
	}
	if code := applyTaskPlan(ctx, plan, "install", sched.Name(), req.dryRun, stdout, stderr); code != exitOK {
		return code
	}
	if req.dryRun {
		return exitOK
	}
	if sched.Name() == Cron {
		fmt.Fprintf(stdout, "DDNS task installed successfully with %d minute interval\n", spec.Interval)
	} else {
		fmt.Fprintln(stdout, "DDNS task installed successfully")
	}
	for _, h := range Hints(sched.Name(), spec) {
		fmt.Fprintln(stdout, "  "+h)
	}
	return exitOK
}

// taskSpec works out what to install and checks that the service will be
// able to use it, or returns the exit code of why not.
func taskSpec(req taskRequest, scheduler string, env Task, stdout, stderr io.Writer) (Spec, int) {
	fail := func(code int, format string, a ...any) (Spec, int) {
		fmt.Fprintf(stderr, "ddns task: "+format+"\n", a...)
		if code == exitFailed {
			fmt.Fprintln(stdout, "Failed to install DDNS task")
		}
		return Spec{}, code
	}
	spec := Spec{Interval: DefaultInterval, Hotplug: !req.noHotplug}
	if req.intervalSet {
		spec.Interval = req.interval
	}
	if scheduler == Cron {
		if _, err := CronSchedule(spec.Interval); err != nil {
			return fail(exitUsage, "%v", err)
		}
	} else if req.intervalSet {
		fmt.Fprintf(stdout, "note: the %s service reacts to address changes as they happen; the interval (%d minutes) only applies to cron\n", scheduler, spec.Interval)
	}
	exe, err := env.Exe()
	if err != nil {
		return fail(exitFailed, "cannot find the path of this program: %v", err)
	}
	if strings.Contains(exe, "go-build") {
		return fail(exitFailed, "%s is a temporary build (go run); build ddns, put it where it will stay (e.g. /usr/local/bin) and run task install from there", exe)
	}
	spec.Exe = exe
	configs := req.configs
	if len(configs) == 0 {
		configs = []string{defaultServiceConfig(env)}
	}
	for _, c := range configs {
		if strings.Contains(c, "://") {
			return fail(exitFailed, "%s: the service needs a local configuration file", c)
		}
		abs, err := taskAbsPath(c)
		if err != nil {
			return fail(exitFailed, "%s: %v", c, err)
		}
		loaded, err := checkServiceConfig(abs, scheduler, env, stdout)
		if err != nil {
			return fail(exitFailed, "%v", err)
		}
		spec.Configs = append(spec.Configs, abs)
		spec.Writes = append(spec.Writes, serviceWrites(abs, loaded)...)
	}
	return spec, exitOK
}

// defaultServiceConfig is where a service's configuration lives unless
// -c says otherwise.
func defaultServiceConfig(env Task) string {
	if env.Host.GOOS != "windows" {
		return "/etc/ddns/config.json"
	}
	dir := `C:\ProgramData`
	for _, kv := range env.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.EqualFold(k, "ProgramData") && v != "" {
			dir = v
		}
	}
	return strings.TrimRight(dir, `\`) + `\ddns\config.json`
}

// taskAbsPath makes p absolute; a Windows drive or UNC path already is.
func taskAbsPath(p string) (string, error) {
	if filepath.IsAbs(p) || strings.HasPrefix(p, `\\`) || len(p) > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') {
		return p, nil
	}
	return filepath.Abs(p)
}

// checkServiceConfig checks that the configuration at path loads on its
// own (the service gets no DDNS_* variables and no other flag), that the
// service's user can read it and that nobody else can read its secrets.
func checkServiceConfig(path, scheduler string, env Task, stdout io.Writer) (Loaded, error) {
	uid, gid := env.ServiceUID, env.ServiceGID
	if scheduler == Cron {
		uid, gid = env.UID, env.GID
	}
	check := func(secrets bool) error {
		if scheduler == Windows { // LocalSystem reads anything; ACLs are not modes
			if _, err := os.Stat(env.Host.Path(path)); err != nil {
				return env.Host.CheckConfigFile(path, false, uid, gid)
			}
			return nil
		}
		return env.Host.CheckConfigFile(path, secrets, uid, gid)
	}
	if err := check(false); err != nil {
		return Loaded{}, err
	}
	l, err := env.Load(env.Host.Path(path))
	if err != nil {
		return Loaded{}, fmt.Errorf("the service could not start with this configuration: %v", err)
	}
	if scheduler == Cron && l.Reactor {
		// `ddns -c FILE` runs the reactor when the file sets "interval":
		// cron would start one more that never exits every few minutes.
		return Loaded{}, fmt.Errorf("%s sets \"interval\", so `ddns -c %s` runs the reactor and never exits: "+
			"cron would start another one every few minutes; remove \"interval\" or use a service scheduler", path, path)
	}
	if l.Secrets && scheduler == Windows {
		fmt.Fprintf(stdout, "note: %s holds secrets; make sure only SYSTEM and Administrators can read it:\n"+
			"  icacls \"%s\" /inheritance:r /grant:r SYSTEM:F Administrators:F\n", path, path)
	}
	if !l.Secrets {
		return l, nil
	}
	return l, check(true)
}

// serviceWrites lists the files a configuration makes the service write,
// named by the key that sets them.
func serviceWrites(path string, l Loaded) []WritePath {
	var w []WritePath
	if l.LogFile != "" {
		w = append(w, WritePath{Source: path, Key: "log.file", Path: l.LogFile})
	}
	for _, c := range l.Caches {
		w = append(w, WritePath{Source: path, Key: "cache", Path: c})
	}
	return w
}

// taskChange runs uninstall, enable or disable.
func taskChange(ctx context.Context, req taskRequest, sched Scheduler, stdout, stderr io.Writer) int {
	if !req.dryRun { // a dry run reads nothing: it shows the steps as if installed
		installed, err := sched.Installed(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "ddns task: %s: %v\n", sched.Name(), err)
			return exitFailed
		}
		if !installed {
			msg := "DDNS task is not installed."
			if req.op == "enable" {
				msg += " Please install it first."
			}
			fmt.Fprintln(stdout, msg)
			return exitFailed
		}
	}
	var plan *Plan
	var err error
	switch req.op {
	case "uninstall":
		plan, err = sched.Uninstall()
	case "enable":
		plan, err = sched.Enable()
	default:
		plan, err = sched.Disable()
	}
	if err == nil {
		if code := applyTaskPlan(ctx, plan, req.op, sched.Name(), req.dryRun, stdout, stderr); code != exitOK || req.dryRun {
			return code
		}
		fmt.Fprintf(stdout, "DDNS task %s successfully\n", taskPastTense[req.op])
		return exitOK
	}
	fmt.Fprintf(stderr, "ddns task: %v\n", err)
	fmt.Fprintf(stdout, "Failed to %s DDNS task\n", req.op)
	return exitFailed
}

var taskPastTense = map[string]string{"uninstall": "uninstalled", "enable": "enabled", "disable": "disabled"}

// applyTaskPlan carries out (or, dry, prints) a plan and reports a failure the
// original's way, with advice when it is a matter of privileges.
func applyTaskPlan(ctx context.Context, plan *Plan, op, scheduler string, dryRun bool, stdout, stderr io.Writer) int {
	err := plan.Apply(ctx, stdout, dryRun)
	if dryRun {
		fmt.Fprintln(stdout, "dry run: nothing was written or run")
		return exitOK
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "ddns task: %v\n", err)
	if errors.Is(err, fs.ErrPermission) {
		if scheduler == Windows {
			fmt.Fprintln(stdout, "Permission denied. Please run from an elevated prompt (Run as administrator).")
		} else {
			fmt.Fprintln(stdout, "Permission denied. Please run as root or use sudo.")
			if scheduler != Cron {
				fmt.Fprintln(stdout, "or use cron scheduler (with --scheduler=cron) instead.")
			}
		}
	}
	fmt.Fprintf(stdout, "Failed to %s DDNS task\n", op)
	return exitFailed
}
