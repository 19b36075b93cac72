package watch

import (
	"testing"
	"time"
)

func TestClockJumped(t *testing.T) {
	tests := []struct {
		wall, mono time.Duration
		jumped     bool
	}{
		{15 * time.Second, 15 * time.Second, false},                      // nothing happened
		{15*time.Second + 200*time.Millisecond, 15 * time.Second, false}, // NTP slewing
		{2 * time.Hour, 15 * time.Second, true},                          // resumed after a suspend
		{-time.Minute, 15 * time.Second, true},                           // clock set back
	}
	for _, tc := range tests {
		if _, got := clockJumped(tc.wall, tc.mono); got != tc.jumped {
			t.Errorf("clockJumped(%v, %v) = %v, want %v", tc.wall, tc.mono, got, tc.jumped)
		}
	}
}
