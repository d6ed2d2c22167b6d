#!/usr/bin/env bash
# Finds a Go for the GitHub Action to build hoplint with, without changing
# the user's job: nothing is added to PATH or to the environment of later
# steps (actions/setup-go would leave its Go first on PATH). A Go of 1.21
# or later on the runner is used as it is: with GOTOOLCHAIN=auto it fetches
# the toolchain go.mod asks for into hoplint's own module cache, verified
# by the Go checksum database. Without one, the Go release go.mod names is
# downloaded from go.dev into $RUNNER_TEMP, checked against the SHA-256 that
# go.dev lists for it, and used from there.
# Writes go=PATH (the go binary) to $GITHUB_OUTPUT.
# Environment: GO_VERSION (the go line of go.mod, e.g. 1.26.0), RUNNER_OS,
# RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT; HOPLINT_GO_INDEX and
# HOPLINT_GO_DL (go.dev's release list and download base; tests point them
# at a local server).
set -euo pipefail
out=${GITHUB_OUTPUT:-/dev/null}
want=${GO_VERSION:?GO_VERSION is not set}
index=${HOPLINT_GO_INDEX:-https://go.dev/dl/?mode=json&include=all}
dl=${HOPLINT_GO_DL:-https://go.dev/dl}
dest=${RUNNER_TEMP:?RUNNER_TEMP is not set}/hoplint-go

if command -v go >/dev/null 2>&1; then
  v=$(go env GOVERSION 2>/dev/null | sed 's/^go//')
  major=${v%%.*}; rest=${v#*.}; minor=${rest%%.*}
  if [ "${major:-0}" -gt 1 ] 2>/dev/null || { [ "${major:-0}" -eq 1 ] 2>/dev/null && [ "${minor:-0}" -ge 21 ] 2>/dev/null; }; then
    echo "hoplint: building with the runner's Go $v (GOTOOLCHAIN=auto fetches Go $want if it is older)"
    echo "go=$(command -v go)" >>"$out"
    exit 0
  fi
fi

if [ -x "$dest/go/bin/go" ]; then
  echo "hoplint: using Go $want downloaded by an earlier step into $dest"
  echo "go=$dest/go/bin/go" >>"$out"
  exit 0
fi

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) echo "hoplint: no Go on the runner and no Go download for runner OS '${RUNNER_OS:-unknown}'" >&2; exit 1 ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) echo "hoplint: no Go on the runner and no Go download for runner architecture '${RUNNER_ARCH:-unknown}'" >&2; exit 1 ;;
esac
ext=tar.gz
if [ "$os" = windows ]; then ext=zip; fi
file="go${want}.${os}-${arch}.${ext}"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { curl -fsSL --retry 3 --retry-delay 2 -o "$2" "$1"; }
fetch "$index" "$tmp/index.json" || { echo "hoplint: no Go on the runner, and go.dev's release list could not be read" >&2; exit 1; }
sum=$(python3 - "$tmp/index.json" "$file" <<'PY'
import json, sys
for rel in json.load(open(sys.argv[1])):
    for f in rel.get("files", []):
        if f.get("filename") == sys.argv[2] and f.get("kind") == "archive":
            print(f.get("sha256", ""))
            sys.exit(0)
PY
)
if ! [[ "$sum" =~ ^[0-9a-f]{64}$ ]]; then
  echo "hoplint: go.dev lists no $file with a SHA-256; refusing to install an unverified Go" >&2
  exit 1
fi
fetch "$dl/$file" "$tmp/$file" || { echo "hoplint: $file could not be downloaded from $dl" >&2; exit 1; }
got=$(sha256 "$tmp/$file")
if [ "$got" != "$sum" ]; then
  echo "hoplint: $file does not match its checksum (sha256 $got, go.dev lists $sum); refusing to use it" >&2
  exit 1
fi
mkdir -p "$tmp/x"
if [ "$ext" = zip ]; then unzip -q "$tmp/$file" -d "$tmp/x"; else tar -xzf "$tmp/$file" -C "$tmp/x"; fi
[ -x "$tmp/x/go/bin/go" ] || [ -f "$tmp/x/go/bin/go.exe" ] || { echo "hoplint: $file holds no go/bin/go" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
mv "$tmp/x/go" "$dest/go"
echo "hoplint: downloaded Go $want for $os/$arch into $dest and verified it against go.dev's SHA-256 (not added to PATH)"
echo "go=$dest/go/bin/go" >>"$out"
