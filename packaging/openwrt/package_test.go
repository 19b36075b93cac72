// Package openwrt holds the OpenWrt packaging (feed Makefile, init,
// hotplug and UCI files); its tests check the scripts and unpack the .ipk
// files .ci/package builds, as opkg would.
package openwrt

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const pkgName = "ddns-agent"

// arches maps each OpenWrt package architecture to the ELF header its
// binary must have.
var arches = map[string]struct {
	machine elf.Machine
	order   elf.Data
	class   elf.Class
}{
	"mipsel_24kc":     {elf.EM_MIPS, elf.ELFDATA2LSB, elf.ELFCLASS32},
	"mips_24kc":       {elf.EM_MIPS, elf.ELFDATA2MSB, elf.ELFCLASS32},
	"arm_cortex-a7":   {elf.EM_ARM, elf.ELFDATA2LSB, elf.ELFCLASS32},
	"aarch64_generic": {elf.EM_AARCH64, elf.ELFDATA2LSB, elf.ELFCLASS64},
	"x86_64":          {elf.EM_X86_64, elf.ELFDATA2LSB, elf.ELFCLASS64},
}

// shCheck runs `sh -n` on a script: a syntax error would stop the service
// on every router that installs the package.
func shCheck(t *testing.T, name string, script []byte) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command(sh, "-n")
	cmd.Stdin = bytes.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sh -n %s: %v\n%s", name, err, out)
	}
}

func TestScripts(t *testing.T) {
	for _, f := range []string{"files/ddns-agent.init", "files/ddns-agent.hotplug"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		shCheck(t, f, data)
	}
	initScript, _ := os.ReadFile("files/ddns-agent.init")
	for _, want := range []string{"USE_PROCD=1", "procd_set_param respawn", `procd_set_param file "$CONF"`,
		"procd_add_reload_trigger ddns-agent", "watch --uci", "CONF=/etc/config/ddns-agent"} {
		if !bytes.Contains(initScript, []byte(want)) {
			t.Errorf("init script lacks %q", want)
		}
	}
}

// untar reads a gzip'd tar into its entries, in order.
func untar(t *testing.T, name string, data []byte) ([]*tar.Header, map[string][]byte) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: not gzip: %v", name, err)
	}
	tr := tar.NewReader(zr)
	var hdrs []*tar.Header
	body := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("%s: %s: %v", name, h.Name, err)
		}
		hdrs = append(hdrs, h)
		body[h.Name] = b
	}
	return hdrs, body
}

// distDir is where .ci/cross and .ci/package wrote; .ci/run sets it.
func distDir(t *testing.T) string {
	d := os.Getenv("DDNS_DIST")
	if d == "" {
		t.Skip("DDNS_DIST is not set: run .ci/cross DIR (it calls .ci/package), then DDNS_DIST=DIR go test ./packaging/...")
	}
	return d
}

var ipkName = regexp.MustCompile(`^ddns-agent_([0-9][^_]*-r[0-9]+)_([a-z0-9_-]+)\.ipk$`)

func TestIPK(t *testing.T) {
	eachPackage(t, "*.ipk", ipkName, pkgName+"_<version>-r<N>_<arch>.ipk", checkIPK)
}

// eachPackage runs check on every file of DDNS_DIST matching glob, named
// by re (submatches: version, architecture), and wants one per
// architecture.
func eachPackage(t *testing.T, glob string, re *regexp.Regexp, form string, check func(t *testing.T, path, version, arch string)) {
	dist := distDir(t)
	found := map[string]bool{}
	paths, _ := filepath.Glob(filepath.Join(dist, glob))
	for _, p := range paths {
		m := re.FindStringSubmatch(filepath.Base(p))
		if m == nil {
			t.Errorf("%s: name is not %s", p, form)
			continue
		}
		found[m[2]] = true
		t.Run(m[2], func(t *testing.T) { check(t, p, m[1], m[2]) })
	}
	for arch := range arches {
		if !found[arch] {
			t.Errorf("no %s for %s in %s", glob, arch, dist)
		}
	}
}

