package publish

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Info describes a provider for users: `ddns providers`, the table in docs/providers.md and
// error messages.
type Info struct {
	Name    string   // canonical name, as the CLI's --dns accepts it
	Aliases []string // other names accepted in JSON and the environment (any case)
	ID      string   // what `id` means for this provider
	Token   string   // what `token` means
	Creates bool     // can create a missing record
	TTL     bool     // sends the configured TTL
	Line    bool     // sends the configured line
	// Readable providers find the record before writing and skip the
	// write when it is current: re-verifying costs reads only. Others
	// (dyndns-style, webhooks) write on every Set.
	Readable bool
	// Rate is the request rate ddns keeps to, per second, below the API's
	// published limit; 0 = DefaultRate.
	Rate float64
}

// DefaultRate is the request rate for providers that publish no limit:
// gentle enough for any API, fast enough for hundreds of records a minute.
const DefaultRate = 5

// known lists every provider name of the original client, implemented or
// not, so that configuration validation is exact from the first release:
// an unknown name is a configuration error, a known one not built into this
// binary is a clear runtime error.
var known = []Info{
	{Name: "alidns", Aliases: []string{"aliyun"}},
	{Name: "aliesa", Aliases: []string{"esa"}},
	{Name: "callback", Aliases: []string{"webhook", "http"}},
	{Name: "cloudflare"},
	{Name: "cloudns"},
	{Name: "debug", Aliases: []string{"print"}},
	{Name: "dnscom", Aliases: []string{"51dns", "dns_com"}},
	{Name: "dnspod", Aliases: []string{"dnspod_cn"}},
	{Name: "dnspod_com", Aliases: []string{"dnspod_global"}},
	{Name: "desec"},   // beyond the original
	{Name: "duckdns"}, // beyond the original
	{Name: "dyndns2", Aliases: []string{"dyndns", "ddns2"}}, // beyond the original: any dyndns2-protocol service
	{Name: "edgeone", Aliases: []string{"edgeone_acc", "teo_acc", "teo"}},
	{Name: "edgeone_dns", Aliases: []string{"teo_dns", "edgeone_noacc"}},
	{Name: "he", Aliases: []string{"he_net"}},
	{Name: "hetzner"}, // beyond the original
	{Name: "huaweidns", Aliases: []string{"huawei", "huaweicloud"}},
	{Name: "namesilo", Aliases: []string{"namesilo_com"}},
	{Name: "noip", Aliases: []string{"no-ip", "noip_com"}},
	{Name: "tencentcloud", Aliases: []string{"tencent", "qcloud"}},
	{Name: "west", Aliases: []string{"west_cn", "35cn"}},
}

// registry is the one piece of package-level mutable state: filled by the
// providers' init functions, read afterwards.
var registry = struct {
	sync.RWMutex
	m map[string]entry
}{m: map[string]entry{}}

type entry struct {
	info    Info
	factory Factory
}

// Register makes a provider available under info.Name and its aliases. It
// panics on a duplicate name: that is a programming error caught by any test.
func Register(info Info, f Factory) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.m[info.Name]; dup {
		panic("publish: provider registered twice: " + info.Name)
	}
	registry.m[info.Name] = entry{info, f}
}

// Canonical maps any accepted spelling of a provider name (any case, any
// alias) to its canonical name. ok is false for names the original client
// does not know either.
func Canonical(name string) (canonical string, ok bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, k := range known {
		if k.Name == n {
			return k.Name, true
		}
		for _, a := range k.Aliases {
			if a == n {
				return k.Name, true
			}
		}
	}
	return "", false
}

// Names returns the exact, case-sensitive choices the --dns flag accepts,
// sorted: every canonical name plus "51dns", which the original's command
// line also lists.
func Names() []string {
	out := []string{"51dns"}
	for _, k := range known {
		out = append(out, k.Name)
	}
	sort.Strings(out)
	return out
}

// New builds the provider called name (any accepted spelling).
func New(name string, s Settings) (Provider, error) {
	c, ok := Canonical(name)
	if !ok {
		return nil, fmt.Errorf("unknown DNS provider %q", name)
	}
	registry.RLock()
	e, ok := registry.m[c]
	registry.RUnlock()
	if !ok {
		return nil, fmt.Errorf("DNS provider %q is not available in this build yet", c)
	}
	return e.factory(s)
}

// InfoOf returns the Info of the provider called name (any accepted
// spelling), if it is built into this binary.
func InfoOf(name string) (Info, bool) {
	c, ok := Canonical(name)
	if !ok {
		return Info{}, false
	}
	registry.RLock()
	defer registry.RUnlock()
	e, ok := registry.m[c]
	return e.info, ok
}

// Registered returns the Info of every provider built into this binary,
// sorted by name.
func Registered() []Info {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]Info, 0, len(registry.m))
	for _, e := range registry.m {
		info := e.info
		for _, k := range known {
			if k.Name == info.Name && info.Aliases == nil {
				info.Aliases = k.Aliases
			}
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
