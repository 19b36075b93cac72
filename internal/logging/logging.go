// Package logging sets up logging compatible with the original Python
// client: stderr or an append-only file, Python %-style line formats with
// strftime dates, and Python level names. Callers log through zerolog; in
// the text formats a hook of the logger builds each line from what zerolog
// hands it (level, message) with the logger's name (Named), the clock and,
// when the format shows it, the caller — zerolog's JSON is never read
// back. It owns the rules of log levels and formats (CanonicalLevel,
// CheckFormat), which config uses to validate what the user wrote.
package logging

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rs/zerolog"
)

// Options are what the user configured.
type Options struct {
	Level   string // "DEBUG","INFO","WARNING","ERROR","CRITICAL","NOTSET" ("" = INFO)
	File    string // "" = stderr; else append to this file, creating parent dirs (mode 0600 for a new file)
	Format  string // "" = chosen by level (docs/logging.md); "json" = zerolog JSON lines; else Python %-style format
	Datefmt string // strftime layout of %(asctime)s; "" = "%Y-%m-%dT%H:%M:%S"
}

// NameField is the JSON field carrying the logger name (%(name)s).
const NameField = "logger"

// nameKey is the context key of the logger name: a hook cannot see the
// logger's fields, but it sees its context.
type nameKey struct{}

// Named returns l with the name %(name)s shows ("root" for a logger never
// named), also the JSON field NameField. Loggers are named only this way:
// a NameField added with With().Str reaches JSON lines but not text ones.
func Named(l zerolog.Logger, name string) zerolog.Logger {
	return l.With().Str(NameField, name).Ctx(context.WithValue(context.Background(), nameKey{}, name)).Logger()
}

// nameOf is the name Named gave the logger of an event's context.
func nameOf(ctx context.Context) string {
	if name, ok := ctx.Value(nameKey{}).(string); ok {
		return name
	}
	return "root"
}

const (
	logFormatJSON     = "json"
	logDefaultDatefmt = "%Y-%m-%dT%H:%M:%S"

	// Default formats, chosen by the level of the logging set-up (docs/logging.md).
	logFormatBelowInfo = "%(asctime)s %(levelname)s [%(name)s.%(funcName)s](%(filename)s:%(lineno)d): %(message)s"
	logFormatInfo      = "%(asctime)s %(levelname)s [%(name)s]: %(message)s"
	logFormatAboveInfo = "%(asctime)s %(levelname)s: %(message)s"
)

// New returns the root logger described by o, writing to stderr (nil = os.Stderr)
// or, when o.File is set, only to that file. The destination is passed through wrap
// (nil = as is); wrap's writer receives exactly one Write per record, a whole line
// ending in "\n". Writes are serialised, so it need not be safe for concurrent use.
//
// The returned close func closes the log file (no-op for stderr); it is never nil.
// Errors: invalid level, invalid format, or the log file cannot be created/opened.
//
// The logger never exits or panics by itself: log CRITICAL lines with
// log.WithLevel(zerolog.FatalLevel), never log.Fatal() (which calls os.Exit).
func New(o Options, stderr io.Writer, wrap func(io.Writer) io.Writer) (zerolog.Logger, func() error, error) {
	return newWithClock(o, stderr, wrap, time.Now)
}

// newWithClock is New with an injectable clock (tests use a fixed time).
// now's location is the one %(asctime)s is rendered in (time.Now = local time, as Python).
func newWithClock(o Options, stderr io.Writer, wrap func(io.Writer) io.Writer, now func() time.Time) (zerolog.Logger, func() error, error) {
	noop := func() error { return nil }
	level, err := logLevelByName(o.Level)
	if err != nil {
		return zerolog.Nop(), noop, err
	}
	format := o.Format
	if format == "" {
		format = logDefaultFormat(level)
	}
	if err := CheckFormat(format); err != nil {
		return zerolog.Nop(), noop, err
	}
	dest, closeFn, err := logOpenDestination(o.File, stderr)
	if err != nil {
		return zerolog.Nop(), noop, err
	}
	if wrap != nil {
		dest = wrap(dest)
	}

	if format == logFormatJSON {
		// zerolog already writes each event with one Write; only serialise them.
		out := &logLockedWriter{w: dest}
		return zerolog.New(out).Level(level).Hook(logTimeHook{now}), closeFn, nil
	}

	segs := parseLogFormat(format)
	datefmt := o.Datefmt
	if datefmt == "" {
		datefmt = logDefaultDatefmt
	}
	h := &textHook{out: dest, segs: segs, datefmt: datefmt, now: now, pid: os.Getpid(), caller: logSegmentsNeedCaller(segs)}
	// The hook writes every line; zerolog's own JSON of the event goes nowhere.
	return zerolog.New(io.Discard).Level(level).Hook(h), closeFn, nil
}

