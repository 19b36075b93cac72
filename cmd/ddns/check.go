package main

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/publish"
)

// checkProviders builds every configuration's provider and HTTP client
// once, without using them, so settings a provider refuses (a missing
// token, a malformed id, an unreadable CA file) are configuration errors,
// exit 2 before anything is published, like every other bad input. The
// provider's factory is what knows which credentials it needs.
func checkProviders(plan *config.Plan) error {
	for _, c := range plan.Configs {
		client, err := httpclient.New(httpclient.Options{Proxy: c.Proxy, SSL: c.SSL})
		if err == nil {
			_, err = publish.New(c.DNS, publish.Settings{ID: c.ID, Token: c.Token, Endpoint: c.Endpoint,
				HTTP: client, Log: zerolog.Nop(), Stdout: io.Discard, Now: time.Now})
		}
		if err != nil {
			red := &publish.Redactor{}
			red.Add(c.Token, c.ID) // a provider may quote what it refused
			return &config.Error{Where: c.Label, Msg: red.Redact(err.Error()), Code: exitUsage}
		}
	}
	return nil
}

// lastError remembers the last ERROR-or-worse log message, so that a run
// whose log goes to a file still ends with one line on stderr saying why it
// failed.
type lastError struct{ msg atomic.Pointer[string] }

func (l *lastError) Run(_ *zerolog.Event, level zerolog.Level, msg string) {
	if level >= zerolog.ErrorLevel && msg != "" {
		l.msg.Store(&msg)
	}
}

// line is the stderr line for a failed run whose details are in logFile.
func (l *lastError) line(red *publish.Redactor, code int, logFile string) string {
	why := fmt.Sprintf("the run failed (exit %d)", code)
	if m := l.msg.Load(); m != nil {
		why = red.Redact(*m)
	}
	return "ddns: " + config.OneLine(why, 200) + " (details in " + config.OneLine(logFile, 64) + ")"
}
