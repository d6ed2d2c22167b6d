#!/usr/bin/env bash
# Builds hoplint from the action's own source for the GitHub Action (when
# scripts/action_install.sh found no release binary to download), with its
# version information (issue 23 item 11). GitHub downloads a remote action
# as an archive without .git, so the Go build has no revision to record and
# `hoplint version` would say "devel (revision unknown)": the action's ref
# is stamped in with -ldflags instead, as the release (-X main.Version) for
# a release tag, as the revision for a commit, and as where it was built
# from (owner/name@ref) in any case. A checkout with .git (uses: ./) keeps
# what the Go build records from it; where git cannot read that checkout
# (another owner: "error obtaining VCS status"), it is built without.
# Environment: GO (the go binary, scripts/action_go.sh), HOPLINT_SRC (the
# action's directory), HOPLINT_DEST (directory that receives the binary),
# ACTION_REF (github.action_ref, may be empty), ACTION_REPOSITORY
# (github.action_repository), and the GOCACHE/GOMODCACHE/GOTOOLCHAIN/
# GOFLAGS the step sets.
set -euo pipefail
go=${GO:?GO is not set}
src=${HOPLINT_SRC:?HOPLINT_SRC is not set}
dest=${HOPLINT_DEST:?HOPLINT_DEST is not set}
ref=${ACTION_REF:-}
repo=${ACTION_REPOSITORY:-hoplint/hoplint}

# Only characters a ref or repository name may hold reach -ldflags (it is
# split on spaces, and a quote would change its meaning).
safe='^[A-Za-z0-9._/@+-]+$'
ldflags=""
if [ -n "$ref" ] && [[ "$ref" =~ $safe ]] && [[ "$repo" =~ $safe ]]; then
  ldflags="-X main.BuiltFrom=$repo@$ref"
  if [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
    ldflags="$ldflags -X main.Version=$ref"
  elif [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
    ldflags="$ldflags -X main.Revision=$ref"
  fi
fi

cd "$src"
mkdir -p "$dest"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! GOBIN="$dest" "$go" install -ldflags="$ldflags" ./cmd/hoplint 2>"$log"; then
  cat "$log" >&2
  if grep -q 'error obtaining VCS status' "$log"; then
    echo "hoplint: git cannot read the action's checkout; building without its VCS information"
    GOBIN="$dest" "$go" install -buildvcs=false -ldflags="$ldflags" ./cmd/hoplint
  else
    exit 1
  fi
fi
"$dest/hoplint" version
