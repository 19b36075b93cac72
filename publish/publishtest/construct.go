package publishtest

import (
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish"
)

// Constructor describes a provider's constructor for ExpectNew.
type Constructor struct {
	Build func(publish.Settings) (publish.Provider, error)
	// NoID and NoToken are the errors of settings without an id, without
	// a token (the other one set).
	NoID, NoToken string
	// Names are the registry names (aliases) that must select the
	// provider.
	Names []string
}

// Construction is settings and the error they must give ("" = none).
type Construction struct {
	Settings publish.Settings
	Err      string
}

// ExpectNew checks a provider's constructor: an id and a token are
// required, every name selects it, each case gives its error (containing
// Err, starting with the provider's name) or none.
func ExpectNew(t *testing.T, c Constructor, cases ...Construction) {
	t.Helper()
	cases = append(cases, Construction{publish.Settings{Token: "k"}, c.NoID}, Construction{publish.Settings{ID: "i"}, c.NoToken},
		Construction{publish.Settings{ID: "i", Token: "k"}, ""})
	for _, tc := range cases {
		_, err := c.Build(tc.Settings)
		name, _, _ := strings.Cut(c.NoID, ":")
		if tc.Err == "" && err != nil || tc.Err != "" && (err == nil || !strings.Contains(err.Error(), tc.Err) || !strings.HasPrefix(err.Error(), name+": ")) {
			t.Errorf("%+v: %v, want %q", tc.Settings, err, tc.Err)
		}
	}
	for _, n := range c.Names {
		if _, err := publish.New(n, publish.Settings{ID: "id", Token: "key"}); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}
