// Command oci writes the ddns container image as a multi-arch OCI image
// layout, from the binaries .ci/cross built, without a container engine:
//
//	go run . -dist DIST -out DIST/oci -version 1.2.3
//
// The image is what the Dockerfile at the repository root builds: FROM
// scratch, the static binary, CA roots, a non-root user,
// ENTRYPOINT ["/ddns", "watch"] and a HEALTHCHECK through `ddns status`.
// Load it with `skopeo copy oci:DIST/oci:VERSION docker-daemon:ddns:VERSION`
// or push it with `crane push DIST/oci REF`.
//
// It is a module of its own so that the agent's module does not carry
// go-containerregistry's dependencies.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// UID and GID of the image's user: 65532 is "nonroot" in distroless
// images, a number no host account is likely to own.
const uid = 65532

// platforms are the image's architectures and the .ci/cross binary each
// one takes.
var platforms = []struct {
	plat v1.Platform
	bin  string
}{
	{v1.Platform{OS: "linux", Architecture: "amd64"}, "ddns-linux-amd64"},
	{v1.Platform{OS: "linux", Architecture: "arm64"}, "ddns-linux-arm64"},
	{v1.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}, "ddns-linux-arm-7"},
}

func main() {
	dist := flag.String("dist", "dist", "directory holding the binaries of .ci/cross")
	out := flag.String("out", "dist/oci", "OCI image layout to write (replaced)")
	version := flag.String("version", "dev", "image version (the tag of the layout's reference)")
	roots := flag.String("ca", "/etc/ssl/certs/ca-certificates.crt", "CA bundle to put into the image")
	flag.Parse()
	epoch := time.Unix(0, 0).UTC()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			fail(fmt.Errorf("SOURCE_DATE_EPOCH=%q: %v", s, err))
		}
		epoch = time.Unix(n, 0).UTC()
	}
	if err := build(*dist, *out, *version, *roots, epoch); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "oci:", err)
	os.Exit(1)
}

// build writes the layout: one image per platform under one index, named
// by version.
func build(dist, out, version, roots string, epoch time.Time) error {
	ca, err := os.ReadFile(roots)
	if err != nil {
		return fmt.Errorf("CA roots: %w", err)
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range platforms {
		bin, err := os.ReadFile(filepath.Join(dist, p.bin))
		if err != nil {
			return fmt.Errorf("%s: %w (run .ci/cross first)", p.plat.Architecture, err)
		}
		img, err := image(bin, ca, p.plat, version, epoch)
		if err != nil {
			return err
		}
		plat := p.plat
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &plat}})
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	lp, err := layout.Write(out, empty.Index)
	if err != nil {
		return err
	}
	return lp.AppendIndex(idx, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": version}))
}

// image builds one platform's image: a single layer over scratch.
func image(bin, ca []byte, plat v1.Platform, version string, epoch time.Time) (v1.Image, error) {
	layerTar, err := rootfs(bin, ca, epoch)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	if img, err = mutate.AppendLayers(img, layer); err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant = plat.OS, plat.Architecture, plat.Variant
	cf.Created = v1.Time{Time: epoch}
	cf.Config = v1.Config{
		Entrypoint: []string{"/ddns", "watch"},
		User:       fmt.Sprintf("%d:%d", uid, uid),
		// The original's image reads /ddns/config.json: mount a directory
		// there and existing `docker run -v …:/ddns` setups keep working.
		WorkingDir: "/ddns",
		Env: []string{
			"PATH=/",
			"STATE_DIRECTORY=/var/lib/ddns",
			"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
			// The status endpoint on loopback, for the health check.
			"DDNS_STATUS=127.0.0.1:9876",
		},
		// The Dockerfile's HEALTHCHECK: `ddns status` exits 0 healthy, 1
		// unhealthy, 2 unreachable.
		Healthcheck: &v1.HealthConfig{
			Test:        []string{"CMD", "/ddns", "status"},
			Interval:    time.Minute,
			Timeout:     10 * time.Second,
			StartPeriod: 30 * time.Second,
			Retries:     3,
		},
		Labels: map[string]string{
			"org.opencontainers.image.title":   "ddns",
			"org.opencontainers.image.source":  "https://github.com/ddns-go/ddns",
			"org.opencontainers.image.version": version,
		},
	}
	return mutate.ConfigFile(img, cf)
}

// rootfs is the image's only layer.
func rootfs(bin, ca []byte, epoch time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	// Directories come before their files, as extractors expect.
	entries := []struct {
		name  string
		mode  int64
		owner int
		body  []byte
		isDir bool
	}{
		{name: "ddns/", mode: 0o755, owner: uid, isDir: true},
		{name: "etc/", mode: 0o755, isDir: true},
		{name: "etc/ssl/", mode: 0o755, isDir: true},
		{name: "etc/ssl/certs/", mode: 0o755, isDir: true},
		{name: "tmp/", mode: 0o1777, isDir: true},
		{name: "var/", mode: 0o755, isDir: true},
		{name: "var/lib/", mode: 0o755, isDir: true},
		{name: "var/lib/ddns/", mode: 0o700, owner: uid, isDir: true},
		{name: "ddns", mode: 0o755, body: bin},
		{name: "etc/passwd", mode: 0o644, body: []byte("root:x:0:0:root:/root:/sbin/nologin\nddns:x:65532:65532:ddns:/ddns:/sbin/nologin\n")},
		{name: "etc/group", mode: 0o644, body: []byte("root:x:0:\nddns:x:65532:\n")},
		{name: "etc/ssl/certs/ca-certificates.crt", mode: 0o644, body: ca},
	}
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Uid: e.owner, Gid: e.owner, ModTime: epoch, Format: tar.FormatPAX, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if e.isDir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