// levelNos are the Python level names accepted (WARN and FATAL are aliases)
// and their numbers.
var levelNos = map[string]int{"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30, "INFO": 20, "DEBUG": 10, "NOTSET": 0}

// CanonicalLevel returns the Python name (CRITICAL, ERROR, WARNING, INFO,
// DEBUG or NOTSET) of a level given by name, in any case; "" is INFO, the
// original's default.
func CanonicalLevel(name string) (string, error) {
	name = strings.ToUpper(strings.TrimSpace(name))
	if name == "" {
		return "INFO", nil
	}
	if n, ok := levelNos[name]; ok {
		return LevelName(n)
	}
	return "", fmt.Errorf("invalid log level %q (use CRITICAL, ERROR, WARNING, INFO, DEBUG or NOTSET)", name)
}

// LevelName returns the Python name of a standard level number (50, 40,
// 30, 20, 10 or 0).
func LevelName(n int) (string, error) {
	for _, name := range []string{"CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET"} {
		if levelNos[name] == n {
			return name, nil
		}
	}
	return "", fmt.Errorf("invalid log level %d (use 50, 40, 30, 20, 10 or 0)", n)
}

// logLevelByName maps a level name (see CanonicalLevel) to the zerolog
// level filter. CRITICAL is zerolog's fatal level and NOTSET lets
// everything through.
func logLevelByName(name string) (zerolog.Level, error) {
	name, err := CanonicalLevel(name)
	if err != nil {
		return zerolog.NoLevel, err
	}
	return map[string]zerolog.Level{"CRITICAL": zerolog.FatalLevel, "ERROR": zerolog.ErrorLevel, "WARNING": zerolog.WarnLevel,
		"INFO": zerolog.InfoLevel, "DEBUG": zerolog.DebugLevel, "NOTSET": zerolog.TraceLevel}[name], nil
}

// logDefaultFormat is the default format for a set-up at the given level filter.
func logDefaultFormat(level zerolog.Level) string {
	switch {
	case level < zerolog.InfoLevel:
		return logFormatBelowInfo
	case level == zerolog.InfoLevel:
		return logFormatInfo
	default:
		return logFormatAboveInfo
	}
}

// logPythonLevel returns the Python levelname and levelno of a zerolog level.
func logPythonLevel(l zerolog.Level) (string, int) {
	switch l {
	case zerolog.TraceLevel:
		return "TRACE", 5 // no Python equivalent; below DEBUG like a custom level 5
	case zerolog.DebugLevel:
		return "DEBUG", 10
	case zerolog.InfoLevel:
		return "INFO", 20
	case zerolog.WarnLevel:
		return "WARNING", 30
	case zerolog.ErrorLevel:
		return "ERROR", 40
	case zerolog.FatalLevel, zerolog.PanicLevel:
		return "CRITICAL", 50
	}
	return "NOTSET", 0 // zerolog.NoLevel, i.e. log.Log()
}

// logFormatDirective is Python's PercentStyle.validation_pattern (re.I): the original
// refuses to start unless a format contains at least one such directive.
var logFormatDirective = regexp.MustCompile(`(?i)%\([\p{L}\p{N}_]+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]`)

// CheckFormat returns a one-line error for a format the original rejects: one
// without any %(name)X directive, e.g. "plain" or "%(message)" (no conversion char).
// "" (default format) and "json" (ddns extension) are accepted. Unknown names such as
// %(foo)s are accepted; they render as empty text.
func CheckFormat(f string) error {
	if f == "" || f == logFormatJSON || logFormatDirective.MatchString(f) {
		return nil
	}
	return fmt.Errorf("invalid log format %q: it needs a %%(name)s-style directive such as %%(message)s", f)
}

// logOpenDestination returns stderr, or file opened for appending (parent directories
// created, mode 0600 when new) with its close func.
func logOpenDestination(file string, stderr io.Writer) (io.Writer, func() error, error) {
	if file == "" {
		if stderr == nil {
			stderr = os.Stderr
		}
		return stderr, func() error { return nil }, nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create log file directory: %w", err)
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open log file: %w", err)
	}
	return f, f.Close, nil
}

// logLockedWriter serialises Writes, so that concurrent records never interleave
// whatever writer the caller's wrap function returns.
type logLockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logLockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// logTimeHook stamps JSON events with an RFC 3339 "time" field from an injectable clock
// (zerolog's Timestamp() would use the global TimestampFunc and TimeFieldFormat).
type logTimeHook struct{ now func() time.Time }

func (h logTimeHook) Run(e *zerolog.Event, _ zerolog.Level, _ string) {
	e.Str(zerolog.TimestampFieldName, h.now().Format(time.RFC3339))
}

// --- caller information -------------------------------------------------------------

// logCaller returns the function, file and line of the code that logged:
// the first frame above the hook (skip frames) outside zerolog.
func logCaller(skip int) (fn, file string, line int, ok bool) {
	var pcs [8]uintptr
	n := runtime.Callers(skip+1, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "github.com/rs/zerolog.") {
			return logShortFuncName(f.Function), f.File, f.Line, true
		}
		if !more {
			return "", "", 0, false
		}
	}
}

