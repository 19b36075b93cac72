package service

import "os"

// Windows has no SIGHUP or SIGUSR1: the service control handler asks for
// syncs instead.
func notifyReload(chan<- os.Signal)  {}
func notifySyncNow(chan<- os.Signal) {}
