//go:build !windows

package service

// systemSCM is the service manager of this system: none but on Windows.
func systemSCM() SCM { return noSCM{} }
