package main

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/ddns-go/ddns/config"
	"github.com/ddns-go/ddns/platform/service"
)

// runTask is `ddns task` (platform/service.Task) on this machine.
func runTask(ctx context.Context, args []string, environ []string, stdout, stderr io.Writer) int {
	return taskMain(ctx, args, service.SystemTask(environ, nil), stdout, stderr)
}

// taskMain runs `ddns task` on t's machine, checking configurations with
// this program's loader.
func taskMain(ctx context.Context, args []string, t service.Task, stdout, stderr io.Writer) int {
	t.Load = loadServiceConfig
	return t.Run(ctx, args, stdout, stderr)
}

// loadServiceConfig loads the configuration file at path as the service
// will: on its own, without DDNS_* variables, flags or remote files.
func loadServiceConfig(path string) (service.Loaded, error) {
	plan, err := config.Load(config.Input{
		Args: []string{"-c", path}, Environ: []string{}, Commands: []string{"watch"},
		Fetch: func(string) ([]byte, error) { return nil, errors.New("not fetched") },
	})
	if err != nil {
		return service.Loaded{}, err
	}
	l := service.Loaded{Reactor: plan.Interval > 0, LogFile: plan.Log.File}
	for _, c := range plan.Configs {
		// A proxy URL with "@" carries a password.
		l.Secrets = l.Secrets || c.Token != "" || strings.Contains(strings.Join(c.Proxy, " "), "@")
		if c.Cache && c.CachePath != "" {
			l.Caches = append(l.Caches, c.CachePath)
		}
	}
	return l, nil
}
