# syntax=docker/dockerfile:1
# claimscrub: a static-stdlib release binary on a slim Debian with only what it links.
# No Docker engine runs on the project's machines: scripts/check-runtime-image proves the
# runtime stage by running the same binary in a debootstrap root file system holding
# exactly RUNTIME_PACKAGES below (see the README, "Container image").
#
#   docker build -t claimscrub .
#   docker run --rm -p 8080:8080 claimscrub
#   docker run --rm -p 8080:8080 -v "$PWD/my-config:/app/Config:ro" claimscrub
#   docker run --rm -p 8080:8080 -e CLAIMSCRUB_LOG_LEVEL=debug claimscrub

ARG SWIFT_VERSION=6.3
ARG DEBIAN_RELEASE=bookworm

# ---- build ------------------------------------------------------------------------------
FROM swift:${SWIFT_VERSION}-${DEBIAN_RELEASE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pkg-config zlib1g-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so editing the sources does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY Config ./Config
RUN swift build -c release --static-swift-stdlib --product claimscrub \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/claimscrub" /out/claimscrub

# ---- runtime ----------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# What the static binary still links dynamically (libc, libstdc++, zlib; OpenSSL for TLS)
# and the CA roots. No tzdata: the service logs and dates in UTC.
ARG RUNTIME_PACKAGES="ca-certificates libssl3 libstdc++6 zlib1g"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES} \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin claimscrub

COPY --from=build /out/claimscrub /usr/local/bin/claimscrub
# The shipped configuration; mount a directory over /app/Config to replace it, or set
# CLAIMSCRUB_* variables to override single server keys (README, "Configuration").
COPY --chown=root:root Config /app/Config
WORKDIR /app

ENV CLAIMSCRUB_CONFIG_FILE=/app/Config/server.yaml \
    CLAIMSCRUB_CONFIG=/app/Config \
    CLAIMSCRUB_HOST=0.0.0.0 \
    CLAIMSCRUB_PORT=8080

USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
# The binary asks its own /readyz over a socket: no curl in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["claimscrub", "healthcheck"]
ENTRYPOINT ["claimscrub"]
CMD ["serve"]

LABEL org.opencontainers.image.title="claimscrub" \
      org.opencontainers.image.description="Claim-scrubbing microservice: professional claims in, findings with likely denials and fixes out." \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Proprietary" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"
