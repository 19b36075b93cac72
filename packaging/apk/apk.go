// Package apk writes and reads apk-tools v3 packages (the ADB format that
// OpenWrt 25.x installs with `apk add`), without apk-tools or the OpenWrt
// SDK. The layout follows apk-tools' doc/apk-v3.5.scd, src/adb.h and
// src/apk_adb.h; Write makes what `apk mkpkg` makes from the same files.
//
// A package is "ADBd" and a raw deflate stream of: the file header "ADB."
// with the schema "pckg"; one ADB block holding the metadata tree (package
// info, every directory and file with its mode, owner and SHA-256, the
// maintainer scripts); then one DATA block per non-empty file, holding the
// file's bytes keyed by its directory and file index. Values in the tree
// are 32-bit little-endian words, a type in the top 4 bits and either the
// value or an offset into the ADB block in the low 28.
//
// Packages are not signed: OpenWrt signs its feed's index, and a package
// file installed by hand needs `apk add --allow-untrusted`.
package apk

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"
)

// Package is one package's metadata and files, the fields OpenWrt's
// include/package-pack.mk passes to `apk mkpkg`.
type Package struct {
	Name        string
	Version     string // apk form: 1.2.3-r1, 0.0.0_git20260101-r1
	Arch        string // OpenWrt package architecture: mipsel_24kc, x86_64, …
	Description string
	License     string
	Origin      string
	URL         string
	Maintainer  string
	Depends     []string // package names, no version constraints
	Provides    []string
	// Scripts by apk's names: "post-install", "post-upgrade",
	// "pre-deinstall", … (see scriptNames).
	Scripts map[string]string
	// Files, directories included; every entry is owned by root:root.
	Files []File
	// Mtime of every file (SOURCE_DATE_EPOCH, for reproducible packages).
	Mtime time.Time
	// InstalledSize is the sum of the files' sizes (set by Read; Write
	// computes it).
	InstalledSize uint64
}

// File is one directory or regular file of a package.
type File struct {
	Path string      // relative, slash-separated: "usr/bin/ddns-agent"; "" is the root
	Mode fs.FileMode // fs.ModeDir for a directory, plus permission bits (setuid etc. allowed)
	Data []byte      // a regular file's contents
	// User and Group are filled in by Read ("root" for what Write makes).
	User, Group string
}

// scriptNames are the script slots of apk's package schema, in field order
// (ADBI_SCRPT_TRIGGER = 1 … ADBI_SCRPT_POSTUPGRADE = 7).
var scriptNames = []string{"trigger", "pre-install", "post-install", "pre-deinstall", "post-deinstall", "pre-upgrade", "post-upgrade"}

// versionRE is apk's version grammar (src/version.c):
// digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}.
var versionRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(~[0-9a-f]+)?(-r[0-9]+)?$`)

// nameRE is what OpenWrt and apk accept as a package name.
var nameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9+._-]*$`)

// check refuses what apk would refuse to read or install.
func (p *Package) check() error {
	if !nameRE.MatchString(p.Name) {
		return fmt.Errorf("package name %q: not a valid apk name", p.Name)
	}
	if !versionRE.MatchString(p.Version) {
		return fmt.Errorf("version %q: not an apk version (x.y.z[_suffixN]-rN)", p.Version)
	}
	if p.Arch == "" {
		return fmt.Errorf("no architecture")
	}
	for _, d := range append(append([]string{}, p.Depends...), p.Provides...) {
		if !nameRE.MatchString(d) {
			return fmt.Errorf("dependency %q: only plain package names are supported", d)
		}
	}
	for name := range p.Scripts {
		if scriptIndex(name) == 0 {
			return fmt.Errorf("script %q: apk knows %s", name, strings.Join(scriptNames, ", "))
		}
	}
	seen := map[string]bool{}
	for _, f := range p.Files {
		if f.Path != "" && (strings.HasPrefix(f.Path, "/") || strings.HasSuffix(f.Path, "/") || strings.Contains(f.Path, "//") ||
			strings.Contains("/"+f.Path+"/", "/../") || strings.Contains("/"+f.Path+"/", "/./")) {
			return fmt.Errorf("file %q: want a clean relative path", f.Path)
		}
		if seen[f.Path] {
			return fmt.Errorf("file %q: listed twice", f.Path)
		}
		seen[f.Path] = true
		if f.Mode&fs.ModeType&^fs.ModeDir != 0 {
			return fmt.Errorf("file %q: only directories and regular files are supported", f.Path)
		}
	}
	return nil
}

func scriptIndex(name string) int {
	for i, n := range scriptNames {
		if n == name {
			return i + 1
		}
	}
	return 0
}

// Filename is the name .ci/package gives the package:
// NAME-VERSION_ARCH.apk. OpenWrt's buildroot names it NAME-VERSION.apk
// in a directory per architecture; the suffix keeps the architectures of
// one release apart in one directory.
func (p *Package) Filename() string {
	return p.Name + "-" + p.Version + "_" + p.Arch + ".apk"
}
