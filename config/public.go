package config

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ddns-go/ddns/internal/httpclient"
	"github.com/ddns-go/ddns/resolve"
)

// publicKeys are the settings of the `public` rule, written
// "public": {"sources": […], "agree": 2, "timeout": 5, "preset": "cn"} in
// files (flattened to public_<key>), --public-source/--public-agree/… on
// the command line and DDNS_PUBLIC_<KEY> in the environment.
var publicKeys = []string{"public_sources", "public_agree", "public_timeout", "public_preset"}

// lookups builds the resolve.Options of the configurations of one load:
// the HTTP client of url:, doh: and public rules (the configuration's ssl,
// the system's proxy: lookups never use the provider proxy list) and one
// `public` detector per distinct setting, so that configurations run in
// the same round share a detection. A reload builds new ones, so a changed
// ssl applies to lookups too.
type lookups struct {
	in      *Lookup                    // nil: resolve's defaults
	clients map[string]*http.Client    // by ssl
	publics map[string]*resolve.Public // by ssl and `public` settings
}

func newLookups(in Input) *lookups {
	return &lookups{in: in.Lookup, clients: map[string]*http.Client{}, publics: map[string]*resolve.Public{}}
}

// options returns the resolve.Options of one configuration of the given
// ssl: its client and its `public` detector, shared with earlier
// configurations of the same settings.
func (pp *lookups) options(l layers, ssl string) (resolve.Options, error) {
	var o resolve.Options
	if pp.in != nil {
		client, ok := pp.clients[ssl]
		if !ok {
			var err error
			if client, err = httpclient.New(httpclient.Options{SSL: ssl, UserAgent: pp.in.UserAgent, Timeout: resolve.DefaultTimeout}); err != nil {
				r, _ := l.pick("ssl")
				return resolve.Options{}, r.fail("%v", err)
			}
			pp.clients[ssl] = client
		}
		o = resolve.Options{HTTPClient: client, Warn: pp.in.Warn, Lister: pp.in.Lister}
	}
	var cfg resolve.PublicConfig
	blame := raw{where: "command line", key: "public"}
	if r, ok := l.pick("public_sources"); ok && r.v != nil {
		list, err := asList(r, true)
		if err != nil {
			return resolve.Options{}, err
		}
		if len(list) == 0 {
			return resolve.Options{}, r.fail("public sources must not be empty (leave the key out for the default set)")
		}
		cfg.Sources, blame = list, r
	}
	if r, ok := l.pick("public_agree"); ok && r.v != nil {
		n, isInt := asInt(unwrap(r))
		if !isInt || n < 1 || n > 9 {
			return resolve.Options{}, r.fail("public agree must be an integer from 1 to 9")
		}
		cfg.Agree = n
	}
	if r, ok := l.pick("public_timeout"); ok && r.v != nil {
		n, isInt := asInt(unwrap(r))
		if !isInt || n < 1 || n > 60 {
			return resolve.Options{}, r.fail("public timeout must be whole seconds from 1 to 60")
		}
		cfg.Timeout = time.Duration(n) * time.Second
	}
	if r, ok := l.pick("public_preset"); ok && r.v != nil {
		s, err := asString(r)
		if err != nil {
			return resolve.Options{}, err
		}
		if cfg.Preset = strings.ToLower(strings.TrimSpace(s)); cfg.Preset != "" && cfg.Preset != "cn" && cfg.Preset != "default" {
			return resolve.Options{}, r.fail("public preset must be cn or default")
		}
	}
	key := fmt.Sprintf("%q %q %d %v %s", ssl, cfg.Sources, cfg.Agree, cfg.Timeout, cfg.Preset)
	if o.Public = pp.publics[key]; o.Public != nil {
		return o, nil
	}
	p, err := resolve.NewPublic(cfg, o)
	if err != nil {
		return resolve.Options{}, blame.fail("%v", err)
	}
	pp.publics[key] = p
	o.Public = p
	return o, nil
}
