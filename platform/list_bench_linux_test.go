package platform

import (
	"context"
	"testing"
)

// BenchmarkList is one listing of the machine's interfaces and addresses,
// what every round of a local rule costs.
//
//	go test ./platform -run '^$' -bench List -benchmem
func BenchmarkList(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := List(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
