package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// logTestTime is the fixed clock of these tests: 2024-03-05 06:08:09.123456789 UTC,
// rendered in a named zone one hour east of UTC.
var logTestTime = time.Date(2024, time.March, 5, 7, 8, 9, 123456789, time.FixedZone("CET", 3600))

// newTestLogger returns a logger named "ddns" built from o with the fixed clock, and the
// buffer standing in for stderr.
func newTestLogger(t *testing.T, o Options) (zerolog.Logger, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	l, closeFn, err := newWithClock(o, &buf, nil, func() time.Time { return logTestTime })
	if err != nil {
		t.Fatalf("New(%+v): %v", o, err)
	}
	t.Cleanup(func() { _ = closeFn() })
	return Named(l, "ddns"), &buf
}

func TestLogPlaceholders(t *testing.T) {
	pid := fmt.Sprint(os.Getpid())
	tests := []struct {
		format string
		level  zerolog.Level
		msg    string
		want   string
	}{
		{"%(asctime)s", zerolog.InfoLevel, "m", "2024-03-05T07:08:09"},
		{"%(levelname)s", zerolog.DebugLevel, "m", "DEBUG"},
		{"%(levelname)s", zerolog.InfoLevel, "m", "INFO"},
		{"%(levelname)s", zerolog.WarnLevel, "m", "WARNING"},
		{"%(levelname)s", zerolog.ErrorLevel, "m", "ERROR"},
		{"%(levelname)s", zerolog.FatalLevel, "m", "CRITICAL"},
		{"%(levelno)d", zerolog.DebugLevel, "m", "10"},
		{"%(levelno)d", zerolog.InfoLevel, "m", "20"},
		{"%(levelno)d", zerolog.WarnLevel, "m", "30"},
		{"%(levelno)d", zerolog.ErrorLevel, "m", "40"},
		{"%(levelno)d", zerolog.FatalLevel, "m", "50"},
		{"%(name)s", zerolog.InfoLevel, "m", "ddns"},
		{"%(module)s", zerolog.InfoLevel, "m", "ddns"},
		{"%(message)s", zerolog.InfoLevel, "hello", "hello"},
		{"%(process)d", zerolog.InfoLevel, "m", pid},
		{"%(thread)d", zerolog.InfoLevel, "m", pid},
		{"%(threadName)s", zerolog.InfoLevel, "m", "MainThread"},
		{"%(created)f", zerolog.InfoLevel, "m", "1709618889.123457"},
		{"%(created).2f", zerolog.InfoLevel, "m", "1709618889.12"},
		{"%(created)s", zerolog.InfoLevel, "m", "1709618889.1234567"},
		{"%(created)d", zerolog.InfoLevel, "m", "1709618889"},
		{"%(created)e", zerolog.InfoLevel, "m", "1.709619e+09"},
		{"%(created)g", zerolog.InfoLevel, "m", "1.70962e+09"},
		{"%(msecs)03d", zerolog.InfoLevel, "m", "123"},
		{"%(msecs)d", zerolog.InfoLevel, "m", "123"},
		{"%(msecs)s", zerolog.InfoLevel, "m", "123.0"},
		// Flags, width, precision.
		{"%(levelname)-8s|", zerolog.InfoLevel, "m", "INFO    |"},
		{"%(levelname)8s|", zerolog.InfoLevel, "m", "    INFO|"},
		{"%(levelname)08s|", zerolog.InfoLevel, "m", "    INFO|"}, // no zero padding of text
		{"%(levelname).2s", zerolog.InfoLevel, "m", "IN"},
		{"%(levelname)5.2s|", zerolog.InfoLevel, "m", "   IN|"},
		{"%(levelno)5d|", zerolog.InfoLevel, "m", "   20|"},
		{"%(levelno)-5d|", zerolog.InfoLevel, "m", "20   |"},
		{"%(levelno)05d", zerolog.InfoLevel, "m", "00020"},
		{"%(levelno)+d", zerolog.InfoLevel, "m", "+20"},
		{"%(levelno) d", zerolog.InfoLevel, "m", " 20"},
		{"%(levelno).3d", zerolog.InfoLevel, "m", "020"},
		{"%(levelno)i %(levelno)u", zerolog.InfoLevel, "m", "20 20"},
		{"%(levelno)x", zerolog.InfoLevel, "m", "14"},
		{"%(levelno)#X", zerolog.InfoLevel, "m", "0X14"},
		{"%(levelno)o", zerolog.InfoLevel, "m", "24"},
		{"%(levelno)#o", zerolog.InfoLevel, "m", "0o24"},
		{"%(levelno)#08o", zerolog.InfoLevel, "m", "0o000024"},
		{"%(levelno)#08x", zerolog.InfoLevel, "m", "0x000014"},
		{"%(levelno)#8x|", zerolog.InfoLevel, "m", "    0x14|"},
		{"%(levelno)-#8o|", zerolog.InfoLevel, "m", "0o24    |"},
		{"%(message) s", zerolog.InfoLevel, "x", "x"},
		{"%(levelno)f", zerolog.InfoLevel, "m", "20.000000"},
		{"%(levelno)06.1f", zerolog.InfoLevel, "m", "0020.0"},
		{"%(levelno)E", zerolog.InfoLevel, "m", "2.000000E+01"},
		{"%(levelno).3g", zerolog.InfoLevel, "m", "20"},
		{"%(levelno)s", zerolog.InfoLevel, "m", "20"},
		{"%(levelno)c", zerolog.ErrorLevel, "m", "("},
		{"%(levelno)r", zerolog.InfoLevel, "m", "20"},
		{"%(message)r", zerolog.InfoLevel, "hi", "'hi'"},
		{"%(message)r", zerolog.InfoLevel, "it's", `"it's"`},
		{"%(message)r", zerolog.InfoLevel, "x\ny", `'x\ny'`},
		{"%(message)-6r|", zerolog.InfoLevel, "ab", "'ab'  |"},
		{"%(message)a", zerolog.InfoLevel, "é", `'\xe9'`},
		{"%(message)d", zerolog.InfoLevel, "text", "text"}, // Python: logging error
		// Literals, %%, malformed and unknown directives.
		{"100%% %(message)s", zerolog.InfoLevel, "done", "100% done"},
		{"%(message)s%(levelno)%", zerolog.InfoLevel, "x", "x%"},
		{"%s %(message)s", zerolog.InfoLevel, "x", "%s x"},
		{"%(message)s %(name)", zerolog.InfoLevel, "x", "x %(name)"},
		{"%(message)s %(name)*s", zerolog.InfoLevel, "x", "x %(name)*s"},
		{"%(message)s 50%", zerolog.InfoLevel, "x", "x 50%"},
		{"[%(foo)s] %(message)s", zerolog.InfoLevel, "x", "[] x"},
		{"[%(foo)3s]", zerolog.InfoLevel, "x", "[   ]"},
		{"%(message)s", zerolog.InfoLevel, "line1\nline2", "line1\nline2"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			l, buf := newTestLogger(t, Options{Level: "NOTSET", Format: tt.format})
			l.WithLevel(tt.level).Msg(tt.msg)
			if got, want := buf.String(), tt.want+"\n"; got != want {
				t.Errorf("format %q: got %q, want %q", tt.format, got, want)
			}
		})
	}
}

