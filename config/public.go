package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/ddns-go/ddns/resolve"
)

// publicKeys are the settings of the `public` rule, written
// "public": {"sources": […], "agree": 2, "timeout": 5, "preset": "cn"} in
// files (flattened to public_<key>), --public-source/--public-agree/… on
// the command line and DDNS_PUBLIC_<KEY> in the environment.
var publicKeys = []string{"public_sources", "public_agree", "public_timeout", "public_preset"}

// publicPool hands out one detector per distinct `public` setting, so that
// configurations run in the same round share a detection.
type publicPool map[string]*resolve.Public

// options returns the resolve.Options of one configuration: its `public`
// detector, shared with earlier configurations of the same settings.
func (pp publicPool) options(l layers) (resolve.Options, error) {
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
	key := fmt.Sprintf("%q %d %v %s", cfg.Sources, cfg.Agree, cfg.Timeout, cfg.Preset)
	if p, ok := pp[key]; ok {
		return resolve.Options{Public: p}, nil
	}
	p, err := resolve.NewPublic(cfg, resolve.Options{})
	if err != nil {
		return resolve.Options{}, blame.fail("%v", err)
	}
	pp[key] = p
	return resolve.Options{Public: p}, nil
}
