// Package service installs ddns as an unattended service: a systemd unit,
// an OpenWrt procd init script (with an interface hotplug hook), a launchd
// daemon, a Windows service, or — where there is no service manager — a
// cron entry running the one-shot command, like the original client.
//
// Every operation is built as a Plan first (which changes nothing), so it
// can be shown with --dry-run, carried out step by step with each step
// printed, and rolled back when a step fails. Everything the package
// touches goes through a Host: file paths are prefixed with Host.Root and
// every command goes through Host.Runner, so tests never touch the machine.
//
// No secret ever lands in what is installed: services are given only the
// path of the configuration file (-c FILE), which they read themselves.
package service
