package config

// raw is one setting as found in one source, before normalisation.
type raw struct {
	v     any    // nil, bool, Number, string, []any, []string, *Object
	where string // file name, "command line" or "environment"
	key   string // as the user spelled it: "ttl", "--ttl", "DDNS_TTL"
	cli   bool   // from the command line (list unwrapping applies)
	// secret marks a key whose value must never be shown (token, id,
	// password-like extras), set from the canonical key name.
	secret bool
}

func (r raw) fail(format string, a ...any) *Error {
	e := errorf(2, r.where, r.key, "", format, a...)
	e.Secret = r.secret || isSecretKey(r.key)
	if !e.Secret {
		e.Value = show(r.v)
	}
	return e
}

// layers is every source of one effective configuration, highest
// precedence first.
type layers struct {
	cli  map[string]raw
	file map[string]raw
	env  map[string]raw
}

// pick returns the value of key from the highest-precedence source that
// has it. A JSON null counts as present: it hides the environment.
func (l layers) pick(key string) (raw, bool) {
	for _, m := range []map[string]raw{l.cli, l.file, l.env} {
		if r, ok := m[key]; ok {
			return r, true
		}
	}
	return raw{}, false
}
