package config

import (
	"strings"
)

// envIgnored are DDNS_* variables of the original that are not
// configuration keys here, with what to do instead; each set one is warned
// about once, by name.
var envIgnored = map[string]string{
	"cron":     "it scheduled the original's Docker image; `ddns watch` reacts to changes itself (poll period: --interval)",
	"debug":    "use --debug",
	"interval": `set "interval" in the file or --interval`,
	"command":  "it is internal to the original",
	"extra":    "set each provider parameter as DDNS_EXTRA_<NAME>",
}

// envSource is what the environment contributes.
type envSource struct {
	vals     map[string]raw
	extra    []cliExtra
	config   *raw           // DDNS_CONFIG
	observe  map[string]raw // DDNS_STATUS, DDNS_NOTIFY, … (see Observe)
	mapped   bool           // any DDNS_* variable is set, even empty or unknown
	warnings []string
}

// readEnv maps DDNS_<KEY> variables in any case: the prefix is stripped,
// the rest lower-cased, dots become underscores. Values are trimmed; a value
// in brackets is parsed as a JSON array (Python literal syntax accepted).
// PYTHONHTTPSVERIFY is the original's fallback for ssl.
func readEnv(environ []string) envSource {
	es := envSource{vals: map[string]raw{}, observe: map[string]raw{}}
	var pyVerify *raw
	for _, kv := range environ {
		name, val, _ := strings.Cut(kv, "=")
		upper := strings.ToUpper(name)
		if upper == "PYTHONHTTPSVERIFY" {
			pyVerify = &raw{v: strings.TrimSpace(val), where: "environment", key: name}
			continue
		}
		if !strings.HasPrefix(upper, "DDNS_") {
			continue
		}
		key := strings.ReplaceAll(strings.ToLower(name[5:]), ".", "_")
		// The observe settings configure no record: DDNS_STATUS alone (the
		// container image sets it for its health check) keeps the first run.
		es.mapped = es.mapped || !observeKeys[key]
		r := raw{v: envValue(strings.TrimSpace(val)), where: "environment", key: name, secret: isSecretKey(key)}
		switch {
		case key == "config":
			es.config = &r
		case strings.HasPrefix(key, "extra_") && len(key) > 6:
			es.extra = append(es.extra, cliExtra{key[6:], r.v, "environment"})
		case key == "":
		case envIgnored[key] != "":
			es.warnings = append(es.warnings, "environment: "+name+" is not used by this program: "+envIgnored[key])
		case observeKeys[key]:
			es.observe[key] = r
		case isKnownKey(key):
			es.vals[key] = r
		default:
			hint := " (provider parameters go in DDNS_EXTRA_<NAME>)"
			if c := closest(key, settingKeys); c != "" {
				hint = " (did you mean DDNS_" + strings.ToUpper(c) + "?)"
			}
			es.warnings = append(es.warnings, "environment: unknown variable "+clip(name, maxKey)+" ignored"+hint)
		}
	}
	if _, ok := es.vals["ssl"]; !ok && pyVerify != nil {
		es.vals["ssl"] = *pyVerify
	}
	return es
}

// envValue parses a bracketed value as a list; anything else stays text.
func envValue(s string) any {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if v, err := ParseJSONC([]byte(s)); err == nil {
			return v
		}
	}
	return s
}
