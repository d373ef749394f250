# syntax=docker/dockerfile:1
#
# rollcall in a container: a multi-stage build on Debian 12 (bookworm), then a runtime
# image with nothing but glibc, the binary and a non-root user. The database lives on the
# /data volume; the dialogs are built into the binary. HEALTHCHECK asks the bot's own
# /healthz through `rollcall health` (the image has no shell and no curl).
#
#   docker build --build-arg ROLLCALL_GIT_COMMIT=$(git rev-parse --short=12 HEAD) -t rollcall .
#   docker run -d --name rollcall -e TELOXIDE_TOKEN=123456:ABC... -v rollcall-data:/data rollcall
#
# The first supervisor, before the first start (redb lets one process open the file):
#   docker run --rm -v rollcall-data:/data rollcall grant --user <id> --role supervisor
#
# The build stage and the runtime image share Debian 12's glibc (2.36), which the binary
# links dynamically.

FROM rust:1.95-bookworm AS build
WORKDIR /src
# The build context has no .git (see .dockerignore): --version gets the commit from here.
ARG ROLLCALL_GIT_COMMIT=unknown
ENV ROLLCALL_GIT_COMMIT=${ROLLCALL_GIT_COMMIT}
COPY . .
RUN cargo build --release --locked --bin rollcall \
    && mkdir /data

# distroless/cc: glibc, libgcc and CA certificates, no shell; "nonroot" is uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/rollcall /usr/local/bin/rollcall
COPY --from=build --chown=65532:65532 /data /data
USER 65532:65532
WORKDIR /data
ENV ROLLCALL_DB=/data/rollcall.redb \
    ROLLCALL_METRICS_LISTEN=127.0.0.1:9898 \
    RUST_LOG=info
VOLUME ["/data"]
# docker stop sends SIGTERM: the bot finishes its batch, sends what is queued for up to
# 5 s and exits 0 (docker waits 10 s by default).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/rollcall", "health"]
ENTRYPOINT ["/usr/local/bin/rollcall"]
CMD ["run"]
