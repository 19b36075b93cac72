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

// TokenOnly checks the settings of a provider authenticated by a token
// alone: id empty, token set (token says what it is), endpoint empty or
// an http(s) URL. It returns the base URL (def when no endpoint is set);
// errors start with the provider's name.
func TokenOnly(name string, s Settings, def, token string) (string, error) {
	if s.ID != "" {
		return "", fmt.Errorf("%s: id must be empty: the service needs only a token", name)
	}
	if strings.TrimSpace(s.Token) == "" {
		return "", fmt.Errorf("%s: token must be configured (%s)", name, token)
	}
	base, err := BaseURL(s.Endpoint, def)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return base, nil
}
