package resolve

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// The default sources of `public`, per family: DNS echoes of Cloudflare,
// Cisco OpenDNS, Google and Akamai and HTTP echoes of ipify and Amazon
// (IPv6: ipify, ip.sb, icanhazip), a different operator each, so that two
// agreeing answers never come from one operator's mistake. The first three
// are asked at once.
var defaultSources = map[Family][]string{
	V4: {
		"dns:whoami.cloudflare@1.1.1.1?type=TXT&class=CH",
		"dns:myip.opendns.com@resolver1.opendns.com",
		"url:https://api.ipify.org",
		"dns:o-o.myaddr.l.google.com@ns1.google.com?type=TXT",
		"url:http://checkip.amazonaws.com",
		"dns:whoami.akamai.net@ns1-1.akamaitech.net",
	},
	V6: {
		"dns:whoami.cloudflare@2606:4700:4700::1111?type=TXT&class=CH",
		"dns:myip.opendns.com@resolver1.opendns.com",
		"url:https://api6.ipify.org",
		"dns:o-o.myaddr.l.google.com@ns1.google.com?type=TXT",
		"url:https://api-ipv6.ip.sb/ip",
		"url:http://ipv6.icanhazip.com",
	},
}

// cnSources are the `"preset": "cn"` sets: echo services hosted in
// mainland China (ipw.cn, the original client's ddnsip.cn, 3322.net,
// ipip.net, NEU's IPv6 test) plus Cloudflare's DNS echo, whose anycast
// address answers there too.
var cnSources = map[Family][]string{
	V4: {
		"url:https://4.ipw.cn",
		"url:https://ipv4.ddnsip.cn",
		"url:http://ip.3322.net",
		"url:https://myip.ipip.net",
		"dns:whoami.cloudflare@1.1.1.1?type=TXT&class=CH",
	},
	V6: {
		"url:https://6.ipw.cn",
		"url:https://ipv6.ddnsip.cn",
		"url:https://speed.neu6.edu.cn/getIP.php",
		"dns:whoami.cloudflare@2606:4700:4700::1111?type=TXT&class=CH",
	},
}

// DefaultPublic returns the sources `public` asks by default for fam, in
// order. The result is a copy.
func DefaultPublic(fam Family) []string { return slices.Clone(defaultSources[fam]) }

func presetSources(preset string, fam Family) ([]string, error) {
	switch strings.ToLower(strings.TrimSpace(preset)) {
	case "", "default":
		return DefaultPublic(fam), nil
	case "cn":
		return slices.Clone(cnSources[fam]), nil
	}
	return nil, fmt.Errorf("unknown public preset %q (default, cn)", clip(preset, 40))
}

// cloudflare are Cloudflare's published ranges (cloudflare.com/ips) and
// its resolver addresses: an echo behind Cloudflare that answers one of
// these has answered with the CDN's address, not ours.
var cloudflare = prefixes(
	"1.1.1.0/24", "1.0.0.0/24", "173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22",
	"103.31.4.0/22", "141.101.64.0/18", "108.162.192.0/18", "190.93.240.0/20",
	"188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17", "162.158.0.0/15",
	"104.16.0.0/13", "104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
	"2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32",
	"2405:8100::/32", "2a06:98c0::/29", "2c0f:f248::/32",
)

// ownNetworks maps a source's host (a name suffix or an address) to the
// ranges of its operator.
var ownNetworks = []struct {
	hosts  []string
	ranges []netip.Prefix
}{
	{[]string{"cloudflare-dns.com", "one.one.one.one", "cloudflare.com", "1.1.1.1", "1.0.0.1",
		"2606:4700:4700::1111", "2606:4700:4700::1001"}, cloudflare},
}

func prefixes(s ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(s))
	for i, p := range s {
		out[i] = netip.MustParsePrefix(p)
	}
	return out
}

// ownRanges returns the known ranges of the operator behind host.
func ownRanges(host string) []netip.Prefix {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, n := range ownNetworks {
		for _, h := range n.hosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				return n.ranges
			}
		}
	}
	return nil
}

// checkOwn refuses an answer that is the source's own address: the
// server's (when known) or one of its operator's ranges.
func checkOwn(a, server netip.Addr, own []netip.Prefix) error {
	if server.IsValid() && a == server.Unmap() {
		return fmt.Errorf("answered %v, the server's own address", a)
	}
	for _, p := range own {
		if p.Contains(a) {
			return fmt.Errorf("answered %v, an address of the source's own network (%v)", a, p)
		}
	}
	return nil
}