// logShortFuncName is a function's name without its package path, the closest Go
// analogue of Python's funcName: "github.com/x/y.(*T).run.func1" -> "(*T).run.func1".
func logShortFuncName(name string) string {
	name = name[strings.LastIndexByte(name, '/')+1:]
	if _, rest, ok := strings.Cut(name, "."); ok {
		return rest
	}
	return name
}

// --- format parsing -----------------------------------------------------------------

// logAttr identifies a LogRecord attribute usable as %(name)X.
type logAttr uint8

const (
	logAttrUnknown logAttr = iota // any other name: renders as empty text
	logAttrAsctime
	logAttrLevelname
	logAttrLevelno
	logAttrName
	logAttrMessage
	logAttrModule
	logAttrFuncName
	logAttrFilename
	logAttrLineno
	logAttrPathname
	logAttrProcess
	logAttrThread
	logAttrThreadName
	logAttrCreated
	logAttrMsecs
)

var logAttrByName = map[string]logAttr{
	"asctime": logAttrAsctime, "levelname": logAttrLevelname, "levelno": logAttrLevelno,
	"name": logAttrName, "message": logAttrMessage, "module": logAttrModule,
	"funcName": logAttrFuncName, "filename": logAttrFilename, "lineno": logAttrLineno,
	"pathname": logAttrPathname, "process": logAttrProcess, "thread": logAttrThread,
	"threadName": logAttrThreadName, "created": logAttrCreated, "msecs": logAttrMsecs,
}

// logSegment is one piece of a parsed format: literal text, or a %(name)X directive.
type logSegment struct {
	literal   string // copied verbatim when !directive
	directive bool
	attr      logAttr
	conv      byte   // Python conversion character: one of "diouxXeEfFgGcrsa"
	plain     bool   // no flags, width or precision: fast paths apply
	numVerb   string // Go fmt verb for numeric conversions, e.g. "%08.3f"; "" for s, r, a, c
	textVerb  string // Go fmt verb for text, e.g. "%-8s"; "" when plain
}

