package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// watchProc is `ddns watch -c cfg` started in dir with a clean environment
// (no DDNS_* of the machine's), its stderr captured.
type watchProc struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan error // receives Wait's result once
}

// startWatch starts the agent; a test that does not stop it has it killed
// at the end.
func startWatch(t *testing.T, dir, cfg string) *watchProc {
	t.Helper()
	p := &watchProc{cmd: exec.Command(binary(t), "watch", "-c", cfg), stderr: &syncBuffer{}, exited: make(chan error, 1)}
	p.cmd.Dir = dir
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}
