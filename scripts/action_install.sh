#!/usr/bin/env bash
# Installs hoplint for the GitHub Action. With a release tag as the
# action's ref (uses: hoplint/hoplint@v1.2.3) it downloads that release's
# archive for the runner's OS and architecture, verifies it against the
# release's checksums.txt, and keeps the verified binary in a cache
# directory for the next run. With a branch or commit as the ref, or when
# the release has no archive for this runner, it asks the action to build
# from source (need-build=true). It always says which it did. A checksum
# that does not match fails the step: nothing is installed.
#
# With HOPLINT_PINNED=true (the version input named the release) a
# release without this runner's archive fails the step instead: a build of
# the action's own checkout would be another version than the one asked for.
#
# Environment: HOPLINT_REF (the release tag or github.action_ref, see
# scripts/action_version.sh), HOPLINT_PINNED, RUNNER_OS, RUNNER_ARCH,
# HOPLINT_DEST (directory that receives the hoplint binary), HOPLINT_CACHE
# (directory kept between runs by actions/cache), GITHUB_OUTPUT, and
# HOPLINT_RELEASES (release download base; tests point it at a local
# server).
set -euo pipefail
ref=${HOPLINT_REF:-}
releases=${HOPLINT_RELEASES:-https://github.com/hoplint/hoplint/releases/download}
dest=${HOPLINT_DEST:?HOPLINT_DEST is not set}
cache=${HOPLINT_CACHE:-}
out=${GITHUB_OUTPUT:-/dev/null}

pinned=${HOPLINT_PINNED:-false}

build() {
  if [ "$pinned" = true ]; then
    echo "hoplint: $1; the version input asks for that release, so hoplint is not built from the action's own source instead" >&2
    exit 1
  fi
  echo "hoplint: $1; building hoplint from source"
  echo "need-build=true" >>"$out"
  echo "how=build" >>"$out"
  exit 0
}

if ! [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
  build "the action's ref '${ref:-unknown}' is a branch or a commit, not a release tag"
fi

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) build "no release binary for runner OS '${RUNNER_OS:-unknown}'" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) build "no release binary for runner architecture '${RUNNER_ARCH:-unknown}'" ;;
esac
exe=hoplint; ext=tar.gz
if [ "$os" = windows ]; then exe=hoplint.exe; ext=zip; fi
archive="hoplint_${ref#v}_${os}_${arch}.$ext"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

mkdir -p "$dest"
# A binary cached by an earlier run was verified then; its digest is kept
# beside it and checked again, so a damaged cache is downloaded anew.
if [ -n "$cache" ] && [ -f "$cache/$exe" ] && [ -f "$cache/$exe.sha256" ] && [ "$(sha256 "$cache/$exe")" = "$(cat "$cache/$exe.sha256")" ]; then
  cp "$cache/$exe" "$dest/$exe"
  chmod +x "$dest/$exe"
  echo "hoplint: using the $ref release binary for $os/$arch cached by an earlier run"
  echo "need-build=false" >>"$out"
  echo "how=cache" >>"$out"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { curl -fsSL --retry 3 --retry-delay 2 -o "$2" "$1"; }
if ! fetch "$releases/$ref/$archive" "$tmp/$archive"; then
  build "release $ref has no $archive (or it could not be downloaded)"
fi
if ! fetch "$releases/$ref/checksums.txt" "$tmp/checksums.txt"; then
  build "release $ref has no checksums.txt to verify $archive against"
fi
want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
got=$(sha256 "$tmp/$archive")
if [ -z "$want" ]; then
  echo "hoplint: checksums.txt of release $ref lists no $archive; refusing to install an unverified binary" >&2
  exit 1
fi
if [ "$want" != "$got" ]; then
  echo "hoplint: $archive of release $ref does not match its checksum (sha256 $got, checksums.txt says $want); refusing to install it" >&2
  exit 1
fi
mkdir "$tmp/x"
if [ "$ext" = zip ]; then unzip -q "$tmp/$archive" "$exe" -d "$tmp/x"; else tar -xzf "$tmp/$archive" -C "$tmp/x" "$exe"; fi
[ -f "$tmp/x/$exe" ] || { echo "hoplint: $archive holds no $exe" >&2; exit 1; }
cp "$tmp/x/$exe" "$dest/$exe"
chmod +x "$dest/$exe"
if [ -n "$cache" ]; then
  mkdir -p "$cache"
  cp "$tmp/x/$exe" "$cache/$exe"
  sha256 "$cache/$exe" >"$cache/$exe.sha256"
fi
echo "hoplint: downloaded the $ref release binary for $os/$arch and verified it against checksums.txt"
echo "need-build=false" >>"$out"
echo "how=download" >>"$out"
