package publishtest_test

import (
	"slices"
	"testing"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// TestStore: records are filed by zone and host, the apex under either
// spelling; Held finds a name in its longest zone, HeldAnywhere in every
// zone holding it; Delete removes what Values shows.
func TestStore(t *testing.T) {
	s := publishtest.NewStore("@", 100)
	s.AddZone("example.com")
	s.AddZone("b.example.com")
	apex := s.Insert("example.com", publishtest.Record{Host: "", Type: "A", Value: "192.0.2.1"})
	long := s.Insert("example.com", publishtest.Record{Host: "a.b", Type: "A", Value: "192.0.2.2"})
	s.Insert("b.example.com", publishtest.Record{Host: "a", Type: "A", Value: "192.0.2.3"})
	if apex != "101" || long != "102" {
		t.Errorf("ids %s, %s, want 101, 102", apex, long)
	}
	if got := s.Records("example.com", "@", "A"); len(got) != 1 || got[0].Host != "@" || got[0].Value != "192.0.2.1" {
		t.Errorf("apex records %+v", got)
	}
	r, _ := s.Find("example.com", long)
	r.ID, r.Value = s.NewID(), "192.0.2.4"
	if !s.Replace("example.com", long, r) || s.Replace("example.com", long, r) {
		t.Errorf("Replace: want the old id replaced once")
	}
	values, _ := s.Held()
	if got := values("a.b.example.com", "A"); !slices.Equal(got, []string{"192.0.2.3"}) {
		t.Errorf("Held: %q, want the longest zone's record", got)
	}
	anywhere, del := s.HeldAnywhere()
	if got := anywhere("a.b.example.com", "A"); !slices.Equal(got, []string{"192.0.2.4", "192.0.2.3"}) {
		t.Errorf("HeldAnywhere: %q, want both zones' records, shortest zone first", got)
	}
	del("a.b.example.com", "A")
	if got := anywhere("a.b.example.com", "A"); len(got) != 0 {
		t.Errorf("after Delete: %q", got)
	}
	if got, ok := s.List("example.com"); !ok || len(got) != 1 {
		t.Errorf("List: %+v, %v, want the apex record left", got, ok)
	}
	s.DeleteZone("b.example.com")
	if s.HasZone("b.example.com") {
		t.Errorf("the deleted zone is still held")
	}
}
