# Lejek server image: the lejek binary (and the built client, when present).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN rustup target add wasm32-unknown-unknown \
 && cargo build --release --package lejek-server \
 && mkdir -p /out/frontend \
 && cp target/release/lejek /out/lejek \
 && if [ -d frontend/dist ]; then cp -r frontend/dist /out/frontend/dist; fi

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/lejek --create-home lejek
COPY --from=build /out/lejek /usr/local/bin/lejek
COPY --from=build /out/frontend /opt/lejek/frontend
USER lejek
WORKDIR /var/lib/lejek
ENV LEJEK_LISTEN=0.0.0.0:8080 \
    LEJEK_DATA_DIR=/var/lib/lejek \
    LEJEK_CLIENT_DIR=/opt/lejek/frontend/dist
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["lejek"]
CMD ["serve"]
