package platform

import (
	"context"
	"reflect"
	"sync"
	"testing"
)

// BenchmarkList is one listing of the machine's interfaces and addresses,
// what every round of a local rule costs; BenchmarkLister the same on a
// kept socket, as the agent lists.
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

func BenchmarkLister(b *testing.B) {
	ctx := context.Background()
	var l Lister
	defer l.Close()
	for b.Loop() {
		if _, err := l.List(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestListerKeepsItsSocket: a Lister answers as List does, from one
// socket, concurrently; after its socket fails it opens another.
func TestListerKeepsItsSocket(t *testing.T) {
	ctx := context.Background()
	var l Lister
	defer l.Close()
	want, err := List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := l.List(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(got.Interfaces, want.Interfaces) || len(got.Addrs) != len(want.Addrs) {
					t.Errorf("Lister gave %+v, List %+v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
	kept := l.c
	if kept == nil {
		t.Fatal("no socket kept after listing")
	}
	kept.Close() // the socket fails under the Lister
	if _, err := l.List(ctx); err == nil {
		t.Fatal("listing on a closed socket succeeded")
	}
	if _, err := l.List(ctx); err != nil {
		t.Fatalf("no new socket after a failure: %v", err)
	}
	if l.c == nil || l.c == kept {
		t.Error("the failed socket was kept")
	}
	if err := l.Close(); err != nil || l.c != nil {
		t.Errorf("Close: %v, socket %v", err, l.c)
	}
}