func checkIPK(t *testing.T, path, version, arch string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The outer archive is what opkg (and ipkg-build of OpenWrt 24.10)
	// reads: a gzip'd tar of exactly these three members, in this order.
	hdrs, outer := untar(t, "outer", data)
	var names []string
	for _, h := range hdrs {
		names = append(names, h.Name)
	}
	if strings.Join(names, " ") != "./debian-binary ./data.tar.gz ./control.tar.gz" {
		t.Fatalf("members %v", names)
	}
	if string(outer["./debian-binary"]) != "2.0\n" {
		t.Errorf("debian-binary %q", outer["./debian-binary"])
	}

	_, ctl := untar(t, "control.tar.gz", outer["./control.tar.gz"])
	fields := map[string]string{}
	for _, line := range strings.Split(string(ctl["./control"]), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") {
			fields[k] = strings.TrimSpace(v)
		}
	}
	dataHdrs, files := untar(t, "data.tar.gz", outer["./data.tar.gz"])
	zr, _ := gzip.NewReader(bytes.NewReader(outer["./data.tar.gz"]))
	rawData, _ := io.ReadAll(zr)
	for k, want := range map[string]string{
		"Package": pkgName, "Version": version, "Architecture": arch, "Depends": "libc",
		"Installed-Size": strconv.Itoa(len(rawData)),
	} {
		if fields[k] != want {
			t.Errorf("control %s = %q, want %q", k, fields[k], want)
		}
	}
	if fields["Description"] == "" {
		t.Error("control has no Description")
	}
	if got := strings.TrimSpace(string(ctl["./conffiles"])); got != "/etc/config/"+pkgName {
		t.Errorf("conffiles %q", got)
	}
	for _, s := range []string{"./postinst", "./prerm"} {
		shCheck(t, s, ctl[s])
	}

	modes := map[string]int64{
		"./usr/bin/" + pkgName:                0o755,
		"./etc/init.d/" + pkgName:             0o755,
		"./etc/config/" + pkgName:             0o600,
		"./etc/hotplug.d/iface/95-" + pkgName: 0o644,
		"./usr/":                              0o755,
		"./etc/hotplug.d/iface/":              0o755,
	}
	seen := map[string]bool{}
	for _, h := range dataHdrs {
		if h.Uid != 0 || h.Gid != 0 {
			t.Errorf("%s owned by %d:%d, want root", h.Name, h.Uid, h.Gid)
		}
		if want, ok := modes[h.Name]; ok {
			seen[h.Name] = true
			if h.Mode&0o7777 != want {
				t.Errorf("%s mode %o, want %o", h.Name, h.Mode&0o7777, want)
			}
		}
	}
	for name := range modes {
		if !seen[name] {
			t.Errorf("data lacks %s", name)
		}
	}
	shCheck(t, "init", files["./etc/init.d/"+pkgName])
	shCheck(t, "hotplug", files["./etc/hotplug.d/iface/95-"+pkgName])
	checkELF(t, arch, files["./usr/bin/"+pkgName])
}

// checkELF: the binary must run on the package's architecture.
func checkELF(t *testing.T, arch string, bin []byte) {
	t.Helper()
	want, ok := arches[arch]
	if !ok {
		t.Fatalf("unexpected architecture %s", arch)
	}
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		t.Fatalf("binary: %v", err)
	}
	if f.Machine != want.machine || f.Data != want.order || f.Class != want.class {
		t.Errorf("binary is %v %v %v, want %v %v %v", f.Machine, f.Data, f.Class, want.machine, want.order, want.class)
	}
	if f.Type != elf.ET_EXEC {
		t.Errorf("binary type %v: not a static executable", f.Type)
	}
	if len(f.Progs) > 0 {
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("binary needs a dynamic loader; OpenWrt's musl has none for Go's glibc expectations")
			}
		}
	}
}
