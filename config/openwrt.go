package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Import from OpenWrt's ddns-scripts: its /etc/config/ddns holds one
// `config service` section per record, naming a service from its services
// list and the update script's credentials. ImportOpenWrt turns each
// service with an equivalent provider here into a `config ddns` section of
// this agent's UCI file.

// openwrtService maps a ddns-scripts service_name to a provider, and says
// how its username/password become id/token.
type openwrtService struct {
	provider string
	noID     bool   // the provider takes no id (ddns-scripts' username is informational)
	endpoint string // dyndns2 servers reached through the noip provider
}

var openwrtServices = map[string]openwrtService{
	"cloudflare.com-v4": {provider: "cloudflare"},
	"aliyun.com":        {provider: "alidns"},
	"dnspod.cn":         {provider: "dnspod"},
	"dnspod.cn-v3":      {provider: "tencentcloud"},
	"tencentcloud.com":  {provider: "tencentcloud"},
	"huaweicloud.com":   {provider: "huaweidns"},
	"he.net":            {provider: "he", noID: true},
	"namesilo.com":      {provider: "namesilo", noID: true},
	"no-ip.com":         {provider: "noip"},
	"noip.com":          {provider: "noip"},
	"dyn.com":           {provider: "noip", endpoint: "https://members.dyndns.org"},
	"dyndns.org":        {provider: "noip", endpoint: "https://members.dyndns.org"},
}

// Import is the outcome of ImportOpenWrt.
type Import struct {
	UCI     []byte   // the converted file, for /etc/config/ddns-agent
	Skipped []string // one line per service that could not be converted
	Notes   []string // conversions worth a look (approximations)
}

// ImportOpenWrt converts the text of ddns-scripts' UCI file.
func ImportOpenWrt(path string, data []byte) (*Import, error) {
	sections, err := ParseUCI(path, data)
	if err != nil {
		return nil, err
	}
	imp := &Import{}
	var b strings.Builder
	fmt.Fprintf(&b, "# Converted from %s by `ddns import-openwrt`.\n", path)
	interval := 0
	var body strings.Builder
	used := map[string]bool{}
	n := 0
	for _, s := range sections {
		if s.Type != "service" {
			continue
		}
		ref := s.Ref(n)
		n++
		get := func(k string) string { v, _ := s.Get(k); return strings.TrimSpace(v) }
		name := get("service_name")
		svc, ok := openwrtServices[name]
		switch {
		case get("update_url") != "" || get("update_script") != "":
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("service '%s': a custom update_url/update_script has no equivalent provider", ref))
			continue
		case !ok:
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("service '%s': service_name %q has no equivalent provider (see `ddns providers`)", ref, name))
			continue
		}
		domain := openwrtDomain(get("domain"), get("lookup_host"))
		if domain == "" {
			imp.Skipped = append(imp.Skipped, fmt.Sprintf("service '%s': no domain or lookup_host", ref))
			continue
		}
		family, index := "ipv4", "index4"
		if b, _, isBool := asBoolish(get("use_ipv6")); isBool && b {
			family, index = "ipv6", "index6"
		}
		rule, note := openwrtRule(s, family)
		if note != "" {
			imp.Notes = append(imp.Notes, fmt.Sprintf("service '%s': %s", ref, note))
		}
		id := get("username")
		if svc.provider == "cloudflare" && !strings.Contains(id, "@") {
			id = "" // "Bearer" or empty: the password is an API token
		}
		if svc.noID {
			id = ""
		}
		secname := uciSectionName(s.Name, n, used)
		fmt.Fprintf(&body, "\nconfig ddns '%s'\n", secname)
		if e, isBool := openwrtEnabled(get("enabled")); isBool && !e {
			body.WriteString("\toption enabled '0'\n")
		}
		uciOption(&body, "option", "dns", svc.provider)
		if id != "" {
			uciOption(&body, "option", "id", id)
		}
		uciOption(&body, "option", "token", get("password"))
		if svc.endpoint != "" {
			uciOption(&body, "option", "endpoint", svc.endpoint)
		}
		uciOption(&body, "list", family, domain)
		uciOption(&body, "option", index, rule)
		if family == "ipv4" {
			uciOption(&body, "option", "index6", "false")
		} else {
			uciOption(&body, "option", "index4", "false")
		}
		if p := get("proxy"); p != "" {
			if !strings.Contains(p, "://") {
				p = "http://" + p
			}
			uciOption(&body, "option", "proxy", p)
		}
		switch c := get("cacert"); {
		case c == "IGNORE":
			uciOption(&body, "option", "ssl", "false")
		case c != "":
			uciOption(&body, "option", "ssl", c)
		}
		if m := openwrtMinutes(get("check_interval"), get("check_unit")); m > 0 && (interval == 0 || m < interval) {
			interval = m
		}
	}
	if n == 0 {
		return nil, &Error{Where: path, Msg: "no `config service` section: this is not a ddns-scripts file", Code: 2}
	}
	if body.Len() == 0 {
		return imp, nil
	}
	b.WriteString("\nconfig global\n")
	if interval > 0 {
		// ddns-scripts polls every check_interval; the reactor reacts to
		// events and polls only what events cannot reveal, at this period.
		uciOption(&b, "option", "interval", strconv.Itoa(interval))
	}
	b.WriteString(body.String())
	imp.UCI = []byte(b.String())
	return imp, nil
}

