#!/usr/bin/env bash
# Decides which hoplint the GitHub Action runs: the release named by the
# version input (v1.2.3 or 1.2.3), else the action's own ref (uses:
# hoplint/hoplint@REF: a release tag downloads that release, a branch or a
# commit builds from the action's checkout). Writes to $GITHUB_OUTPUT:
#   ref=REF           the release tag or the action's ref
#   release=true      when REF is a release tag
#   pinned=true       when the version input named it: then no build from
#                     the action's source may stand in for it
# A version input that is not a release tag fails the step (exit 2), as
# hoplint's own usage errors do.
# Environment: INPUT_VERSION, ACTION_REF (github.action_ref), GITHUB_OUTPUT.
set -euo pipefail
out=${GITHUB_OUTPUT:-/dev/null}
version=${INPUT_VERSION:-}
ref=${ACTION_REF:-}
tag_re='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$'
pinned=false
if [ -n "$version" ]; then
  case $version in v*) ;; *) version=v$version ;; esac
  if ! [[ "$version" =~ $tag_re ]]; then
    echo "hoplint: the version input '$(printf '%s' "${INPUT_VERSION}" | tr '[:cntrl:]' '?')' is not a release tag; write one like v1.2.3, or leave it empty to run the action's own ref"
    exit 2
  fi
  ref=$version
  pinned=true
fi
release=false
if [[ "$ref" =~ $tag_re ]]; then release=true; fi
{
  echo "ref=$ref"
  echo "release=$release"
  echo "pinned=$pinned"
} >>"$out"
