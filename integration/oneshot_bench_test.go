//go:build unix

package integration

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkOneShot measures one whole one-shot run, process start to exit,
// with the debug provider and a shell rule: what cron runs every five
// minutes. It also reports the run's peak resident memory, measured by GNU
// time when it is installed (apt-get install time): the kernel carries a
// process's peak RSS across exec, so a child started from the (large) test
// process would report the test's memory, not its own.
//
//	go test ./integration -run '^$' -bench OneShot -benchtime 50x
func BenchmarkOneShot(b *testing.B) {
	bin := binary(b)
	dir := b.TempDir()
	args := []string{"--dns", "debug", "--ipv4", "home.example.com", "--index4", "shell:echo 203.0.113.5", "--no-cache"}
	timeBin, _ := exec.LookPath("/usr/bin/time")
	var maxRSS int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin"}
		out, err := cmd.Output()
		if err != nil || string(out) != "[IPv4] 203.0.113.5\n" {
			b.Fatalf("run: %v %q", err, out)
		}
	}
	b.StopTimer()
	if timeBin == "" {
		return
	}
	for i := 0; i < 10; i++ {
		cmd := exec.Command(timeBin, append([]string{"-f", "%M", bin}, args...)...)
		cmd.Dir = dir
		cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin"}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if kb, err := strconv.Atoi(lines[len(lines)-1]); err == nil && kb > maxRSS {
			maxRSS = kb
		}
	}
	b.ReportMetric(float64(maxRSS)/1024, "MiB-peak-RSS")
}
