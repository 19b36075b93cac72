package logging

import (
	"sync/atomic"

	"github.com/rs/zerolog"
)

// LastError is a hook (Logger.Hook) that remembers the last message logged
// at ERROR or worse, so that a run whose log goes to a file can still end
// with one line on stderr saying why it failed.
type LastError struct{ msg atomic.Pointer[string] }

// Run implements zerolog.Hook.
func (l *LastError) Run(_ *zerolog.Event, level zerolog.Level, msg string) {
	if level >= zerolog.ErrorLevel && msg != "" {
		l.msg.Store(&msg)
	}
}

// Message is the last such message, "" when there was none.
func (l *LastError) Message() string {
	if m := l.msg.Load(); m != nil {
		return *m
	}
	return ""
}