// openwrtDomain turns ddns-scripts' "host@zone" (its way of naming the
// zone) into "host~zone", the explicit split here; a plain name is kept.
func openwrtDomain(domain, lookup string) string {
	if domain == "" {
		domain = lookup
	}
	host, zone, ok := strings.Cut(domain, "@")
	switch {
	case !ok:
		return strings.ToLower(domain)
	case host == "":
		return strings.ToLower(zone)
	}
	return strings.ToLower(host + "~" + zone)
}

// openwrtRule converts ip_source and its companion option to an address
// rule, with a note where the meaning is close but not the same.
func openwrtRule(s UCISection, family string) (rule, note string) {
	get := func(k string) string { v, _ := s.Get(k); return strings.TrimSpace(v) }
	switch src := get("ip_source"); src {
	case "", "network":
		netName := get("ip_network")
		if netName == "" {
			netName = get("interface")
		}
		// A logical network (wan) is no kernel device; the address of the
		// default route is the same one on a router whose WAN carries it.
		return "default", fmt.Sprintf("ip_network %q became rule \"default\" (the address of the default route); pin a device with iface:DEVICE (e.g. iface:pppoe-wan) if that is not %s's", orText(netName, "wan"), orText(netName, "wan"))
	case "interface":
		if dev := get("ip_interface"); dev != "" {
			return "iface:" + dev, ""
		}
		return "default", "ip_source 'interface' without ip_interface became rule \"default\""
	case "web":
		if u := get("ip_url"); u != "" {
			return "url:" + u, ""
		}
		return "public", ""
	case "script":
		if sc := get("ip_script"); sc != "" {
			return "cmd:" + sc, ""
		}
		return "default", "ip_source 'script' without ip_script became rule \"default\""
	default:
		return "default", fmt.Sprintf("unknown ip_source %q became rule \"default\"", src)
	}
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func openwrtEnabled(v string) (bool, bool) {
	if v == "" {
		return false, false
	}
	b, _, isBool := asBoolish(v)
	return b, isBool
}

// openwrtMinutes converts check_interval/check_unit (ddns-scripts' default
// is 10 minutes) to the reactor's interval, within its 1..1440 range.
func openwrtMinutes(v, unit string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0
	}
	switch unit {
	case "seconds":
		n = (n + 59) / 60
	case "hours":
		n *= 60
	case "days":
		n *= 1440
	}
	return min(max(n, 1), 1440)
}

// uciSectionName keeps the section's name when it is a valid UCI name.
func uciSectionName(name string, n int, used map[string]bool) string {
	if name == "" || !uciName(name) || used[name] {
		name = "service" + strconv.Itoa(n)
	}
	used[name] = true
	return name
}

// uciOption writes one option line with the value single-quoted the way
// `uci export` does: a single quote becomes '\”.
func uciOption(b *strings.Builder, kind, name, value string) {
	fmt.Fprintf(b, "\t%s %s '%s'\n", kind, name, strings.ReplaceAll(value, "'", `'\''`))
}

// OpenWrtServices lists the ddns-scripts service names ImportOpenWrt
// converts, for help text.
func OpenWrtServices() []string {
	out := make([]string, 0, len(openwrtServices))
	for k := range openwrtServices {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
