package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ddns-go/ddns/internal/httpclient"
)

// fileConfig is one configuration found in a file: the whole file for a
// flat one, or one entry of a v4.1 `providers` list merged over the root.
type fileConfig struct {
	source   string
	label    string
	vals     map[string]raw
	extra    []cliExtra
	root     *Object // the file's root object (for interval and logging)
	warnings []string
	err      error // a type error found while flattening
}

// readSource reads a local file or fetches a remote one (a path with ://).
// Relative paths are relative to dir.
func readSource(path, dir string, fetch func(string) ([]byte, error)) ([]byte, error) {
	if strings.Contains(path, "://") {
		return fetch(path)
	}
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(dir, path)
	}
	data, err := os.ReadFile(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &Error{Msg: fmt.Sprintf("Config file `%s` does not exist! Check the path or use --new-config to create one.", path), Code: 1}
	}
	if err != nil {
		return nil, &Error{Where: path, Msg: "cannot read: " + unwrapPathError(err), Code: 2}
	}
	return data, nil
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// remoteFetcher returns the fetcher of remote configuration files: proxy
// and TLS mode from the command line, else the environment (a file cannot
// configure its own download); boolean-like ssl values are parsed for
// every source (the original used DDNS_SSL raw here, B24).
func remoteFetcher(cli map[string]raw, env envSource) func(string) ([]byte, error) {
	return func(url string) ([]byte, error) {
		l := layers{cli: cli, env: env.vals}
		o := httpclient.Options{Timeout: 30 * time.Second}
		if r, ok := l.pick("proxy"); ok {
			o.Proxy, _ = asList(r, false)
		}
		if r, ok := l.pick("ssl"); ok {
			if b, s, isBool := asBoolish(unwrap(r)); isBool {
				o.SSL = fmt.Sprint(b)
			} else {
				o.SSL = s
			}
		}
		c, err := httpclient.New(o)
		if err != nil {
			return nil, &Error{Where: url, Msg: "cannot fetch: " + err.Error(), Code: 2}
		}
		return fetchHTTP(c, url)
	}
}

// fetchHTTP downloads a remote configuration file.
func fetchHTTP(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, &Error{Where: url, Msg: "cannot fetch: " + err.Error(), Code: 1}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, &Error{Where: url, Msg: "cannot fetch: " + err.Error(), Code: 1}
	}
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		return nil, &Error{Where: url, Msg: "cannot fetch: HTTP " + resp.Status, Code: 1}
	}
	return body, nil
}

// parseFile turns a file's text into its configurations.
func parseFile(path string, data []byte) ([]fileConfig, error) {
	doc, err := ParseJSONC(data)
	if err != nil {
		return nil, &Error{Where: path, Msg: "not valid JSON: " + err.Error(), Code: 2}
	}
	root, ok := doc.(*Object)
	if !ok {
		return nil, &Error{Where: path, Msg: "the configuration must be a JSON object", Code: 2}
	}
	provs, isMulti := root.Vals["providers"].([]any)
	if !isMulti {
		fc := flatten(path, path, "", root)
		fc.root = root
		return []fileConfig{fc}, fc.err
	}
	global := &Object{}
	for _, k := range root.Keys {
		if k != "providers" {
			global.Set(k, root.Vals[k])
		}
	}
	g := flatten(path, path, "", global)
	if g.err != nil {
		return nil, g.err
	}
	if r, ok := g.vals["dns"]; ok && r.v != nil && !isFalseSentinel(r.v) && r.v != "" {
		return nil, &Error{Where: path, Msg: "'providers' and 'dns' fields cannot be used simultaneously in config file!", Code: 2}
	}
	var out []fileConfig
	for i, p := range provs {
		key := fmt.Sprintf("providers[%d]", i+1)
		entry, ok := p.(*Object)
		if !ok {
			return nil, &Error{Where: path, Key: key, Msg: "each provider must be a JSON object", Code: 2}
		}
		name, _ := entry.Vals["provider"].(string)
		if strings.TrimSpace(name) == "" {
			return nil, &Error{Where: path, Key: key, Msg: "Each provider must have a 'provider' field!", Code: 2}
		}
		e := flatten(path, path+" "+key, key+".", entry)
		if e.err != nil {
			return nil, e.err
		}
		if d, ok := e.vals["dns"]; ok {
			if s, _ := d.v.(string); !strings.EqualFold(s, name) {
				return nil, d.fail("conflicts with provider %q: name the provider once, in \"provider\"", name)
			}
		}
		fc := fileConfig{source: path, label: e.label, vals: map[string]raw{}, root: root}
		for k, v := range g.vals {
			fc.vals[k] = v
		}
		for k, v := range e.vals {
			fc.vals[k] = v
		}
		fc.vals["dns"] = raw{v: name, where: path, key: key + ".provider"}
		// The original replaced the root extras by the entry's (B13);
		// merging key by key is what users expect.
		fc.extra = append(append([]cliExtra{}, g.extra...), e.extra...)
		fc.warnings = append(g.warnings, e.warnings...)
		if i > 0 {
			fc.warnings = nil // root warnings once per file
		}
		out = append(out, fc)
	}
	if len(out) == 0 {
		return nil, &Error{Where: path, Key: "providers", Msg: "the list is empty: add at least one provider", Code: 2}
	}
	return out, nil
}

