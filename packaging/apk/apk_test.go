package apk

import (
	"bytes"
	"compress/flate"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sample() Package {
	return Package{
		Name: "hello", Version: "1.0.0_git20260101-r2", Arch: "mipsel_24kc",
		Description: "a test", License: "MIT", Origin: "net/hello", URL: "https://example.com", Maintainer: "me",
		Depends: []string{"libc", "ca-bundle"}, Provides: []string{"hi"},
		Scripts: map[string]string{"post-install": "#!/bin/sh\ntrue\n", "pre-deinstall": "#!/bin/sh\nfalse\n"},
		Files: []File{
			{Path: "usr/bin/hello", Mode: 0o755, Data: []byte("#!/bin/sh\necho hi\n")},
			{Path: "etc/config/hello", Mode: 0o600, Data: []byte("config x\n")},
			{Path: "etc/empty", Mode: 0o644},
			{Path: "var/spool", Mode: fs.ModeDir | fs.ModeSticky | 0o777},
			{Path: "big", Mode: 0o644, Data: bytes.Repeat([]byte("0123456789"), 10000)}, // a DATA block above 64 KiB
		},
		Mtime: time.Unix(1700000000, 0).UTC(),
	}
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	p := sample()
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("ADBd")) {
		t.Fatalf("starts with %q, want the deflate prefix ADBd", buf.Bytes()[:4])
	}
	got, err := Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{
		{got.Name, p.Name}, {got.Version, p.Version}, {got.Arch, p.Arch}, {got.Description, p.Description},
		{got.License, p.License}, {got.Origin, p.Origin}, {got.URL, p.URL}, {got.Maintainer, p.Maintainer},
	} {
		if c[0] != c[1] {
			t.Errorf("read %q, wrote %q", c[0], c[1])
		}
	}
	if !reflect.DeepEqual(got.Depends, []string{"ca-bundle", "libc"}) || !reflect.DeepEqual(got.Provides, p.Provides) {
		t.Errorf("depends %q provides %q", got.Depends, got.Provides)
	}
	if !reflect.DeepEqual(got.Scripts, p.Scripts) {
		t.Errorf("scripts %q", got.Scripts)
	}
	if !got.Mtime.Equal(p.Mtime) {
		t.Errorf("mtime %v", got.Mtime)
	}
	var size uint64
	byPath := map[string]File{}
	for _, f := range got.Files {
		byPath[f.Path] = f
		size += uint64(len(f.Data))
		if f.User != "root" || f.Group != "root" {
			t.Errorf("%q owned by %s:%s", f.Path, f.User, f.Group)
		}
	}
	if got.InstalledSize != size {
		t.Errorf("installed size %d, files hold %d", got.InstalledSize, size)
	}
	for _, want := range p.Files {
		f, ok := byPath[want.Path]
		if !ok {
			t.Errorf("%s missing", want.Path)
			continue
		}
		if f.Mode != want.Mode || !bytes.Equal(f.Data, want.Data) {
			t.Errorf("%s: mode %v, %d bytes; wrote %v, %d bytes", want.Path, f.Mode, len(f.Data), want.Mode, len(want.Data))
		}
	}
	// Every directory is listed, the parents the files imply too.
	for _, d := range []string{"", "usr", "usr/bin", "etc", "etc/config", "var"} {
		if f, ok := byPath[d]; !ok || f.Mode != fs.ModeDir|0o755 {
			t.Errorf("directory %q: %v %v", d, ok, f.Mode)
		}
	}
}

// raw is the decompressed package, for tampering.
func raw(t testing.TB, p Package) []byte {
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(flate.NewReader(bytes.NewReader(buf.Bytes()[4:])))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadRefusesTampering(t *testing.T) {
	p := sample()
	orig := raw(t, p)
	for _, c := range []struct {
		name   string
		change func([]byte) []byte
		want   string
	}{
		{"file data", func(b []byte) []byte { i := bytes.Index(b, []byte("echo hi")); b[i] = 'E'; return b }, "SHA-256"},
		{"metadata", func(b []byte) []byte { i := bytes.Index(b, []byte("a test")); b[i] = 'A'; return b }, "identity"},
		{"schema", func(b []byte) []byte { copy(b[4:], "indx"); return b }, "schema"},
		{"truncated", func(b []byte) []byte { return b[:len(b)-9] }, "block"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := c.change(bytes.Clone(orig))
			_, err := Read(bytes.NewReader(b))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err %v, want one about %s", err, c.want)
			}
		})
	}
	if _, err := Read(bytes.NewReader(orig)); err != nil {
		t.Errorf("the untouched uncompressed package: %v", err)
	}
}

