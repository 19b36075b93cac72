package apk

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"time"
)

// reader reads values of an ADB block, refusing any offset outside it.
type reader struct {
	buf []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

func (r *reader) at(off, n uint64) []byte {
	if off+n > uint64(len(r.buf)) {
		r.fail("value at %d+%d beyond the ADB block (%d bytes)", off, n, len(r.buf))
		return nil
	}
	return r.buf[off : off+n]
}

func (r *reader) blob(v uint32) []byte {
	off := uint64(v & valueMask)
	switch v & typeMask {
	case 0:
		if v != 0 {
			r.fail("special value %#x where a blob belongs", v)
		}
		return nil
	case typeBlob8:
		if b := r.at(off, 1); b != nil {
			return r.at(off+1, uint64(b[0]))
		}
	case typeBlob16:
		if b := r.at(off, 2); b != nil {
			return r.at(off+2, uint64(binary.LittleEndian.Uint16(b)))
		}
	case typeBlob32:
		if b := r.at(off, 4); b != nil {
			return r.at(off+4, uint64(binary.LittleEndian.Uint32(b)))
		}
	default:
		r.fail("value %#x is not a blob", v)
	}
	return nil
}

func (r *reader) str(v uint32) string { return string(r.blob(v)) }

func (r *reader) int(v uint32) uint64 {
	off := uint64(v & valueMask)
	switch v & typeMask {
	case 0:
		if v != 0 {
			r.fail("special value %#x where an integer belongs", v)
		}
		return 0
	case typeInt:
		return uint64(v & valueMask)
	case typeInt32:
		if b := r.at(off, 4); b != nil {
			return uint64(binary.LittleEndian.Uint32(b))
		}
	case typeInt64:
		if b := r.at(off, 8); b != nil {
			return binary.LittleEndian.Uint64(b)
		}
	default:
		r.fail("value %#x is not an integer", v)
	}
	return 0
}

// slots returns an object's or array's values, index 1 first (a null
// reads as no values). get(i) of the result is 0 (null) past its end, as
// apk reads a short object. Like apk (adb_r_obj), either type is taken
// for either.
func (r *reader) slots(v uint32) slots {
	if v == 0 {
		return nil
	}
	if t := v & typeMask; t != typeObject && t != typeArray {
		r.fail("value %#x is neither an object nor an array", v)
		return nil
	}
	off := uint64(v & valueMask)
	if off%4 != 0 {
		r.fail("object at %d is not 4-byte aligned", off)
		return nil
	}
	head := r.at(off, 4)
	if head == nil {
		return nil
	}
	n := uint64(binary.LittleEndian.Uint32(head))
	if n == 0 {
		r.fail("object at %d has no count", off)
		return nil
	}
	b := r.at(off, 4*n)
	if b == nil {
		return nil
	}
	out := make(slots, n-1)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*(i+1):])
	}
	return out
}

type slots []uint32

func (s slots) get(i int) uint32 {
	if i < 1 || i > len(s) {
		return 0
	}
	return s[i-1]
}

func (r *reader) acl(v uint32) (fs.FileMode, string, string) {
	s := r.slots(v)
	u := r.int(s.get(aclMode))
	m := fs.FileMode(u & 0o777)
	if u&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if u&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if u&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	if u&^0o7777 != 0 {
		r.fail("mode %o has bits beyond 07777", u)
	}
	return m, r.str(s.get(aclUser)), r.str(s.get(aclGroup))
}

func (r *reader) deps(v uint32) []string {
	var out []string
	for _, d := range r.slots(v) {
		s := r.slots(d)
		if len(s) > depName {
			r.fail("dependency %q has a version constraint", r.str(s.get(depName)))
		}
		out = append(out, r.str(s.get(depName)))
	}
	return out
}