// flatten reads one JSON object into settings: nested objects become
// <key>_<subkey> (so "log": {"level": …} is log_level), `extra` and
// extra_<k> keys become extras, meta keys are skipped and unknown keys are
// reported.
func flatten(path, label, prefix string, o *Object) fileConfig {
	fc := fileConfig{source: path, label: label, vals: map[string]raw{}}
	warn := func(format string, a ...any) {
		fc.warnings = append(fc.warnings, path+": "+clip(fmt.Sprintf(format, a...), maxMsg+maxKey))
	}
	add := func(k, shown string, v any, nested bool) {
		switch {
		case k == "provider" && prefix != "":
		case strings.HasPrefix(k, "extra_") && len(k) > 6:
			fc.extra = append(fc.extra, cliExtra{k[6:], v, path})
		case isKnownKey(k):
			fc.vals[k] = raw{v: v, where: path, key: shown, secret: isSecretKey(k)}
		case metaKeys[k]:
		case k == "provider":
			warn(`"provider" names the provider only inside a "providers" entry: ignored (use "dns")`)
		case nested || suggestKey(k) != "" || reservedExtra[k]:
			warn("unknown key %q ignored%s", shown, suggestKey(k))
		default:
			// The original handed every other root key to the provider
			// (its own examples put Cloudflare's "proxied" there), so a
			// migrated file keeps working; "extra" is the new home.
			fc.extra = append(fc.extra, cliExtra{k, v, path})
			warn("key %q is passed to the provider as the original did; move it into \"extra\"", shown)
		}
	}
	for _, k := range o.Keys {
		v := o.Vals[k]
		if k == "extra" {
			eo, ok := v.(*Object)
			if !ok && v != nil {
				fc.err = raw{v: v, where: path, key: prefix + k, secret: true}.fail("must be an object of provider parameters")
				return fc
			}
			if ok {
				for _, ek := range eo.Keys {
					fc.extra = append(fc.extra, cliExtra{ek, eo.Vals[ek], path})
				}
			}
			continue
		}
		if _, isObj := v.(*Object); !isObj && k == "log" && v != nil {
			fc.err = raw{v: v, where: path, key: prefix + k}.fail(`must be an object such as {"level": "INFO", "file": "ddns.log"}`)
			return fc
		}
		if _, isList := v.([]any); !isList && k == "providers" && prefix == "" && v != nil {
			fc.err = raw{v: v, where: path, key: k}.fail("must be a list of provider objects")
			return fc
		}
		if sub, ok := v.(*Object); ok && k == "token" {
			fc.vals[k] = raw{v: sub, where: path, key: prefix + k, secret: true}
			continue
		} else if ok && isKnownKey(k) {
			fc.err = raw{v: sub, where: path, key: prefix + k, secret: isSecretKey(k)}.fail("must not be an object")
			return fc
		} else if ok && k != "providers" {
			for _, sk := range sub.Keys {
				add(k+"_"+sk, prefix+k+"."+sk, sub.Vals[sk], true)
			}
			continue
		}
		add(k, prefix+k, v, false)
	}
	return fc
}
