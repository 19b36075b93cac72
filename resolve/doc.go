// Package resolve answers "what is my address now?". The user's index4 and
// index6 rules are parsed once, at configuration load, into Rules (Parse,
// ParseWith); each evaluation tries them in order and the first that
// yields an address of the right family wins.
//
// A rule that yields nothing means "unknown this round", never "remove the
// record": its error wraps ErrNoAddress and says why, callers keep the
// published record and try again later. No rule ever returns the zero
// address as a success.
//
// # Rules
//
//	N               the N-th (0-based) usable address of the family: interfaces
//	                by index, then each interface's addresses in OS order
//	local           the same as 0
//	default         the source address of the route to the internet (a UDP
//	                socket is connected, no packet is sent); for IPv6 a
//	                temporary or deprecated pick is replaced by the preferred
//	                usable address of the same interface
//	public          the address Options.Public's sources (by default
//	                DefaultPublic) agree on, asked hedged; non-public answers
//	                are failures, a disagreement yields nothing
//	url:URL         the first address of the family in a 2xx answer's body
//	                (not an HTML page, at most 1 KiB)
//	dns:NAME@SERVER[:PORT][?type=TXT&class=CH]
//	                ask SERVER directly (UDP, TCP when truncated) over the
//	                family's transport: A/AAAA, or the address in a TXT answer
//	doh:URL#NAME[?type=…&class=…&method=GET]
//	                the same over DNS-over-HTTPS (RFC 8484)
//	regex:PATTERN   the first address, in listing order, whose text (lower
//	                case, compressed) PATTERN (RE2) matches at its start
//	cmd:COMMAND     run COMMAND, split into words like a shell would but
//	                without one; the first address of the family in stdout
//	shell:COMMAND   the same through /bin/sh -c (cmd.exe /C on Windows)
//	iface:NAME      the preferred usable address of interface NAME
//	NAME            the same, if an interface NAME exists at load time
//	prefix:IFACE[/LEN]+SUFFIX
//	                IPv6 only: the first LEN bits (default 64) of IFACE's
//	                preferred usable address, then the rest of SUFFIX: an
//	                address such as ::1234 (no bits inside the prefix), or
//	                mac:MAC / mac:IFACE2 for the modified EUI-64 host part
//	                of a MAC address (LEN at most 64)
//	ADDRESS         that literal address
//	false, none     alone: the family is disabled
//
// Usable means: not loopback, not link-local, on an interface that is up,
// and accepted by the selection policy. Words and prefixes are
// case-sensitive, as in the original client; a negative index, an unknown
// word, a bad pattern, an empty command or a bad option is a parse error.
//
// # Selection policy
//
// The rules that read interface addresses (N, local, default, regex:,
// iface:, NAME, prefix:) take options after a "?", joined by "&":
//
//	iface:eth0?temporary=true&ula=true
//
//	temporary=true   also accept IPv6 privacy (temporary) addresses
//	deprecated=true  also accept deprecated addresses (preferred lifetime over)
//	ula=true         also accept IPv6 unique local addresses (fc00::/7)
//
// Values are true/false, yes/no, on/off or 1/0. Tentative and DAD-failed
// addresses are never accepted. By default all three are refused, except
// that default accepts ULA (it is the kernel's pick) and regex: accepts
// ULA, loopback and link-local (the pattern is the user's choice). For
// regex: the options start at the last "?" followed by key=value pairs, so
// patterns may use "?" themselves.
//
// Among accepted addresses default, iface:, NAME and prefix: prefer current
// over deprecated, stable over temporary and global over ULA, then the
// listing order; N and regex: take the listing order as it is.
//
// # Machine and network access
//
// Options supply the interface Lister (platform.List by default), the HTTP
// client, the shared public detector and the timeout (DefaultTimeout) that bounds
// every HTTP request, command and listing on top of the caller's context.
// Rules.Deps reports which interfaces, routes and timers can change an
// answer, for the reactor.
package resolve
