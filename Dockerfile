# The lambda-adapter image: FROM scratch, holding only /lambda-adapter, so a function image
# takes it with
#   COPY --from=<this image> /lambda-adapter /opt/extensions/lambda-adapter
# Build both architectures: docker buildx build --platform linux/amd64,linux/arm64 -t <tag> .

# The build stage runs on the builder's own platform and cross-compiles for the target, so an
# arm64 image is built without emulation. deno compile fetches the runtime for the target.
FROM --platform=$BUILDPLATFORM denoland/deno:2.9.6 AS build
ARG TARGETARCH
WORKDIR /src
COPY deno.json deno.lock ./
COPY src ./src
RUN case "$TARGETARCH" in \
      amd64) target=x86_64-unknown-linux-gnu ;; \
      arm64) target=aarch64-unknown-linux-gnu ;; \
      *) echo "unsupported TARGETARCH: $TARGETARCH" >&2; exit 1 ;; \
    esac \
 && deno compile --allow-net --allow-env --allow-read --allow-run \
      --v8-flags=--max-semi-space-size=1,--single-threaded,--max-opt=2,--expose-gc \
      --target "$target" --output /lambda-adapter src/main.ts

# The binary needs glibc (Deno has no musl build), which every function base image but Alpine has.
FROM scratch
COPY --from=build /lambda-adapter /lambda-adapter
