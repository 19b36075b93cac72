package main

import _ "github.com/ddns-go/ddns/publish/hetzner"
