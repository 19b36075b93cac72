package publish

// Extra holds additional provider parameters in the order the user wrote
// them. Order matters: some providers append them to signed request bodies
// and the callback provider substitutes them in sequence.
type Extra []KV

// KV is one extra parameter. Value keeps its source type: string, bool,
// float64 or json.Number from JSON files, string from the command line and
// the environment, true for a bare --extra.<key> flag.
type KV struct {
	Key   string
	Value any
}

// Get returns the value of key and whether it is present.
func (e Extra) Get(key string) (any, bool) {
	for _, kv := range e {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return nil, false
}

// Set replaces the value of key in place, or appends it.
func (e Extra) Set(key string, v any) Extra {
	for i := range e {
		if e[i].Key == key {
			e[i].Value = v
			return e
		}
	}
	return append(e, KV{key, v})
}

// Merge returns e overridden key by key by o; the result is a new slice.
func (e Extra) Merge(o Extra) Extra {
	out := append(Extra(nil), e...)
	for _, kv := range o {
		out = out.Set(kv.Key, kv.Value)
	}
	return out
}