func TestWriteRefuses(t *testing.T) {
	for name, change := range map[string]func(*Package){
		"version with +":    func(p *Package) { p.Version = "0.0.0+git1-r1" },
		"version with -":    func(p *Package) { p.Version = "1.2.3-4-gabc-r1" },
		"name with space":   func(p *Package) { p.Name = "a b" },
		"versioned depends": func(p *Package) { p.Depends = []string{"libc>=1"} },
		"unknown script":    func(p *Package) { p.Scripts["postinst"] = "" },
		"absolute path":     func(p *Package) { p.Files[0].Path = "/usr/bin/x" },
		"dot-dot":           func(p *Package) { p.Files[0].Path = "usr/../x" },
		"symlink":           func(p *Package) { p.Files[0].Mode |= fs.ModeSymlink },
	} {
		p := sample()
		change(&p)
		if err := Write(io.Discard, p); err == nil {
			t.Errorf("%s: written", name)
		}
	}
}

// TestReadsMkpkg reads a package apk-tools 3.0.6 wrote (`apk mkpkg
// --files root --info name:hello --info version:1.0.0-r1 --info
// arch:x86_64 --info "description:a test" --info license:MIT --info
// depends:libc --script post-install:postinst --xattrs=no`, with
// SOURCE_DATE_EPOCH=1700000000): its values are deduplicated and laid out
// differently from ours, so the reader does not just mirror the writer.
func TestReadsMkpkg(t *testing.T) {
	f, err := os.Open("testdata/mkpkg-hello.apk")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "hello" || p.Version != "1.0.0-r1" || p.Arch != "x86_64" || p.License != "MIT" ||
		p.Description != "a test" || !reflect.DeepEqual(p.Depends, []string{"libc"}) || p.InstalledSize != 27 {
		t.Errorf("info %+v", p)
	}
	if p.Scripts["post-install"] != "#!/bin/sh\ntrue\n" {
		t.Errorf("scripts %q", p.Scripts)
	}
	want := map[string]struct {
		mode fs.FileMode
		data string
	}{
		"":                 {fs.ModeDir | 0o755, ""},
		"etc":              {fs.ModeDir | 0o755, ""},
		"etc/config":       {fs.ModeDir | 0o755, ""},
		"etc/config/hello": {0o600, "config x\n"},
		"usr":              {fs.ModeDir | 0o755, ""},
		"usr/bin":          {fs.ModeDir | 0o755, ""},
		"usr/bin/hello":    {0o755, "#!/bin/sh\necho hi\n"},
	}
	if len(p.Files) != len(want) {
		t.Errorf("%d entries, want %d", len(p.Files), len(want))
	}
	for _, f := range p.Files {
		w, ok := want[f.Path]
		if !ok || f.Mode != w.mode || string(f.Data) != w.data || f.User != "root" {
			t.Errorf("%q: %v %q %s, want %v %q root", f.Path, f.Mode, f.Data, f.User, w.mode, w.data)
		}
	}
	// The same package from our writer reads back the same.
	var buf bytes.Buffer
	q := Package{Name: p.Name, Version: p.Version, Arch: p.Arch, Description: p.Description, License: p.License,
		Depends: p.Depends, Scripts: p.Scripts, Files: p.Files, Mtime: p.Mtime}
	if err := Write(&buf, q); err != nil {
		t.Fatal(err)
	}
	r, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, p) {
		t.Errorf("rewritten:\n%+v\nmkpkg's:\n%+v", r, p)
	}
}

// TestApkTools checks a written package with apk-tools v3 itself when
// APK_TOOL names its binary (CI has none; see docs/openwrt.md).
func TestApkTools(t *testing.T) {
	tool := os.Getenv("APK_TOOL")
	if tool == "" {
		t.Skip("APK_TOOL is not set: point it at an apk-tools v3 binary to cross-check with adbdump and extract")
	}
	dir := t.TempDir()
	pkg := filepath.Join(dir, "hello.apk")
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pkg, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "adbdump", pkg).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("name: hello")) || !bytes.Contains(out, []byte("post-install: |")) {
		t.Fatalf("adbdump: %v\n%s", err, out)
	}
	dest := filepath.Join(dir, "root")
	os.Mkdir(dest, 0o755)
	if out, err := exec.Command(tool, "extract", "--allow-untrusted", "--destination", dest, pkg).CombinedOutput(); err != nil {
		t.Fatalf("extract: %v\n%s", err, out)
	}
	for _, f := range sample().Files {
		if f.Mode.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dest, f.Path))
		fi, _ := os.Stat(filepath.Join(dest, f.Path))
		if err != nil || !bytes.Equal(b, f.Data) || fi.Mode().Perm() != f.Mode.Perm() {
			t.Errorf("%s extracted: %v", f.Path, err)
		}
	}
}

// FuzzRead: no input makes the reader panic or read out of bounds, and
// what it accepts it reads the same twice.
func FuzzRead(f *testing.F) {
	f.Add(raw(f, sample()))
	if b, err := os.ReadFile("testdata/mkpkg-hello.apk"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("ADB.pckg\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		q, err := Read(bytes.NewReader(b))
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("second read differs: %v", err)
		}
	})
}
