// Package publish is where an address goes: the Provider contract, the
// provider registry, the shared HTTP client, error classes, secret redaction
// and the state ("cache") file.
//
// A provider is a package under publish/ with a struct implementing Provider
// and one Register call in its init function. Adding a provider touches
// nothing else.
package publish

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"time"

	"github.com/rs/zerolog"
)

// Record is one DNS record the agent wants to exist.
type Record struct {
	Domain string     // fully qualified, lower-case, as configured
	Type   string     // "A" or "AAAA"
	Addr   netip.Addr // the address to publish
	TTL    int        // seconds; 0 = let the provider decide
	Line   string     // ISP line / view for providers that have them; "" = provider default
	Extra  Extra      // additional provider parameters, in configuration order
	// Hint carries the ids remembered from the last successful publish of
	// this record, so providers can update by id; zero when unknown.
	Hint Hint
}

// Result tells the caller what a successful Set did.
type Result struct {
	// ZoneID and RecordID identify the record at the provider, where it has
	// such ids; they are kept in the state file so the next change can update
	// by id without looking the zone and record up again.
	ZoneID, ZoneName, RecordID string
	// Unchanged is true when the provider found the record already current
	// and made no write.
	Unchanged bool
}

// Provider publishes records to one DNS service account.
type Provider interface {
	// Set makes the record exist with r.Addr. It must honour ctx and return
	// an error wrapped with Permanent when retrying cannot help.
	Set(ctx context.Context, r Record) (Result, error)
}

// Settings is what a provider is built from: the user's credentials and the
// shared plumbing. Providers must never log ID or Token themselves; Log
// already redacts them, but derived secrets (signatures, Authorization
// headers) are the provider's to keep out of logs.
type Settings struct {
	ID       string
	Token    string
	Endpoint string // "" = the provider's default API base URL
	HTTP     *http.Client
	Log      zerolog.Logger
	Stdout   io.Writer        // where the debug provider prints
	Now      func() time.Time // the clock; tests pin it
}

// Factory builds a provider from settings, or explains in one line why the
// settings cannot work (missing token, malformed id, …).
type Factory func(Settings) (Provider, error)