// TestLogCaller checks that funcName/filename/lineno/pathname name the code that logged,
// not zerolog internals, whichever way the event is finished.
func TestLogCaller(t *testing.T) {
	l, buf := newTestLogger(t, Options{Level: "DEBUG",
		Format: "%(funcName)s|%(filename)s|%(lineno)d|%(pathname)s"})
	_, file, line, _ := runtime.Caller(0)
	l.Info().Msg("a")
	l.Info().Msgf("%s", "b")
	l.WithLevel(zerolog.FatalLevel).Send()
	want := ""
	for i := 1; i <= 3; i++ {
		want += fmt.Sprintf("TestLogCaller|logging_test.go|%d|%s\n", line+i, file)
	}
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestLogDefaultFormatByLevel(t *testing.T) {
	tests := []struct {
		optLevel string
		want     string // %d = line of the logging call
	}{
		{"NOTSET", "2024-03-05T07:08:09 WARNING [ddns.TestLogDefaultFormatByLevel.func1](logging_test.go:%d): set a.com\n"},
		{"DEBUG", "2024-03-05T07:08:09 WARNING [ddns.TestLogDefaultFormatByLevel.func1](logging_test.go:%d): set a.com\n"},
		{"INFO", "2024-03-05T07:08:09 WARNING [ddns]: set a.com\n"},
		{"WARNING", "2024-03-05T07:08:09 WARNING: set a.com\n"},
		{"ERROR", ""}, // filtered out
	}
	for _, tt := range tests {
		t.Run(tt.optLevel, func(t *testing.T) {
			l, buf := newTestLogger(t, Options{Level: tt.optLevel})
			_, _, line, _ := runtime.Caller(0)
			l.Warn().Msg("set a.com")
			want := tt.want
			if strings.Contains(want, "%d") {
				want = fmt.Sprintf(want, line+1)
			}
			if got := buf.String(); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	// Above INFO also covers CRITICAL: the format has no [name].
	l, buf := newTestLogger(t, Options{Level: "CRITICAL"})
	l.Error().Msg("hidden")
	l.WithLevel(zerolog.FatalLevel).Msg("no provider")
	if got, want := buf.String(), "2024-03-05T07:08:09 CRITICAL: no provider\n"; got != want {
		t.Errorf("CRITICAL: got %q, want %q", got, want)
	}
}

func TestLogStrftime(t *testing.T) {
	afternoon := time.Date(2021, time.December, 31, 15, 4, 5, 6000, time.UTC)
	midnight := time.Date(2021, time.January, 2, 0, 0, 0, 0, time.FixedZone("", -5*3600))
	tests := []struct {
		layout string
		t      time.Time
		want   string
	}{
		{"%Y-%m-%dT%H:%M:%S", logTestTime, "2024-03-05T07:08:09"},
		{"%y %j %e|%d", logTestTime, "24 065  5|05"},
		{"%a %A %b %B", logTestTime, "Tue Tuesday Mar March"},
		{"%I %p", logTestTime, "07 AM"},
		{"%I %p", afternoon, "03 PM"},
		{"%I %p", midnight, "12 AM"},
		{"%f", logTestTime, "123456"},
		{"%f", afternoon, "000006"},
		{"%z %Z", logTestTime, "+0100 CET"},
		{"%z %Z", afternoon, "+0000 UTC"},
		{"%z", midnight, "-0500"},
		{"%j", afternoon, "365"},
		{"100%%", logTestTime, "100%"},
		{"%Q %H", logTestTime, "%Q 07"}, // unknown directive passes through
		{"end %", logTestTime, "end %"},
		{"", logTestTime, ""},
		{"été %H", logTestTime, "été 07"},
	}
	for _, tt := range tests {
		if got := string(logAppendStrftime(nil, tt.layout, tt.t)); got != tt.want {
			t.Errorf("strftime(%q, %v) = %q, want %q", tt.layout, tt.t, got, tt.want)
		}
	}
}

func TestLogDatefmt(t *testing.T) {
	l, buf := newTestLogger(t, Options{Format: "%(asctime)s %(message)s", Datefmt: "%d/%m/%Y %H:%M:%S.%f %Q"})
	l.Info().Msg("x")
	if got, want := buf.String(), "05/03/2024 07:08:09.123456 %Q x\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidateLogFormat(t *testing.T) {
	tests := []struct {
		format string
		ok     bool
	}{
		{"%(message)s", true},
		{"%(asctime)s %(levelname)-8s %(message)s", true},
		{"%(levelno)03d", true},
		{"%(created).3f", true},
		{"%(name)*s", true},     // Python's pattern accepts "*"
		{"%(foo)s", true},       // unknown names are accepted (they render empty)
		{"x %(message)S", true}, // Python's pattern ignores case
		{"", true},              // default format
		{"json", true},          // ddns extension
		{"plain", false},
		{"%(message)", false},
		{"%(message) s", true}, // " " is a conversion flag
		{"%s %d", false},
		{"%()s", false},
		{"100%%", false},
	}
	for _, tt := range tests {
		err := CheckFormat(tt.format)
		if (err == nil) != tt.ok {
			t.Errorf("CheckFormat(%q) = %v, want ok=%v", tt.format, err, tt.ok)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("CheckFormat(%q): error is not one line: %q", tt.format, err)
		}
	}
}

func TestNewLoggerErrors(t *testing.T) {
	for _, o := range []Options{
		{Level: "VERBOSE"},
		{Format: "plain"},
		{File: filepath.Join(t.TempDir(), "file", "sub", "x.log"), Level: "INFO"},
	} {
		if o.File != "" { // make a parent directory impossible: a regular file in the way
			if err := os.WriteFile(filepath.Dir(filepath.Dir(o.File)), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		_, closeFn, err := New(o, io.Discard, nil)
		if err == nil {
			t.Errorf("New(%+v): no error", o)
		}
		if closeFn == nil || closeFn() != nil {
			t.Errorf("New(%+v): close func must be a no-op", o)
		}
	}
}

func TestLogLevelFilter(t *testing.T) {
	tests := []struct {
		optLevel string
		want     string // initials of the levels shown, in order debug info warn error critical
	}{
		{"NOTSET", "DIWEC"},
		{"DEBUG", "DIWEC"},
		{"", "IWEC"},
		{"INFO", "IWEC"},
		{"WARNING", "WEC"},
		{"ERROR", "EC"},
		{"CRITICAL", "C"},
	}
	for _, tt := range tests {
		t.Run(tt.optLevel, func(t *testing.T) {
			l, buf := newTestLogger(t, Options{Level: tt.optLevel, Format: "%(levelname).1s"})
			l.Debug().Msg("")
			l.Info().Msg("")
			l.Warn().Msg("")
			l.Error().Msg("")
			l.WithLevel(zerolog.FatalLevel).Msg("")
			if got := strings.ReplaceAll(buf.String(), "\n", ""); got != tt.want {
				t.Errorf("shown %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLogExtraFields: the text formats show what the original's records
// have (a hook sees no event field); the JSON format keeps every field.
func TestLogExtraFields(t *testing.T) {
	l, buf := newTestLogger(t, Options{Format: "%(levelname)s: %(message)s"})
	l.Error().Str("domain", "a.example.com").Err(errors.New("dial tcp: timeout")).
		Int("code", 501).Bool("ok", false).Str("empty", "").Msg("Failed to update")
	l.Info().Msg("plain")
	want := "ERROR: Failed to update\n" + "INFO: plain\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	j, buf := newTestLogger(t, Options{Format: "json"})
	j.Error().Str("domain", "a.example.com").Err(errors.New("dial tcp: timeout")).Int("code", 501).Msg("Failed to update")
	for _, want := range []string{`"domain":"a.example.com"`, `"error":"dial tcp: timeout"`, `"code":501`, `"logger":"ddns"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("JSON %q lacks %s", buf.String(), want)
		}
	}
}

func TestLogSubLoggerName(t *testing.T) {
	l, buf := newTestLogger(t, Options{Format: "%(name)s: %(message)s"})
	cache := Named(l, "Cache")
	cache.Info().Msg("renamed")
	zl, closeFn, err := newWithClock(Options{Format: "%(name)s"}, buf, nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFn()
	zl.Info().Msg("unnamed")
	if got, want := buf.String(), "Cache: renamed\nroot\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLogJSON(t *testing.T) {
	l, buf := newTestLogger(t, Options{Format: "json", Level: "INFO"})
	l.Debug().Msg("hidden")
	l.Warn().Str("domain", "a.com").Msg("set a.com")
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not one JSON object: %q: %v", buf.String(), err)
	}
	want := map[string]any{"level": "warn", "logger": "ddns", "time": "2024-03-05T07:08:09+01:00",
		"message": "set a.com", "domain": "a.com"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLogFileAppend(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a", "b", "ddns.log")
	var stderr bytes.Buffer
	for _, msg := range []string{"first", "second"} {
		l, closeFn, err := newWithClock(Options{File: file, Format: "%(message)s"}, &stderr, nil,
			func() time.Time { return logTestTime })
		if err != nil {
			t.Fatal(err)
		}
		l.Info().Msg(msg)
		if err := closeFn(); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), "first\nsecond\n"; got != want {
		t.Errorf("file content %q, want %q", got, want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr got %q, want nothing when a log file is set", stderr.String())
	}
	if fi, err := os.Stat(file); err != nil {
		t.Fatal(err)
	} else if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

// logWriteRecorder records every Write call it receives.
type logWriteRecorder struct{ writes []string }

func (r *logWriteRecorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

func TestLogOneWritePerRecord(t *testing.T) {
	for _, format := range []string{"", "%(asctime)s %(levelname)s %(message)s", "json"} {
		rec := &logWriteRecorder{}
		wrap := func(w io.Writer) io.Writer {
			if w != io.Discard {
				t.Errorf("wrap got %v, want the stderr writer", w)
			}
			return rec
		}
		l, closeFn, err := New(Options{Format: format, Level: "DEBUG"}, io.Discard, wrap)
		if err != nil {
			t.Fatal(err)
		}
		l.Debug().Msg("one")
		l.Info().Str("k", "v").Msg("two\nlines")
		l.WithLevel(zerolog.FatalLevel).Msg("three")
		_ = closeFn()
		if len(rec.writes) != 3 {
			t.Fatalf("format %q: %d writes, want 3: %q", format, len(rec.writes), rec.writes)
		}
		for _, w := range rec.writes {
			if !strings.HasSuffix(w, "\n") {
				t.Errorf("format %q: write %q does not end in a newline", format, w)
			}
		}
		if format != "json" && !strings.Contains(rec.writes[1], "two\nlines\n") {
			t.Errorf("format %q: multi-line message altered: %q", format, rec.writes[1])
		}
	}
}

// TestLogConcurrent checks, under -race, that records from several goroutines reach a
// writer that is not safe for concurrent use one whole line at a time.
func TestLogConcurrent(t *testing.T) {
	for _, format := range []string{"%(message)s", "json"} {
		var buf bytes.Buffer
		l, closeFn, err := New(Options{Format: format}, &buf, nil)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range 50 {
					l.Info().Msgf("g%d-%d", g, i)
				}
			})
		}
		wg.Wait()
		_ = closeFn()
		if n := strings.Count(buf.String(), "\n"); n != 200 {
			t.Errorf("format %q: %d lines, want 200", format, n)
		}
	}
}

// TestLogMessageAsIs: the message reaches the line exactly as logged,
// whatever JSON would have escaped in it (nothing is decoded back).
func TestLogMessageAsIs(t *testing.T) {
	l, buf := newTestLogger(t, Options{Format: "%(name)s: %(message)s"})
	msg := `say "hi" \ tab\t é 😀 {"level":"error"} \u0041` + "\x00\x7f"
	l.Warn().Msg(msg)
	quoted := Named(l, `x"y`)
	quoted.Info().Msg("")
	if got, want := buf.String(), "ddns: "+msg+"\n"+`x"y: `+"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func BenchmarkLogText(b *testing.B) {
	l, _, err := New(Options{Level: "INFO"}, io.Discard, nil)
	if err != nil {
		b.Fatal(err)
	}
	l = Named(l, "ddns")
	b.ReportAllocs()
	for b.Loop() {
		l.Info().Str("domain", "a.example.com").Msg("a.example.com[A] address not changed, using cache: 1.2.3.4")
	}
}

// BenchmarkLogLine is one typical line without fields, in the default text
// format of INFO and of DEBUG (which shows the caller). See docs/logging.md.
func BenchmarkLogLine(b *testing.B) {
	for _, level := range []string{"INFO", "DEBUG"} {
		b.Run(level, func(b *testing.B) {
			l, _, err := New(Options{Level: level}, io.Discard, nil)
			if err != nil {
				b.Fatal(err)
			}
			l = Named(l, "ddns")
			b.ReportAllocs()
			for b.Loop() {
				l.Info().Msg("a.example.com[A] address not changed, using cache: 1.2.3.4")
			}
		})
	}
}

// failingWriter fails every Write, as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestLogWriteFailureSaidOnStderr: a line that cannot be written is said
// on the process's stderr, as zerolog says a failed writer, and logging
// goes on.
func TestLogWriteFailureSaidOnStderr(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	defer func() { os.Stderr = stderr }()
	l, _, err := New(Options{Format: "%(message)s"}, failingWriter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Info().Msg("one")
	l.Info().Msg("two")
	w.Close()
	got, _ := io.ReadAll(r)
	want := strings.Repeat("zerolog: could not write event: no space left on device\n", 2)
	if string(got) != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
