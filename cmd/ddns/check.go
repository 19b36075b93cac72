package main

import (
	"io"
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
