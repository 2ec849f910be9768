# The batch-preflight container image, built from a release's files, not from source: the build
# context is a folder holding SHA256SUMS and the binaries (dist/release/ after `npm run release`,
# or the files downloaded from a release). Multi-arch: docker buildx build --platform
# linux/amd64,linux/arm64 -f Dockerfile dist/release
#   docker run --rm -v /:/host:ro IMAGE --root /host      # check a host or an image tree
# Debian 12: glibc 2.36 and libstdc++, above the binaries' floor (glibc 2.28, GLIBCXX_3.4.21).

# Picks and verifies the binary for the target architecture, natively on the build machine.
FROM --platform=$BUILDPLATFORM debian:12-slim AS pick
ARG TARGETARCH
COPY SHA256SUMS batch-preflight-linux-x64 batch-preflight-linux-arm64 /release/
RUN cd /release \
 && case "$TARGETARCH" in amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "no batch-preflight binary for $TARGETARCH" >&2; exit 1 ;; esac \
 && grep -E "^[0-9a-f]{64}  batch-preflight-linux-$arch\$" SHA256SUMS | sha256sum --check --strict - \
 && install -m 0755 "batch-preflight-linux-$arch" /batch-preflight

FROM debian:12-slim
COPY --from=pick /batch-preflight /usr/local/bin/batch-preflight
ENTRYPOINT ["/usr/local/bin/batch-preflight"]
