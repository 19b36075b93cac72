// Command mkapk writes an apk v3 package (OpenWrt 25.x) from a directory
// tree, like `apk mkpkg` without apk-tools, every file owned by root:
//
//	mkapk -files ROOT -info name:ddns-agent -info version:1.2.3-r1 \
//	  -info arch:x86_64 -script post-install:FILE -o OUT.apk
//
// -info takes name, version, arch, description, license, origin, url,
// maintainer, depends and provides (space-separated names). File times are
// SOURCE_DATE_EPOCH when set.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ddns-go/ddns/packaging/apk"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	var infos, scripts list
	files := flag.String("files", "", "directory holding the package's files")
	out := flag.String("o", "", "package to write")
	flag.Var(&infos, "info", "KEY:VALUE package field (repeatable)")
	flag.Var(&scripts, "script", "NAME:FILE maintainer script, e.g. post-install:postinst (repeatable)")
	flag.Parse()
	if err := run(*files, *out, infos, scripts); err != nil {
		fmt.Fprintln(os.Stderr, "mkapk:", err)
		os.Exit(1)
	}
}

func run(root, out string, infos, scripts []string) error {
	if out == "" {
		return fmt.Errorf("-o is required")
	}
	p := apk.Package{Scripts: map[string]string{}}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH=%q: %v", s, err)
		}
		p.Mtime = time.Unix(n, 0)
	}
	fields := map[string]*string{
		"name": &p.Name, "version": &p.Version, "arch": &p.Arch, "description": &p.Description,
		"license": &p.License, "origin": &p.Origin, "url": &p.URL, "maintainer": &p.Maintainer,
	}
	for _, kv := range infos {
		k, v, ok := strings.Cut(kv, ":")
		switch {
		case !ok:
			return fmt.Errorf("-info %q: want KEY:VALUE", kv)
		case fields[k] != nil:
			*fields[k] = v
		case k == "depends":
			p.Depends = strings.Fields(v)
		case k == "provides":
			p.Provides = strings.Fields(v)
		default:
			return fmt.Errorf("-info %q: unknown field %s", kv, k)
		}
	}
	for _, kv := range scripts {
		k, file, ok := strings.Cut(kv, ":")
		if !ok {
			return fmt.Errorf("-script %q: want NAME:FILE", kv)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		p.Scripts[k] = string(b)
	}
	if root != "" {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil || rel == "." {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			f := apk.File{Path: filepath.ToSlash(rel), Mode: fi.Mode()}
			if fi.Mode().IsRegular() {
				if f.Data, err = os.ReadFile(path); err != nil {
					return err
				}
			} else if !fi.IsDir() {
				return fmt.Errorf("%s: only directories and regular files are supported", path)
			}
			p.Files = append(p.Files, f)
			return nil
		})
		if err != nil {
			return err
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := apk.Write(w, p); err != nil {
		f.Close()
		os.Remove(out)
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
