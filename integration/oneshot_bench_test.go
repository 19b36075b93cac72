//go:build unix

package integration

import (
	"os/exec"
	"syscall"
	"testing"
)

// BenchmarkOneShot measures one whole one-shot run, process start to exit,
// with the debug provider and a shell rule: what cron runs every five
// minutes. It reports the peak resident memory of the child too.
//
//	go test ./integration -run '^$' -bench OneShot -benchtime 50x
func BenchmarkOneShot(b *testing.B) {
	bin := binary(b)
	dir := b.TempDir()
	var maxRSS int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "--dns", "debug", "--ipv4", "home.example.com", "--index4", "shell:echo 203.0.113.5", "--no-cache")
		cmd.Dir = dir
		cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin"}
		out, err := cmd.Output()
		if err != nil || string(out) != "[IPv4] 203.0.113.5\n" {
			b.Fatalf("run: %v %q", err, out)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && int64(ru.Maxrss) > maxRSS {
			maxRSS = int64(ru.Maxrss) // KiB on Linux
		}
	}
	b.ReportMetric(float64(maxRSS)/1024, "MiB-peak-RSS")
}
