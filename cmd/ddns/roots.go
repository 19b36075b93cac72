package main

// Routers without a CA bundle (OpenWrt images without ca-bundle) are why
// the original had ssl "auto", which retried without verification and so
// handed the token to anyone on the path. This package makes crypto/x509
// use Mozilla's roots built into the binary, but only where the system has
// none, so "auto" can always verify (#11).
import _ "golang.org/x/crypto/x509roots/fallback"
