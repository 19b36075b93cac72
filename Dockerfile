# syntax=docker/dockerfile:1
# Multi-arch image: docker buildx build --platform linux/amd64,linux/arm64,linux/arm/v7 -t ddns .
# Without a container engine, .ci/package writes the same image as an OCI
# layout (packaging/oci). Run it with host networking so the reactor sees
# the host's addresses (docs/container.md):
#   docker run -d --network host -v "$PWD":/ddns ddns
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH TARGETVARIANT VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN GOARM="${TARGETVARIANT#v}" CGO_ENABLED=0 GOOS="$TARGETOS" GOARCH="$TARGETARCH" \
    go build -trimpath -tags nethttpomithttp2 -ldflags="-s -w -X main.version=${VERSION}" -o /out/ddns ./cmd/ddns \
 && mkdir -p /out/root/etc /out/root/ddns /out/root/var/lib/ddns /out/root/tmp \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nddns:x:65532:65532:ddns:/ddns:/sbin/nologin\n' >/out/root/etc/passwd \
 && printf 'root:x:0:\nddns:x:65532:\n' >/out/root/etc/group \
 && chmod 1777 /out/root/tmp && chmod 700 /out/root/var/lib/ddns \
 && chown 65532:65532 /out/root/ddns /out/root/var/lib/ddns

FROM scratch
COPY --from=build /out/root/ /
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/ddns /ddns
# DDNS_STATUS turns the status endpoint on, on loopback only, for the
# HEALTHCHECK below; a "status" key in the configuration wins over it, and
# `ddns status` reads the same configuration, so both always agree.
ENV PATH=/ STATE_DIRECTORY=/var/lib/ddns SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt DDNS_STATUS=127.0.0.1:9876
USER 65532:65532
# The original's image reads /ddns/config.json: mount a directory there.
WORKDIR /ddns
ENTRYPOINT ["/ddns", "watch"]
# Exit 0 healthy, 1 unhealthy (a record failing for longer than the
# interval, or refused for good), 2 endpoint unreachable: Docker counts any
# non-zero status as a failed check. packaging/oci writes the same check.
HEALTHCHECK --interval=1m --timeout=10s --start-period=30s --retries=3 CMD ["/ddns", "status"]
