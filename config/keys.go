package config

import "slices"

// settingKeys are the per-configuration settings, in the original's order.
var settingKeys = []string{
	"dns", "id", "token", "endpoint", "index4", "index6", "ipv4", "ipv6",
	"ttl", "line", "proxy", "cache", "cache_max_age", "ssl",
	"log_level", "log_file", "log_format", "log_datefmt",
	"concurrency", // beyond the original: records published at once
}

// metaKeys are accepted in files but are not settings of their own here.
var metaKeys = map[string]bool{"$schema": true, "debug": true, "config": true, "command": true, "interval": true, "debounce": true, "extra": true,
	"status": true, "status_token": true, "notify": true, "heartbeat": true} // see Observe

func isKnownKey(k string) bool {
	return slices.Contains(settingKeys, k) || slices.Contains(publicKeys, k)
}

// reservedExtra are parameter names of the provider call itself; an extra
// of that name crashed every update of the original (B16).
var reservedExtra = map[string]bool{"domain": true, "value": true, "record_type": true, "ttl": true, "line": true}
