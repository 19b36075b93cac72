package providers

import _ "github.com/ddns-go/ddns/publish/desec"
