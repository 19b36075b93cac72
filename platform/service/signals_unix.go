//go:build !windows

package service

import (
	"os"
	"os/signal"
	"syscall"
)

func notifyReload(c chan<- os.Signal)  { signal.Notify(c, syscall.SIGHUP) }
func notifySyncNow(c chan<- os.Signal) { signal.Notify(c, syscall.SIGUSR1) }
