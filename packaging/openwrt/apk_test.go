package openwrt

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/packaging/apk"
)

var apkName = regexp.MustCompile(`^ddns-agent-([0-9][0-9a-z._~]*-r[0-9]+)_([a-z0-9_-]+)\.apk$`)

// TestAPK reads every .apk .ci/package built (OpenWrt 25.x, apk-tools v3)
// with packaging/apk's reader, which checks the format, the hashes and the
// package identity as apk does, then checks what OpenWrt expects in it.
func TestAPK(t *testing.T) {
	eachPackage(t, "*.apk", apkName, pkgName+"-<version>-r<N>_<arch>.apk", checkAPK)
}

func checkAPK(t *testing.T, path, version, arch string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := apk.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ field, got, want string }{
		{"name", p.Name, pkgName}, {"version", p.Version, version}, {"arch", p.Arch, arch},
		{"license", p.License, "MIT"}, {"depends", strings.Join(p.Depends, " "), "libc"},
	} {
		if c.got != c.want {
			t.Errorf("%s %q, want %q", c.field, c.got, c.want)
		}
	}
	if p.Description == "" || p.URL == "" || p.Origin == "" {
		t.Errorf("description %q, url %q, origin %q: OpenWrt sets all three", p.Description, p.URL, p.Origin)
	}

	files := map[string]apk.File{}
	var size uint64
	var regular []string
	for _, f := range p.Files {
		files[f.Path] = f
		size += uint64(len(f.Data))
		if f.User != "root" || f.Group != "root" {
			t.Errorf("%q owned by %s:%s, want root", f.Path, f.User, f.Group)
		}
		if !f.Mode.IsDir() {
			regular = append(regular, "/"+f.Path)
		}
	}
	if p.InstalledSize != size {
		t.Errorf("installed-size %d, the files hold %d", p.InstalledSize, size)
	}
	meta := "lib/apk/packages/" + pkgName
	modes := map[string]fs.FileMode{
		"usr/bin/" + pkgName:                0o755,
		"etc/init.d/" + pkgName:             0o755,
		"etc/config/" + pkgName:             0o600,
		"etc/hotplug.d/iface/95-" + pkgName: 0o644,
		meta + ".list":                      0o644,
		meta + ".conffiles":                 0o644,
		meta + ".conffiles_static":          0o644,
		"usr/bin":                           fs.ModeDir | 0o755,
		"etc/hotplug.d/iface":               fs.ModeDir | 0o755,
	}
	for name, want := range modes {
		f, ok := files[name]
		if !ok {
			t.Errorf("package lacks %s", name)
		} else if f.Mode != want {
			t.Errorf("%s mode %v, want %v", name, f.Mode, want)
		}
	}
	// OpenWrt's apk metadata: the file list (sysupgrade and `apk info`
	// helpers read it), the conffiles and their checksums at build time
	// (how OpenWrt tells a changed configuration from the default).
	// package-pack.mk writes the list before it moves the conffiles
	// files in: they are not listed (the list itself is).
	regular = slices.DeleteFunc(regular, func(f string) bool { return strings.HasPrefix(f, "/"+meta+".conffiles") })
	slices.Sort(regular)
	list := strings.Fields(string(files[meta+".list"].Data))
	slices.Sort(list)
	if !slices.Equal(list, regular) {
		t.Errorf("%s.list = %q, the package holds %q", pkgName, list, regular)
	}
	if got := string(files[meta+".conffiles"].Data); got != "/etc/config/"+pkgName+"\n" {
		t.Errorf("conffiles %q", got)
	}
	sum := sha256.Sum256(files["etc/config/"+pkgName].Data)
	if got, want := string(files[meta+".conffiles_static"].Data), fmt.Sprintf("/etc/config/%s %x\n", pkgName, sum); got != want {
		t.Errorf("conffiles_static %q, want %q", got, want)
	}

	// The scripts OpenWrt's package-pack.mk gives every package.
	for name, want := range map[string]string{
		"post-install":  "default_postinst",
		"post-upgrade":  "export PKG_UPGRADE=1",
		"pre-deinstall": "default_prerm",
	} {
		s, ok := p.Scripts[name]
		if !ok || !strings.HasPrefix(s, "#!/bin/sh\n") || !strings.Contains(s, want) || !strings.Contains(s, `export pkgname="`+pkgName+`"`) {
			t.Errorf("%s script %q: want a /bin/sh script with %q for %s", name, s, want, pkgName)
		}
		shCheck(t, name, []byte(s))
	}
	if len(p.Scripts) != 3 {
		t.Errorf("scripts %v, want post-install, post-upgrade and pre-deinstall", slices.Sorted(maps.Keys(p.Scripts)))
	}
	shCheck(t, "init", files["etc/init.d/"+pkgName].Data)
	shCheck(t, "hotplug", files["etc/hotplug.d/iface/95-"+pkgName].Data)
	checkELF(t, arch, files["usr/bin/"+pkgName].Data)
}
