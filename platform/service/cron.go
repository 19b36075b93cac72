package service

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"unicode"
)

// The cron fallback runs the one-shot command from the crontab of the
// user who installs it, as the original did, for systems without a
// service manager. Only lines carrying a marker are ever touched.
const (
	cronMarker = "# ddns-go"
	// legacyCronMarker marks the original's entries: installing replaces
	// them (they run the old client, often with the token inline), and
	// uninstall removes them.
	legacyCronMarker = "# DDNS:"
	minutesPerHour   = 60
	minutesPerDay    = 24 * minutesPerHour
)

// CronSchedule is the five crontab time fields that run a command every
// minutes (1..1440): `*/N * * * *` below an hour, as the original wrote
// it (when N does not divide 60 the last run of each hour comes early);
// `0 */H * * *` for a whole number of hours that divides a day; `0 0 * * *`
// for a day. Anything else cannot be one crontab line and is an error
// saying what can.
func CronSchedule(minutes int) (string, error) {
	switch {
	case minutes < 1 || minutes > minutesPerDay:
		return "", fmt.Errorf("interval %d: must be 1 to %d minutes", minutes, minutesPerDay)
	case minutes < minutesPerHour:
		return fmt.Sprintf("*/%d * * * *", minutes), nil
	case minutes == minutesPerDay:
		return "0 0 * * *", nil
	case minutes%minutesPerHour == 0 && minutesPerDay%minutes == 0:
		return fmt.Sprintf("0 */%d * * *", minutes/minutesPerHour), nil
	}
	return "", fmt.Errorf("interval %d: cron cannot run every %d minutes; use 1 to 59 minutes, or 60, 120, 180, 240, 360, 480, 720 or 1440", minutes, minutes)
}

// cronInterval reads back the minutes of a CronSchedule; 0 if it is not one.
func cronInterval(fields []string) int {
	if len(fields) != 5 || strings.Join(fields[2:], " ") != "* * *" {
		return 0
	}
	step := func(f string) int {
		n, err := strconv.Atoi(strings.TrimPrefix(f, "*/"))
		if err != nil || !strings.HasPrefix(f, "*/") {
			return 0
		}
		return n
	}
	switch {
	case fields[1] == "*":
		return step(fields[0])
	case fields[0] != "0":
		return 0
	case fields[1] == "0":
		return minutesPerDay
	}
	return step(fields[1]) * minutesPerHour
}

// CronLine is the crontab line that runs the one-shot command for spec.
func CronLine(spec Spec) (string, error) {
	sched, err := CronSchedule(spec.Interval)
	if err != nil {
		return "", err
	}
	words := []string{sched, cronWord(spec.Exe)}
	for _, a := range spec.configArgs() {
		words = append(words, cronWord(a))
	}
	return strings.Join(append(words, cronMarker), " "), nil
}

type cron struct{ h Host }

func (cron) Name() string { return Cron }

// read returns the user's crontab; none at all is an empty one. Any other
// failure is an error: writing back a crontab that could not be read
// would wipe it.
func (s cron) read(ctx context.Context) (string, error) {
	out, err := s.h.run(ctx, nil, "crontab", "-l")
	var ce *CommandError
	if errors.As(err, &ce) && (strings.Contains(ce.Stderr, "no crontab") || strings.Contains(ce.Stderr, "No such file")) {
		return "", nil
	}
	if errors.Is(err, exec.ErrNotFound) {
		return "", fmt.Errorf("%w: crontab is not installed; install cron or choose another --scheduler", err)
	}
	if err != nil {
		return "", fmt.Errorf("read the crontab: %w", err)
	}
	return string(out), nil
}

func (s cron) write(ctx context.Context, text string) error {
	if _, err := s.h.run(ctx, []byte(text), "crontab", "-"); err != nil {
		return fmt.Errorf("install the crontab: %w", err)
	}
	return nil
}

// Installed and Status take a system without crontab(1) for one without
// the entry.
func (s cron) Installed(ctx context.Context) (bool, error) {
	st, err := s.Status(ctx)
	return st.Installed, err
}

func (s cron) Status(ctx context.Context) (Status, error) {
	st := Status{Scheduler: Cron}
	tab, err := s.read(ctx)
	if errors.Is(err, exec.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	line, ok := markedLine(tab)
	if !ok {
		return st, nil
	}
	st.Installed = true
	st.Enabled = !strings.HasPrefix(line, "#")
	fields, rest := cutFields(strings.TrimLeft(line, "# \t"), 5)
	st.Interval = cronInterval(fields)
	rest, _, _ = strings.Cut(rest, legacyCronMarker)
	st.Command = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), cronMarker))
	return st, nil
}

func (s cron) Install(spec Spec) (*Plan, error) {
	if err := spec.check(unixAbs); err != nil {
		return nil, err
	}
	line, err := CronLine(spec)
	if err != nil {
		return nil, err
	}
	return s.edit("add to your crontab (replacing any earlier ddns entry): "+line, "added to your crontab: "+line,
		func(l []string) []string { return append(dropMarked(l), line) }), nil
}

func (s cron) Uninstall() (*Plan, error) {
	return s.edit("remove the ddns entry from your crontab", "removed the ddns entry from your crontab", dropMarked), nil
}

func (s cron) Enable() (*Plan, error) {
	return s.edit("uncomment the ddns entry of your crontab", "uncommented the ddns entry of your crontab",
		mapMarked(func(l string) string { return strings.TrimLeft(l, "# \t") })), nil
}

func (s cron) Disable() (*Plan, error) {
	return s.edit("comment out the ddns entry of your crontab", "commented out the ddns entry of your crontab",
		mapMarked(func(l string) string {
			if strings.HasPrefix(l, "#") {
				return l
			}
			return "# " + l
		})), nil
}

// edit plans one read-change-write of the crontab, written only if the
// change changes something.
func (s cron) edit(would, did string, change func([]string) []string) *Plan {
	fn := func(ctx context.Context) (string, error) {
		tab, err := s.read(ctx)
		if err != nil {
			return "", err
		}
		next := joinLines(change(splitLines(tab)))
		if next == tab {
			return "kept your crontab (already up to date)", nil
		}
		return "", s.write(ctx, next)
	}
	return &Plan{host: s.h, steps: []step{call{would: would, did: did, fn: fn}}}
}

func isMarked(line string) bool {
	return strings.HasSuffix(strings.TrimSpace(line), cronMarker) || strings.Contains(line, legacyCronMarker)
}

// markedLine is the first marked line of a crontab, trimmed.
func markedLine(tab string) (string, bool) {
	for _, l := range splitLines(tab) {
		if isMarked(l) {
			return strings.TrimSpace(l), true
		}
	}
	return "", false
}

func dropMarked(lines []string) []string {
	var kept []string
	for _, l := range lines {
		if !isMarked(l) {
			kept = append(kept, l)
		}
	}
	return kept
}

func mapMarked(f func(string) string) func([]string) []string {
	return func(lines []string) []string {
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = l
			if isMarked(l) {
				out[i] = f(strings.TrimSpace(l))
			}
		}
		return out
	}
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// joinLines ends every line with a newline: cron ignores a last line
// without one.
func joinLines(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return strings.Join(l, "\n") + "\n"
}

// cutFields splits the first n blank-separated fields off s.
func cutFields(s string, n int) (fields []string, rest string) {
	rest = s
	for range n {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			end = len(rest)
		}
		fields, rest = append(fields, rest[:end]), rest[end:]
	}
	return fields, rest
}
