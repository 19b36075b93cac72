package publish

import (
	"fmt"
	"net/url"
	"strings"
)

// BaseURL returns endpoint, or def when it is empty, without a trailing
// slash (the original's requests would otherwise start "//"); an
// endpoint that is not an http(s) URL is an error naming it.
func BaseURL(endpoint, def string) (string, error) {
	if endpoint == "" {
		endpoint = def
	}
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("endpoint %q is not an http(s) URL", endpoint)
	}
	return strings.TrimSuffix(endpoint, "/"), nil
}
