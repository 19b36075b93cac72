package main

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// TestLayout opens the layout .ci/package wrote (DDNS_DIST/oci) the way a
// registry client does and checks every platform's image.
func TestLayout(t *testing.T) {
	dist := os.Getenv("DDNS_DIST")
	if dist == "" {
		t.Skip("DDNS_DIST is not set: run .ci/cross DIR (it calls .ci/package), then DDNS_DIST=DIR go test ./...")
	}
	top, err := layout.ImageIndexFromPath(filepath.Join(dist, "oci"))
	if err != nil {
		t.Fatal(err)
	}
	topManifest, err := top.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(topManifest.Manifests) != 1 || topManifest.Manifests[0].Annotations["org.opencontainers.image.ref.name"] == "" {
		t.Fatalf("index.json should name one multi-arch index: %+v", topManifest.Manifests)
	}
	idx, err := top.ImageIndex(topManifest.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	if mt, _ := idx.MediaType(); mt != types.OCIImageIndex {
		t.Errorf("index media type %s", mt)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "arm": elf.EM_ARM}
	seen := map[string]bool{}
	for _, desc := range im.Manifests {
		if desc.Platform == nil {
			t.Fatalf("manifest %s has no platform", desc.Digest)
		}
		arch := desc.Platform.Architecture
		seen[arch+desc.Platform.Variant] = true
		t.Run(arch+desc.Platform.Variant, func(t *testing.T) {
			img, err := idx.Image(desc.Digest)
			if err != nil {
				t.Fatal(err)
			}
			cf, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cf.Architecture != arch || cf.OS != "linux" || cf.Variant != desc.Platform.Variant {
				t.Errorf("config says %s/%s/%s, index says %s/%s", cf.OS, cf.Architecture, cf.Variant, arch, desc.Platform.Variant)
			}
			if !reflect.DeepEqual(cf.Config.Entrypoint, []string{"/ddns", "watch"}) {
				t.Errorf("entrypoint %q", cf.Config.Entrypoint)
			}
			if hc := dockerfileHealthcheck(t); !reflect.DeepEqual(cf.Config.Healthcheck, hc) {
				t.Errorf("healthcheck %+v, the Dockerfile's is %+v", cf.Config.Healthcheck, hc)
			}
			if !slices.Contains(cf.Config.Env, dockerfileStatusEnv) {
				t.Errorf("env %q lacks %s, which the health check needs", cf.Config.Env, dockerfileStatusEnv)
			}
			if cf.Config.User != "65532:65532" {
				t.Errorf("user %q, want the non-root 65532:65532", cf.Config.User)
			}
			files := layerFiles(t, img)
			bin, ok := files["ddns"]
			if !ok {
				t.Fatal("no /ddns in the image")
			}
			if bin.hdr.Mode&0o111 == 0 {
				t.Errorf("/ddns mode %o is not executable", bin.hdr.Mode)
			}
			f, err := elf.NewFile(bytes.NewReader(bin.body))
			if err != nil {
				t.Fatal(err)
			}
			if f.Machine != machines[arch] {
				t.Errorf("/ddns is %v, want %v", f.Machine, machines[arch])
			}
			if ca := files["etc/ssl/certs/ca-certificates.crt"]; !bytes.Contains(ca.body, []byte("BEGIN CERTIFICATE")) {
				t.Error("no CA roots in the image")
			}
			if st := files["var/lib/ddns/"]; st.hdr == nil || st.hdr.Uid != 65532 {
				t.Error("the state directory is not the user's")
			}
			if !bytes.Contains(files["etc/passwd"].body, []byte(":65532:65532:")) {
				t.Error("/etc/passwd does not name the user")
			}
		})
	}
	for _, want := range []string{"amd64", "arm64", "armv7"} {
		if !seen[want] {
			t.Errorf("no %s image", want)
		}
	}
}

type entry struct {
	hdr  *tar.Header
	body []byte
}

// layerFiles reads every file of the image's layers.
func layerFiles(t *testing.T, img v1.Image) map[string]entry {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]entry{}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			out[h.Name] = entry{h, b}
		}
		rc.Close()
	}
	return out
}
