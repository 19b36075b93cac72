package apk

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// ADB value types (src/adb.h) and the block, schema and field numbers
// (src/apk_adb.h) a package uses.
const (
	typeInt    = 0x10000000
	typeInt32  = 0x20000000
	typeInt64  = 0x30000000
	typeBlob8  = 0x80000000
	typeBlob16 = 0x90000000
	typeBlob32 = 0xa0000000
	typeArray  = 0xd0000000 // read, never written (see arr)
	typeObject = 0xe0000000
	typeMask   = 0xf0000000
	valueMask  = 0x0fffffff

	blockADB  = 0
	blockSig  = 1
	blockData = 2
	blockExt  = 3

	magicADB      = 0x2e424441 // "ADB."
	schemaPackage = 0x676b6370 // "pckg"

	// package
	pkgInfo    = 1
	pkgPaths   = 2
	pkgScripts = 3
	// package info
	piName          = 1
	piVersion       = 2
	piHashes        = 3
	piDescription   = 4
	piArch          = 5
	piLicense       = 6
	piOrigin        = 7
	piMaintainer    = 8
	piURL           = 9
	piInstalledSize = 12
	piDepends       = 15
	piProvides      = 16
	// dependency
	depName = 1
	// directory
	diName  = 1
	diACL   = 2
	diFiles = 3
	// file
	fiName   = 1
	fiACL    = 2
	fiSize   = 3
	fiMtime  = 4
	fiHashes = 5
	// acl
	aclMode  = 1
	aclUser  = 2
	aclGroup = 3

	// uniqueIDLen is the package's identity in pkginfo "hashes": the first
	// 20 bytes (a SHA-1's length) of the SHA-256 of the ADB block.
	uniqueIDLen = 20
)

// adb builds an ADB block: the 8-byte header (versions 0, the root value)
// followed by the values, each at its natural alignment from the block's
// start.
type adb struct{ buf []byte }

func (a *adb) align(n int) {
	for len(a.buf)%n != 0 {
		a.buf = append(a.buf, 0)
	}
}

// blob stores b with a length prefix of 1, 2 or 4 bytes; empty is null,
// as apk writes it.
func (a *adb) blob(b []byte) uint32 {
	switch n := len(b); {
	case n == 0:
		return 0
	case n <= 0xff:
		off := len(a.buf)
		a.buf = append(append(a.buf, byte(n)), b...)
		return typeBlob8 | uint32(off)
	case n <= 0xffff:
		a.align(2)
		off := len(a.buf)
		a.buf = append(binary.LittleEndian.AppendUint16(a.buf, uint16(n)), b...)
		return typeBlob16 | uint32(off)
	default:
		a.align(4)
		off := len(a.buf)
		a.buf = append(binary.LittleEndian.AppendUint32(a.buf, uint32(n)), b...)
		return typeBlob32 | uint32(off)
	}
}

func (a *adb) str(s string) uint32 { return a.blob([]byte(s)) }

func (a *adb) int(v uint64) uint32 {
	switch {
	case v < 0x10000000:
		return typeInt | uint32(v)
	case v < 1<<32:
		a.align(4)
		off := len(a.buf)
		a.buf = binary.LittleEndian.AppendUint32(a.buf, uint32(v))
		return typeInt32 | uint32(off)
	default:
		a.align(4)
		off := len(a.buf)
		a.buf = binary.LittleEndian.AppendUint64(a.buf, v)
		return typeInt64 | uint32(off)
	}
}

// object stores slots 1…n (slot 0 is the count); trailing nulls are
// dropped and an object with no value is null, as apk writes it.
func (a *adb) object(typ uint32, slots []uint32) uint32 {
	n := len(slots)
	for n > 0 && slots[n-1] == 0 {
		n--
	}
	if n == 0 {
		return 0
	}
	a.align(4)
	off := len(a.buf)
	a.buf = binary.LittleEndian.AppendUint32(a.buf, uint32(n+1))
	for _, v := range slots[:n] {
		a.buf = binary.LittleEndian.AppendUint32(a.buf, v)
	}
	return typ | uint32(off)
}

func (a *adb) obj(slots ...uint32) uint32 { return a.object(typeObject, slots) }

// arr stores an array. apk-tools writes arrays with the object type too
// (adb_wo_obj, adb_w_fromstring) and reads either: so do we.
func (a *adb) arr(items []uint32) uint32 { return a.object(typeObject, items) }

func (a *adb) deps(names []string) uint32 {
	names = slices.Sorted(slices.Values(names))
	names = slices.Compact(names)
	items := make([]uint32, len(names))
	for i, n := range names {
		items[i] = a.obj(a.str(n))
	}
	return a.arr(items)
}

// unixMode is the permission part of a mode as apk stores it (07777).
func unixMode(m fs.FileMode) uint64 {
	u := uint64(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		u |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		u |= 0o1000
	}
	return u
}

// dir is one entry of the package's "paths": a directory and the regular
// files directly in it.
type dir struct {
	name  string
	mode  fs.FileMode
	files []File
}

