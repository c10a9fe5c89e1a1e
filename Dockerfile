# tailwatch's image: the release binary on a distroless base, as a numeric
# non-root user, running the agent with /etc/tailwatch/tailwatch.yaml.
#
#   docker build -t tailwatch .
#   docker run --rm -p 9464:9464 -v /var/log/app:/var/log/app:ro tailwatch
#
# About 35 MiB uncompressed: the distroless base's Debian 12 packages (glibc,
# libgcc, libssl, tzdata, CA certificates) and the 10 MiB stripped binary.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# For both builds below: a profile setting that differs between them would
# rebuild every dependency.
ENV CARGO_PROFILE_RELEASE_STRIP=symbols
# Dependencies in a layer of their own, built from the manifest and the lock
# file with stand-in sources: a change to tailwatch's code rebuilds only
# tailwatch. The test and bench stand-ins stay (the manifest names them).
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src tests benches \
 && echo 'fn main() {}' > src/main.rs \
 && touch src/lib.rs tests/tests.rs \
 && echo 'fn main() {}' > benches/matcher.rs \
 && cargo build --release --locked --bin tailwatch \
 && rm -r src
COPY src ./src
COPY patterns ./patterns
# Newer than the stand-ins' build, whatever times the copy kept.
RUN touch src/main.rs src/lib.rs \
 && cargo build --release --locked --bin tailwatch \
 && mkdir -p /out/var/lib/tailwatch

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/tailwatch /usr/local/bin/tailwatch
COPY config/tailwatch.yaml /etc/tailwatch/tailwatch.yaml
# The checkpoint directory, the only place the agent writes.
COPY --from=build --chown=65532:65532 /out/var/lib/tailwatch /var/lib/tailwatch
USER 65532:65532
EXPOSE 9464
ENTRYPOINT ["/usr/local/bin/tailwatch"]
CMD ["run", "--config", "/etc/tailwatch/tailwatch.yaml"]
