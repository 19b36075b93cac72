// Package debug is the provider that publishes nothing: it prints each
// record it would publish on standard output, "[IPv4] 203.0.113.5", as the
// original client's debug provider does. It needs no account.
package debug

import (
	"context"
	"fmt"

	"github.com/ddns-go/ddns/publish"
)

func init() {
	publish.Register(publish.Info{
		Name:    "debug",
		ID:      "not used",
		Token:   "not used",
		Creates: true,
	}, func(s publish.Settings) (publish.Provider, error) {
		return provider{s}, nil
	})
}

type provider struct{ s publish.Settings }

func (p provider) Set(_ context.Context, r publish.Record) (publish.Result, error) {
	label := r.Type
	switch r.Type {
	case "A":
		label = "IPv4"
	case "AAAA":
		label = "IPv6"
	}
	if _, err := fmt.Fprintf(p.s.Stdout, "[%s] %s\n", label, r.Addr); err != nil {
		return publish.Result{}, err
	}
	return publish.Result{}, nil
}