// tree groups the files by directory, both sorted by name as apk sorts
// them (byte order). Every directory is listed, the root ("") too, as
// `apk mkpkg` does by default; a directory not given is 0755.
func tree(files []File) []dir {
	dirs := map[string]*dir{"": {mode: fs.ModeDir | 0o755}}
	var ensure func(string) *dir
	ensure = func(p string) *dir {
		if d, ok := dirs[p]; ok {
			return d
		}
		parent := path.Dir(p)
		if parent == "." {
			parent = ""
		}
		ensure(parent)
		d := &dir{name: p, mode: fs.ModeDir | 0o755}
		dirs[p] = d
		return d
	}
	for _, f := range files {
		if f.Mode.IsDir() {
			ensure(f.Path).mode = f.Mode
		}
	}
	for _, f := range files {
		if !f.Mode.IsDir() {
			parent := path.Dir(f.Path)
			if parent == "." {
				parent = ""
			}
			d := ensure(parent)
			d.files = append(d.files, f)
		}
	}
	out := make([]dir, 0, len(dirs))
	for _, d := range dirs {
		slices.SortFunc(d.files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b dir) int { return strings.Compare(a.name, b.name) })
	return out
}

// Write writes p as an apk v3 package, deflate-compressed as `apk mkpkg`
// writes it by default.
func Write(w io.Writer, p Package) error {
	if err := p.check(); err != nil {
		return err
	}
	dirs := tree(p.Files)
	a := &adb{buf: make([]byte, 8)} // adb_hdr: compat 0, version 0, root set below
	mtime := uint64(0)
	if !p.Mtime.IsZero() && p.Mtime.Unix() > 0 {
		mtime = uint64(p.Mtime.Unix())
	}
	var installed uint64
	paths := make([]uint32, len(dirs))
	for i, d := range dirs {
		files := make([]uint32, len(d.files))
		for j, f := range d.files {
			sum := sha256.Sum256(f.Data)
			installed += uint64(len(f.Data))
			files[j] = a.obj(
				a.str(path.Base(f.Path)),
				a.obj(a.int(unixMode(f.Mode)), a.str("root"), a.str("root")),
				a.int(uint64(len(f.Data))),
				a.int(mtime),
				a.blob(sum[:]),
			)
		}
		paths[i] = a.obj(
			a.str(d.name),
			a.obj(a.int(unixMode(d.mode)), a.str("root"), a.str("root")),
			a.arr(files),
		)
	}
	if installed == 0 {
		installed = 1 // as apk mkpkg: 0 would read as "unknown"
	}
	// The identity is filled in once the rest of the block is final.
	idVal := a.blob(make([]byte, uniqueIDLen))
	idOff := int(idVal&valueMask) + 1
	info := make([]uint32, piProvides)
	info[piName-1] = a.str(p.Name)
	info[piVersion-1] = a.str(p.Version)
	info[piHashes-1] = idVal
	info[piDescription-1] = a.str(p.Description)
	info[piArch-1] = a.str(p.Arch)
	info[piLicense-1] = a.str(p.License)
	info[piOrigin-1] = a.str(p.Origin)
	info[piMaintainer-1] = a.str(p.Maintainer)
	info[piURL-1] = a.str(p.URL)
	info[piInstalledSize-1] = a.int(installed)
	info[piDepends-1] = a.deps(p.Depends)
	info[piProvides-1] = a.deps(p.Provides)
	scripts := make([]uint32, len(scriptNames))
	for i, n := range scriptNames {
		scripts[i] = a.str(p.Scripts[n])
	}
	top := a.obj(a.obj(info...), a.arr(paths), a.obj(scripts...))
	binary.LittleEndian.PutUint32(a.buf[4:], top)
	id := sha256.Sum256(a.buf)
	copy(a.buf[idOff:], id[:uniqueIDLen])

	var raw bytes.Buffer
	raw.Write(binary.LittleEndian.AppendUint32(nil, magicADB))
	raw.Write(binary.LittleEndian.AppendUint32(nil, schemaPackage))
	writeBlock(&raw, blockADB, a.buf)
	for i, d := range dirs {
		for j, f := range d.files {
			if len(f.Data) == 0 {
				continue
			}
			hdr := binary.LittleEndian.AppendUint32(nil, uint32(i+1))
			hdr = binary.LittleEndian.AppendUint32(hdr, uint32(j+1))
			writeBlock(&raw, blockData, append(hdr, f.Data...))
		}
	}
	if _, err := io.WriteString(w, "ADBd"); err != nil {
		return err
	}
	zw, err := flate.NewWriter(w, flate.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

// writeBlock writes one block: a 32-bit word with the type in the top two
// bits and the length (with the word) in the rest, the payload, and zero
// padding to 8 bytes. Payloads of 1 GiB and more take the extended
// header.
func writeBlock(w *bytes.Buffer, typ uint32, payload []byte) {
	n := uint64(len(payload))
	size := 4 + n
	if n <= 0x3fffffff-4 {
		w.Write(binary.LittleEndian.AppendUint32(nil, typ<<30|uint32(size)))
	} else {
		size = 16 + n
		w.Write(binary.LittleEndian.AppendUint32(nil, blockExt<<30|typ))
		w.Write(make([]byte, 4))
		w.Write(binary.LittleEndian.AppendUint64(nil, size))
	}
	w.Write(payload)
	w.Write(make([]byte, (8-size%8)%8))
}
