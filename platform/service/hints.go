package service

import "fmt"

// Hints are the commands a user wants next after installing with the
// scheduler name: where the logs are, how to look at and poke the service.
func Hints(name string, spec Spec) []string {
	switch name {
	case Systemd:
		return []string{
			"status: systemctl status ddns    logs: journalctl -u ddns -f",
			"sync now: systemctl kill -s USR1 ddns    re-read the configuration: systemctl reload ddns",
		}
	case Procd:
		return []string{
			"logs: logread -e " + procdName + "    re-read the configuration: " + procdScript + " reload",
			"sync now: kill -USR1 $(pidof " + baseName(spec.Exe) + ")",
		}
	case Launchd:
		return []string{
			"status: launchctl print " + launchdJob + "    logs: " + launchdLog,
			"sync now: launchctl kill SIGUSR1 " + launchdJob + "    re-read the configuration: launchctl kill SIGHUP " + launchdJob,
		}
	case Windows:
		return []string{
			"status: sc.exe query " + winName + "    logs: Event Viewer, Windows Logs > Application, source " + winName,
		}
	case Cron:
		return []string{fmt.Sprintf("runs `ddns -c …` every %d minutes as this user; list: crontab -l", spec.Interval)}
	}
	return nil
}

// baseName is the last element of a slash- or backslash-separated path.
func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' || p[i] == '\\' {
			return p[i+1:]
		}
	}
	return p
}