// parseLogFormat splits a Python %-style format into segments, once per logger.
// "%%" is a literal "%"; anything that is not a well-formed %(name)X directive
// (e.g. "%s", "%(message)" at the end, "%(x)*s") is kept as literal text.
func parseLogFormat(f string) []logSegment {
	var segs []logSegment
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			segs = append(segs, logSegment{literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(f); {
		j := strings.IndexByte(f[i:], '%')
		if j < 0 {
			lit.WriteString(f[i:])
			break
		}
		lit.WriteString(f[i : i+j])
		i += j
		if strings.HasPrefix(f[i:], "%%") {
			lit.WriteByte('%')
			i += 2
			continue
		}
		seg, n := logParseDirective(f[i:])
		if n == 0 {
			lit.WriteByte('%')
			i++
			continue
		}
		i += n
		if seg.conv == '%' { // "%(x)%" renders a bare "%" in Python
			lit.WriteByte('%')
			continue
		}
		flush()
		segs = append(segs, seg)
	}
	flush()
	return segs
}

// logParseDirective parses "%(name)[flags][width][.precision]conv" at the start of s and
// returns it with its length, or n == 0 when s does not start with such a directive.
func logParseDirective(s string) (seg logSegment, n int) {
	if !strings.HasPrefix(s, "%(") {
		return seg, 0
	}
	end := strings.IndexByte(s, ')')
	if end < 0 {
		return seg, 0
	}
	name := s[2:end]
	i := end + 1
	start := i
	for i < len(s) && strings.IndexByte("#0+- ", s[i]) >= 0 {
		i++
	}
	flags := s[start:i]
	start = i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	width := s[start:i]
	prec := ""
	if i < len(s) && s[i] == '.' {
		start = i
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		prec = s[start:i]
	}
	if i >= len(s) || strings.IndexByte("diouxXeEfFgGcrsa%", s[i]) < 0 {
		return seg, 0
	}
	conv := s[i]
	seg = logSegment{directive: true, attr: logAttrByName[name], conv: conv,
		plain: flags == "" && width == "" && prec == ""}
	if strings.IndexByte("diouxXeEfFgG", conv) >= 0 {
		seg.numVerb = logNumVerb(conv, flags, width, prec)
	}
	if !seg.plain {
		seg.textVerb = logTextVerb(flags, width, prec)
	}
	return seg, i + 1
}

// logNumVerb translates a Python numeric conversion spec into the Go fmt verb printing
// the same text for an int64 (d i u o x X) or float64 (e E f F g G). Known difference:
// with both "0" and a precision ("%08.3d") Go pads with spaces, Python with zeros.
func logNumVerb(conv byte, flags, width, prec string) string {
	verb := string(conv)
	alt := strings.Contains(flags, "#")
	switch conv {
	case 'i', 'u':
		verb = "d"
	case 'o', 'x', 'X':
		if conv == 'o' && alt { // Python's "%#o" prefix is "0o", Go's is "%O"
			verb, flags = "O", strings.ReplaceAll(flags, "#", "")
		}
		// Python counts the 2-char "0o"/"0x" prefix in a zero-padded width, Go does not.
		if w, _ := strconv.Atoi(width); alt && w > 0 && prec == "" && strings.Contains(flags, "0") {
			width = strconv.Itoa(max(w-2, 0))
		}
	case 'g', 'G':
		if prec == "" {
			prec = ".6" // Python's default precision; Go's %g would print the shortest form
		}
	}
	return "%" + flags + width + prec + verb
}

// logTextVerb is the Go verb for a text value: Python pads strings with spaces only, so
// of the flags only "-" matters; a precision truncates.
func logTextVerb(flags, width, prec string) string {
	if strings.Contains(flags, "-") {
		return "%-" + width + prec + "s"
	}
	return "%" + width + prec + "s"
}

// logSegmentsNeedCaller reports whether rendering needs zerolog caller information.
func logSegmentsNeedCaller(segs []logSegment) bool {
	for _, s := range segs {
		switch s.attr {
		case logAttrFuncName, logAttrFilename, logAttrLineno, logAttrPathname:
			return true
		}
	}
	return false
}

// --- rendering ----------------------------------------------------------------------

// textHook writes each event as one Python-style line: the hook is where
// zerolog hands over the level and the message as they are, so nothing is
// decoded. Event fields other than those are not shown (a hook cannot see
// them; no caller logs any: the JSON format has them).
type textHook struct {
	mu      sync.Mutex // serialises Writes so concurrent records never interleave
	out     io.Writer
	segs    []logSegment
	datefmt string
	now     func() time.Time
	pid     int
	caller  bool // the format shows the caller: worth a runtime.Callers per record
}

// logRecord is one event, the counterpart of Python's LogRecord.
type logRecord struct {
	level    zerolog.Level
	time     time.Time
	name     string
	message  string
	funcName string
	pathname string
	lineno   int
}

// Run renders the event and writes it to the destination with a single Write.
func (w *textHook) Run(e *zerolog.Event, level zerolog.Level, msg string) {
	r := logRecord{level: level, time: w.now(), name: nameOf(e.GetCtx()), message: msg,
		funcName: "(unknown function)", pathname: "(unknown file)"} // Python's placeholders
	if w.caller {
		// Above Run: zerolog's Event methods, then the code that logged.
		if fn, file, line, ok := logCaller(2); ok {
			r.funcName, r.pathname, r.lineno = fn, file, line
		}
	}
	line := w.render(&r)
	w.mu.Lock()
	_, err := w.out.Write(line)
	w.mu.Unlock()
	if err != nil {
		// Said where zerolog says a writer failed (the log cannot say it);
		// like Python's handlers, a failed write does not fail the program.
		fmt.Fprintf(os.Stderr, "zerolog: could not write event: %v\n", err)
	}
}

// render returns the formatted line of r, ending in "\n".
func (w *textHook) render(r *logRecord) []byte {
	b := make([]byte, 0, 128+len(r.message))
	for i := range w.segs {
		s := &w.segs[i]
		if !s.directive {
			b = append(b, s.literal...)
			continue
		}
		b = logAppendDirective(b, s, w.value(r, s.attr))
	}
	return append(b, '\n')
}

// logValue is an attribute value with its Python type: str, int or float.
type logValue struct {
	kind byte // 's', 'i' or 'f'
	s    string
	i    int64
	f    float64
}

func logStr(s string) logValue    { return logValue{kind: 's', s: s} }
func logInt(i int64) logValue     { return logValue{kind: 'i', i: i} }
func logFloat(f float64) logValue { return logValue{kind: 'f', f: f} }

// value returns attribute a of r, typed as in Python's LogRecord.
func (w *textHook) value(r *logRecord, a logAttr) logValue {
	switch a {
	case logAttrAsctime:
		return logStr(string(logAppendStrftime(nil, w.datefmt, r.time)))
	case logAttrLevelname:
		name, _ := logPythonLevel(r.level)
		return logStr(name)
	case logAttrLevelno:
		_, no := logPythonLevel(r.level)
		return logInt(int64(no))
	case logAttrName, logAttrModule: // Go has no modules: the logger name stands in
		return logStr(r.name)
	case logAttrMessage:
		return logStr(r.message)
	case logAttrFuncName:
		return logStr(r.funcName)
	case logAttrFilename:
		return logStr(path.Base(r.pathname)) // runtime file names always use '/'
	case logAttrLineno:
		return logInt(int64(r.lineno))
	case logAttrPathname:
		return logStr(r.pathname)
	case logAttrProcess, logAttrThread:
		// Go exposes no thread id; the pid is what Linux reports for a main thread.
		return logInt(int64(w.pid))
	case logAttrThreadName:
		return logStr("MainThread")
	case logAttrCreated:
		return logFloat(float64(r.time.UnixNano()) / 1e9)
	case logAttrMsecs:
		return logFloat(float64(r.time.Nanosecond() / 1e6)) // whole ms, as Python ≥ 3.12
	}
	return logStr("")
}

// logAppendDirective appends v converted as directive s, like Python's "%" operator.
// A value of the wrong type for the conversion (e.g. %(message)d), which Python reports
// as a logging error, is rendered as text instead.
func logAppendDirective(b []byte, s *logSegment, v logValue) []byte {
	switch s.conv {
	case 'd', 'i', 'u', 'o', 'x', 'X':
		if v.kind == 'f' {
			v = logInt(int64(v.f)) // Python truncates floats for integer conversions
		}
		if v.kind == 'i' {
			if s.plain && s.numVerb == "%d" {
				return strconv.AppendInt(b, v.i, 10)
			}
			return fmt.Appendf(b, s.numVerb, v.i)
		}
	case 'e', 'E', 'f', 'F', 'g', 'G':
		if v.kind == 'i' {
			v = logFloat(float64(v.i))
		}
		if v.kind == 'f' {
			return fmt.Appendf(b, s.numVerb, v.f)
		}
	case 'c':
		if v.kind == 'i' {
			v = logStr(string(rune(v.i)))
		}
	case 'r':
		v = logStr(logPyRepr(v, false))
	case 'a':
		v = logStr(logPyRepr(v, true))
	}
	if s.textVerb == "" {
		if v.kind == 's' {
			return append(b, v.s...)
		}
		return append(b, v.str()...)
	}
	return fmt.Appendf(b, s.textVerb, v.str())
}

// str is Python's str() of v.
func (v logValue) str() string {
	switch v.kind {
	case 'i':
		return strconv.FormatInt(v.i, 10)
	case 'f':
		return logPyFloat(v.f)
	}
	return v.s
}

// logPyFloat is Python's repr of a float: shortest round-trip digits, always with a
// fraction or exponent ("123.0", "1e-05", "1.5e+16").
func logPyFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(f, 'e', -1, 64) // Go also writes >= 2 exponent digits
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// logPyRepr is Python's repr() (asciiOnly: ascii()) of v. Strings are quoted with '
// unless they contain ' and no ", and escaped like Python does.
func logPyRepr(v logValue, asciiOnly bool) string {
	if v.kind != 's' {
		return v.str()
	}
	q := byte('\'')
	if strings.IndexByte(v.s, '\'') >= 0 && strings.IndexByte(v.s, '"') < 0 {
		q = '"'
	}
	b := []byte{q}
	for _, r := range v.s {
		switch {
		case r == '\\' || r == rune(q):
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r == utf8.RuneError || r < 0x20 || r == 0x7f || (r > 0x7f && (asciiOnly || !unicode.IsPrint(r))):
			switch {
			case r <= 0xff:
				b = fmt.Appendf(b, `\x%02x`, r)
			case r <= 0xffff:
				b = fmt.Appendf(b, `\u%04x`, r)
			default:
				b = fmt.Appendf(b, `\U%08x`, r)
			}
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return string(append(b, q))
}

// --- strftime -----------------------------------------------------------------------

var logWeekdays = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
var logMonths = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// logAppendStrftime appends t rendered with the C strftime layout (C locale). Supported:
// %Y %m %d %e %H %M %S %I %p %y %j %f (microseconds) %a %A %b %B %z %Z %%. Any other
// directive, and a trailing lone "%", is copied unchanged (e.g. "%Q" stays "%Q").
func logAppendStrftime(b []byte, layout string, t time.Time) []byte {
	for i := 0; i < len(layout); i++ {
		c := layout[i]
		if c != '%' || i+1 == len(layout) {
			b = append(b, c)
			continue
		}
		i++
		switch layout[i] {
		case 'Y':
			b = logAppendPadded(b, t.Year(), 4, '0')
		case 'y':
			b = logAppendPadded(b, t.Year()%100, 2, '0')
		case 'm':
			b = logAppendPadded(b, int(t.Month()), 2, '0')
		case 'd':
			b = logAppendPadded(b, t.Day(), 2, '0')
		case 'e':
			b = logAppendPadded(b, t.Day(), 2, ' ')
		case 'H':
			b = logAppendPadded(b, t.Hour(), 2, '0')
		case 'I':
			b = logAppendPadded(b, (t.Hour()+11)%12+1, 2, '0')
		case 'M':
			b = logAppendPadded(b, t.Minute(), 2, '0')
		case 'S':
			b = logAppendPadded(b, t.Second(), 2, '0')
		case 'f':
			b = logAppendPadded(b, t.Nanosecond()/1000, 6, '0')
		case 'j':
			b = logAppendPadded(b, t.YearDay(), 3, '0')
		case 'p':
			if t.Hour() < 12 {
				b = append(b, "AM"...)
			} else {
				b = append(b, "PM"...)
			}
		case 'a':
			b = append(b, logWeekdays[t.Weekday()][:3]...)
		case 'A':
			b = append(b, logWeekdays[t.Weekday()]...)
		case 'b':
			b = append(b, logMonths[t.Month()-1][:3]...)
		case 'B':
			b = append(b, logMonths[t.Month()-1]...)
		case 'z':
			b = t.AppendFormat(b, "-0700")
		case 'Z':
			b = t.AppendFormat(b, "MST")
		case '%':
			b = append(b, '%')
		default:
			b = append(b, '%', layout[i])
		}
	}
	return b
}

// logAppendPadded appends n (>= 0) padded on the left with pad to at least width.
func logAppendPadded(b []byte, n, width int, pad byte) []byte {
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], int64(n), 10)
	for i := len(d); i < width; i++ {
		b = append(b, pad)
	}
	return append(b, d...)
}
