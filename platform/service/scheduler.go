package service

import (
	"context"
	"fmt"
)

// Scheduler is one way of running ddns unattended.
type Scheduler interface {
	// Name is the --scheduler value that selects it.
	Name() string
	// Installed reports whether ddns is installed with this scheduler.
	// It changes nothing.
	Installed(ctx context.Context) (bool, error)
	// Status reports what is installed and its state. It changes nothing.
	Status(ctx context.Context) (Status, error)
	// Install plans writing the definition of spec's service and starting
	// it. Installing again gives the same files and restarts the service.
	Install(spec Spec) (*Plan, error)
	// Uninstall plans stopping the service and removing what Install wrote.
	Uninstall() (*Plan, error)
	// Enable plans starting the service now and at boot.
	Enable() (*Plan, error)
	// Disable plans stopping the service and keeping it from starting at
	// boot, leaving it installed.
	Disable() (*Plan, error)
}

// Scheduler names, as given to --scheduler.
const (
	Auto    = "auto"
	Systemd = "systemd"
	Procd   = "procd"
	Launchd = "launchd"
	Windows = "windows"
	Cron    = "cron"
)

// Names are the schedulers New knows, auto first.
var Names = []string{Auto, Systemd, Procd, Launchd, Windows, Cron}

// New returns the scheduler called name on h; Auto picks Detect(h).
func New(name string, h Host) (Scheduler, error) {
	if name == Auto {
		name = Detect(h)
	}
	switch name {
	case Systemd:
		return systemd{h}, nil
	case Procd:
		return procd{h}, nil
	case Launchd:
		return launchd{h}, nil
	case Windows:
		return winService{h}, nil
	case Cron:
		return cron{h}, nil
	}
	return nil, fmt.Errorf("unknown scheduler %q (choose from auto, systemd, procd, launchd, windows, cron)", name)
}

// Detect names the service manager of h: windows and launchd by operating
// system; systemd when it is running (/run/systemd/system exists, as
// sd_booted(3) checks — an installed systemctl alone proves nothing in a
// container); procd on OpenWrt; else cron.
func Detect(h Host) string {
	switch {
	case h.GOOS == "windows":
		return Windows
	case h.GOOS == "darwin":
		return Launchd
	case h.exists("/run/systemd/system"):
		return Systemd
	case h.exists("/sbin/procd") || h.exists("/etc/openwrt_release"):
		return Procd
	}
	return Cron
}

// UnavailableError is a scheduler that does not exist or does not run on
// the host: `ddns task` says so before it writes anything.
type UnavailableError struct {
	Scheduler string
	Reason    string
	// WrongOS is set when the scheduler belongs to another operating
	// system: nothing about it can be rendered or checked here.
	WrongOS bool
	// Instead is what Detect picks on this host.
	Instead string
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("--scheduler %s: %s; --scheduler auto picks %s here", e.Scheduler, e.Reason, e.Instead)
}

// Available reports whether the scheduler called name can run services on
// h, with the reason when it cannot. Cron is taken as available: the
// crontab command says otherwise when it runs.
func Available(name string, h Host) error {
	fail := func(reason string, wrongOS bool) error {
		return &UnavailableError{Scheduler: name, Reason: reason, WrongOS: wrongOS, Instead: Detect(h)}
	}
	switch name {
	case Windows:
		if h.GOOS != "windows" {
			return fail("the Windows service manager exists only on Windows, this is "+h.GOOS, true)
		}
	case Launchd:
		if h.GOOS != "darwin" {
			return fail("launchd exists only on macOS, this is "+h.GOOS, true)
		}
	case Systemd:
		if h.GOOS != "linux" {
			return fail("systemd exists only on Linux, this is "+h.GOOS, true)
		}
		if !h.exists("/run/systemd/system") {
			return fail("systemd is not running on this host (no /run/systemd/system: PID 1 is another init, or this is a container)", false)
		}
	case Procd:
		if h.GOOS != "linux" {
			return fail("procd exists only on OpenWrt, this is "+h.GOOS, true)
		}
		if !h.exists("/sbin/procd") && !h.exists("/etc/openwrt_release") {
			return fail("procd runs only on OpenWrt (no /sbin/procd, no /etc/openwrt_release)", false)
		}
	}
	return nil
}