// Read reads an apk v3 package as apk-tools does with --allow-untrusted:
// the compression prefix, the "pckg" schema, the block sequence (ADB,
// optional signatures, DATA), every value's offset, each file's SHA-256
// and size against its DATA block, and the package's identity. It returns
// the package with its files' contents.
func Read(rd io.Reader) (*Package, error) {
	var prefix [4]byte
	if _, err := io.ReadFull(rd, prefix[:]); err != nil {
		return nil, fmt.Errorf("apk: %w", err)
	}
	var raw []byte
	var err error
	switch string(prefix[:]) {
	case "ADBd":
		raw, err = io.ReadAll(flate.NewReader(rd))
	case "ADB.":
		raw, err = io.ReadAll(rd)
		raw = append(prefix[:], raw...)
	default:
		return nil, fmt.Errorf("apk: starts with %q, not an apk v3 package (ADB. or ADBd)", prefix[:])
	}
	if err != nil {
		return nil, fmt.Errorf("apk: decompressing: %w", err)
	}
	if len(raw) < 8 || binary.LittleEndian.Uint32(raw) != magicADB {
		return nil, errors.New("apk: no ADB. header after the compression prefix")
	}
	if s := binary.LittleEndian.Uint32(raw[4:]); s != schemaPackage {
		return nil, fmt.Errorf("apk: schema %q, want pckg", raw[4:8])
	}
	raw = raw[8:]
	var r *reader
	var p *Package
	var dirs []rdir
	seen := map[[2]uint32]bool{}
	for len(raw) > 0 {
		if len(raw) < 4 {
			return nil, errors.New("apk: truncated block header")
		}
		word := binary.LittleEndian.Uint32(raw)
		typ, size, hdr := word>>30, uint64(word&0x3fffffff), uint64(4)
		if typ == blockExt {
			if len(raw) < 16 {
				return nil, errors.New("apk: truncated extended block header")
			}
			typ, size, hdr = word&0x3fffffff, binary.LittleEndian.Uint64(raw[8:]), 16
		}
		padded := (size + 7) &^ 7
		if size < hdr || size > uint64(len(raw)) || padded > uint64(len(raw)) {
			return nil, fmt.Errorf("apk: block of %d bytes with %d left", size, len(raw))
		}
		payload := raw[hdr:size]
		raw = raw[padded:]
		switch {
		case typ == blockADB && r == nil:
			if len(payload) < 8 || payload[0] != 0 {
				return nil, errors.New("apk: ADB block too short or of an unknown compat version")
			}
			r = &reader{buf: payload}
			if p, dirs, err = parse(r); err != nil {
				return nil, err
			}
		case typ == blockSig && r != nil && len(seen) == 0:
			// A signature: checking it needs the signer's key; an
			// unsigned package is what we write and read.
		case typ == blockData && r != nil:
			if len(payload) < 8 {
				return nil, errors.New("apk: DATA block without its header")
			}
			pi, fi := binary.LittleEndian.Uint32(payload), binary.LittleEndian.Uint32(payload[4:])
			if pi < 1 || int(pi) > len(dirs) || fi < 1 || int(fi) > len(dirs[pi-1].files) || seen[[2]uint32{pi, fi}] {
				return nil, fmt.Errorf("apk: DATA block for path %d file %d: no such file or given twice", pi, fi)
			}
			seen[[2]uint32{pi, fi}] = true
			f := &dirs[pi-1].files[fi-1]
			f.Data = payload[8:]
		default:
			return nil, fmt.Errorf("apk: block type %d out of order", typ)
		}
	}
	if r == nil {
		return nil, errors.New("apk: no ADB block")
	}
	for _, d := range dirs {
		p.Files = append(p.Files, File{Path: d.name, Mode: fs.ModeDir | d.mode, User: d.user, Group: d.group})
		for _, f := range d.files {
			if uint64(len(f.Data)) != f.size {
				return nil, fmt.Errorf("apk: %s: %d bytes of data, the index says %d", f.Path, len(f.Data), f.size)
			}
			if sum := sha256.Sum256(f.Data); !bytes.Equal(sum[:], f.hash) {
				return nil, fmt.Errorf("apk: %s: SHA-256 %x, the index says %x", f.Path, sum, f.hash)
			}
			p.Files = append(p.Files, f.File)
		}
	}
	return p, nil
}

// rdir and rfile are a directory and a file as the ADB block lists them.
type rdir struct {
	name, user, group string
	mode              fs.FileMode
	files             []rfile
}

type rfile struct {
	File
	size uint64
	hash []byte
}

// parse reads the ADB block's package tree and checks the package's
// identity (the first 20 bytes of the SHA-256 of the block with them
// zeroed).
func parse(r *reader) (*Package, []rdir, error) {
	top := r.slots(binary.LittleEndian.Uint32(r.buf[4:]))
	info := r.slots(top.get(pkgInfo))
	p := &Package{
		Name:          r.str(info.get(piName)),
		Version:       r.str(info.get(piVersion)),
		Description:   r.str(info.get(piDescription)),
		Arch:          r.str(info.get(piArch)),
		License:       r.str(info.get(piLicense)),
		Origin:        r.str(info.get(piOrigin)),
		Maintainer:    r.str(info.get(piMaintainer)),
		URL:           r.str(info.get(piURL)),
		InstalledSize: r.int(info.get(piInstalledSize)),
		Depends:       r.deps(info.get(piDepends)),
		Provides:      r.deps(info.get(piProvides)),
		Scripts:       map[string]string{},
	}
	if id := r.blob(info.get(piHashes)); r.err == nil {
		if len(id) != uniqueIDLen {
			return nil, nil, fmt.Errorf("apk: package identity of %d bytes, want %d", len(id), uniqueIDLen)
		}
		off := info.get(piHashes)&valueMask + 1
		zeroed := bytes.Clone(r.buf)
		clear(zeroed[off : off+uniqueIDLen])
		if sum := sha256.Sum256(zeroed); !bytes.Equal(sum[:uniqueIDLen], id) {
			return nil, nil, fmt.Errorf("apk: package identity %x, the block hashes to %x", id, sum[:uniqueIDLen])
		}
	}
	scripts := r.slots(top.get(pkgScripts))
	for i, n := range scriptNames {
		if s := r.str(scripts.get(i + 1)); s != "" {
			p.Scripts[n] = s
		}
	}
	var dirs []rdir
	var mtime uint64
	for _, dv := range r.slots(top.get(pkgPaths)) {
		ds := r.slots(dv)
		d := rdir{name: r.str(ds.get(diName))}
		d.mode, d.user, d.group = r.acl(ds.get(diACL))
		for _, fv := range r.slots(ds.get(diFiles)) {
			fs := r.slots(fv)
			f := rfile{size: r.int(fs.get(fiSize)), hash: r.blob(fs.get(fiHashes))}
			f.Path = path.Join(d.name, r.str(fs.get(fiName)))
			f.Mode, f.User, f.Group = r.acl(fs.get(fiACL))
			if fs.get(fiHashes+1) != 0 {
				return nil, nil, fmt.Errorf("apk: %s: a link or special file; this reader knows regular files only", f.Path)
			}
			mtime = max(mtime, r.int(fs.get(fiMtime)))
			d.files = append(d.files, f)
		}
		dirs = append(dirs, d)
	}
	if mtime > 0 {
		p.Mtime = time.Unix(int64(mtime), 0).UTC()
	}
	if r.err != nil {
		return nil, nil, fmt.Errorf("apk: %w", r.err)
	}
	return p, dirs, nil
}
