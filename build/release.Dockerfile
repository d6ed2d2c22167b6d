# The release image: the static hoplint binary on distroless/static, run as
# the image's non-root user (65532). Mount the tree to lint at /src:
#   docker run --rm -v "$PWD:/src" ghcr.io/hoplint/hoplint:VERSION
# goreleaser builds it from the binary it has just built (see .goreleaser.yaml).
FROM gcr.io/distroless/static-debian12:nonroot
COPY hoplint /usr/local/bin/hoplint
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/hoplint"]
CMD ["."]
