// Package providers links every DNS provider of this build into the
// publish registry: importing it for its side effects is all cmd/ddns
// does. One file per provider, so adding one touches no other file, and a
// trimmed build (a router image that needs one provider) drops the others
// by deleting their files. The callback and debug providers are linked
// here, in every build: `ddns notify --test` loads its configuration with
// debug standing in for the provider.
package providers

import (
	_ "github.com/ddns-go/ddns/publish/callback"
	_ "github.com/ddns-go/ddns/publish/debug"
)
