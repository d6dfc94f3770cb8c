# syntax=docker/dockerfile:1
# shale in a container, the way Slate users run slatedocs/slate (see README.md, "Get shale"):
#
#   docker run --rm -v "$PWD":/docs -p 127.0.0.1:4567:4567 IMAGE serve --host 0.0.0.0
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD":/docs IMAGE            (build/)
#
# The build stage compiles shale with the release's own script (static, crt-static); the
# image is that one binary on distroless/static: no shell, no package manager, no libc
# needed. It runs as distroless' `nonroot` user (65532) in /docs; `-u` runs it as you,
# so that it can write build/ into your folder and the files are yours.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-trixie AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    bin="$(scripts/release/build.sh "$(uname -m)-unknown-linux-gnu")" \
    && cp "$bin" /shale

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /shale /usr/local/bin/shale
USER 65532:65532
WORKDIR /docs
EXPOSE 4567
ENTRYPOINT ["/usr/local/bin/shale"]
CMD ["build"]
