#!/usr/bin/env bash
# Checks the release build without goreleaser, Docker or the network: builds
# the matrix .goreleaser.yaml declares, with its flags, and verifies what a
# release promises — static (CGO off, no dynamic section), stripped (no
# symbol table), -trimpath, reproducible (the same bytes from a copy of the
# tree at another path), checksums that verify — then runs the linux/amd64
# binary the way the image runs it: as user 65532, in /src holding the
# tree, with "." as its argument. A flag or target changed in one place and
# not the other fails here.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "release_test: $*" >&2; exit 1; }
cfg="$repo/.goreleaser.yaml"
docker="$repo/build/release.Dockerfile"

# What .goreleaser.yaml says, read back so the two cannot drift apart.
grep -qx '      - CGO_ENABLED=0' "$cfg" || fail ".goreleaser.yaml no longer builds with CGO_ENABLED=0"
grep -qx '      - -trimpath' "$cfg" || fail ".goreleaser.yaml no longer builds with -trimpath"
grep -q -- '- -s -w -X main.Version=' "$cfg" || fail ".goreleaser.yaml no longer strips (-s -w) or sets main.Version"
grep -q 'mod_timestamp: "{{ .CommitTimestamp }}"' "$cfg" || fail ".goreleaser.yaml no longer pins file times to the commit"
list() { sed -n "s/^    $1: \[\(.*\)\]$/\1/p" "$cfg" | tr -d ' ' | tr ',' ' '; }
goos=$(list goos); goarch=$(list goarch)
[ "$goos" = "linux darwin windows" ] || fail "goos is '$goos', want linux darwin windows"
[ "$goarch" = "amd64 arm64" ] || fail "goarch is '$goarch', want amd64 arm64"
grep -qx 'FROM gcr.io/distroless/static-debian12:nonroot' "$docker" || fail "the image is no longer distroless/static (nonroot)"
grep -qx 'USER 65532:65532' "$docker" || fail "the image no longer runs as a non-root user"
grep -qx 'WORKDIR /src' "$docker" || fail "the image no longer lints /src"
grep -qx 'ENTRYPOINT \["/usr/local/bin/hoplint"\]' "$docker" || fail "the image's entrypoint is not hoplint"

version=v0.0.0-release-test
build() { # dir goos goarch out
  (cd "$1" && CGO_ENABLED=0 GOOS=$2 GOARCH=$3 go build -trimpath -ldflags "-s -w -X main.Version=$version" -o "$4" ./cmd/hoplint)
}
# CI builds three of the six targets (one per OS, both architectures):
# each cold cross build costs minutes on a small runner. RELEASE_MATRIX=all
# builds all six, as goreleaser does.
mkdir -p "$work/dist"
for os in $goos; do
  for arch in $goarch; do
    if [ "${RELEASE_MATRIX:-}" != all ]; then
      case "$os/$arch" in linux/amd64 | darwin/arm64 | windows/amd64) ;; *) continue ;; esac
    fi
    ext=""; [ "$os" = windows ] && ext=.exe
    out="$work/dist/hoplint_${os}_${arch}$ext"
    build "$repo" "$os" "$arch" "$out"
    info=$(go version -m "$out")
    grep -q 'build	CGO_ENABLED=0' <<<"$info" || fail "$os/$arch: built with cgo"
    grep -q 'build	-trimpath=true' <<<"$info" || fail "$os/$arch: not built with -trimpath"
    # Stripped: no defined symbols left (a Mach-O binary keeps the
    # undefined ones it imports from the system's libraries, marked U).
    if go tool nm "$out" 2>/dev/null | grep -qv '^ *U '; then fail "$os/$arch: the binary still has a symbol table"; fi
    echo "release_test: $os/$arch $(du -m "$out" | cut -f1) MB"
  done
done

lin="$work/dist/hoplint_linux_amd64"
if command -v readelf >/dev/null 2>&1; then
  readelf -d "$lin" 2>&1 | grep -q 'no dynamic section' || fail "linux/amd64 is dynamically linked"
fi

# Reproducible: a copy of the tree at another path gives the same bytes.
mkdir "$work/copy"
(cd "$repo" && git ls-files -z | xargs -0 -I{} cp --parents {} "$work/copy/")
build "$work/copy" linux amd64 "$work/again"
[ "$(sha256sum <"$lin")" = "$(sha256sum <"$work/again")" ] || fail "linux/amd64 is not reproducible: two builds of one tree differ"

(cd "$work/dist" && sha256sum hoplint_* >checksums.txt && sha256sum -c --quiet checksums.txt) || fail "checksums do not verify"

# The image's way: user 65532, working directory /src (here a directory of
# that name), argument ".". The example stack has findings: exit 1.
mkdir -p "$work/image/src"
cp -r "$repo/examples/shop/." "$work/image/src/"
chmod -R a+rX "$work"
run=("$lin" .)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  run=("$(command -v setpriv)" --reuid=65532 --regid=65532 --clear-groups "$lin" .)
fi
set +e
(cd "$work/image/src" && env -i PATH=/nonexistent "${run[@]}") >"$work/image.out" 2>&1
code=$?
set -e
[ "$code" = 1 ] || { cat "$work/image.out"; fail "the image's run exited $code, want 1 (findings)"; }
grep -q 'keepalive-order' "$work/image.out" || { cat "$work/image.out"; fail "the image's run printed no keepalive-order finding"; }
"$lin" version | grep -q "$version" || fail "hoplint version does not print the release version"
echo "release_test: ok (static, stripped, trimpath, reproducible, checksums, image run as 65532 in /src)"
