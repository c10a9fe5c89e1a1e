# Build stage: compile the release binary.
FROM rust:1.88-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY patterns ./patterns
COPY benches ./benches
COPY examples ./examples
COPY tests ./tests
RUN cargo build --release --locked --bin tailwatch

# Runtime stage: the binary alone, as an unprivileged user.
FROM debian:bookworm-slim
COPY --from=build /src/target/release/tailwatch /usr/local/bin/tailwatch
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/tailwatch"]
CMD ["scan", "--help"]
