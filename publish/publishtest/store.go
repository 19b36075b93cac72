package publishtest

// Copies returns copies of the elements of list that keep accepts (all
// of them when keep is nil), in order: what a fake hands a test of its
// state, so that the test cannot change it behind the fake's lock, which
// the caller holds.
func Copies[R any](list []*R, keep func(*R) bool) []R {
	var out []R
	for _, r := range list {
		if keep == nil || keep(r) {
			out = append(out, *r)
		}
	}
	return out
}
