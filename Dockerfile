# syntax=docker/dockerfile:1
# Lejek in one image: the server binary and the WASM client it serves.
# Build from a clone: docker build -t lejek .
#
# The build stage runs the same commands as the README: `cargo xtask
# build-client` (cargo and wasm-bindgen as a library, nothing downloaded
# but crates and the wasm32 target) and the server's release build.
FROM rust:1.95-bookworm AS build
WORKDIR /src
# The toolchain file pins 1.95.0 with the wasm32 target: installed once, in
# its own layer, so code changes do not fetch it again.
COPY rust-toolchain.toml ./
RUN rustup toolchain install
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo xtask build-client \
 && cargo build --release --package lejek-server \
 && mkdir -p /out \
 && cp target/release/lejek /out/lejek \
 && cp -r frontend/dist /out/client

FROM debian:bookworm-slim
# curl for the health check; ca-certificates for TLS to PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /var/lib/lejek --create-home lejek
COPY --from=build /out/lejek /usr/local/bin/lejek
COPY --from=build /out/client /opt/lejek/client
USER lejek
WORKDIR /var/lib/lejek
ENV LEJEK_LISTEN=0.0.0.0:8080 \
    LEJEK_DATA_DIR=/var/lib/lejek \
    LEJEK_CLIENT_DIR=/opt/lejek/client
VOLUME /var/lib/lejek
EXPOSE 8080
# Ready means the database answers: a node that lost it leaves the proxy's
# rotation (the proxy probes /readyz itself too).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["curl", "--fail", "--silent", "--max-time", "2", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["lejek"]
CMD ["serve"]
