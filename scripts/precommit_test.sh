#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml for real: pre-commit try-repo against a
# temporary git repository holding examples/shop. Both hooks must run on
# the whole repository and fail on its findings; the golang hook builds
# hoplint itself (through the module proxy in GOPROXY), the system hook
# uses a hoplint on PATH.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "precommit_test: $*" >&2; exit 1; }

export PRE_COMMIT_HOME="$work/cache"
# try-repo clones the hooks repository; a worktree's .git is a file, which
# a clone handles, but uncommitted changes are only seen from a shadow copy.
mkdir "$work/shop"
cp -r "$repo/examples/shop/." "$work/shop/"
cd "$work/shop"
git init -q
git -c user.email=ci@example.com -c user.name=ci add .
git -c user.email=ci@example.com -c user.name=ci -c commit.gpgsign=false commit -q -m shop

check() {
  local hook=$1
  set +e
  pre-commit try-repo "$repo" "$hook" --all-files >"$work/$hook.log" 2>&1
  local code=$?
  set -e
  [ "$code" = 1 ] || { cat "$work/$hook.log"; fail "$hook: exit $code, want 1 (findings)"; }
  grep -q 'keepalive-order' "$work/$hook.log" || { cat "$work/$hook.log"; fail "$hook: no finding in the output"; }
  grep -q 'nginx/nginx.conf:22:5' "$work/$hook.log" || { cat "$work/$hook.log"; fail "$hook: cross-file finding missing"; }
  echo "precommit_test: $hook ok"
}

pre-commit validate-manifest "$repo/.pre-commit-hooks.yaml" || fail ".pre-commit-hooks.yaml is not a valid manifest"

(cd "$repo" && go build -o "$work/bin/hoplint" ./cmd/hoplint)
PATH="$work/bin:$PATH" check hoplint-system

# The docker_image hook, with a stand-in for docker (no engine runs here):
# it takes the command pre-commit builds (docker run --rm -u U:G -v
# HOST:/src:rw,Z --workdir /src IMAGE ARGS...) and does what the release
# image does (build/release.Dockerfile): run hoplint with ARGS in /src.
mkdir -p "$work/fakedocker"
cat >"$work/fakedocker/docker" <<FAKE
#!/usr/bin/env bash
set -euo pipefail
[ "\$1" = run ] || exit 0
shift
host="" workdir=""
while [ \$# -gt 0 ]; do
  case "\$1" in
    --rm) shift ;;
    -u) shift 2 ;;
    -v) host="\${2%%:/src:*}"; shift 2 ;;
    --workdir) workdir=\$2; shift 2 ;;
    *) break ;;
  esac
done
[ "\$1" = ghcr.io/hoplint/hoplint:latest ] || { echo "fake docker: unexpected image \$1" >&2; exit 97; }
[ "\$workdir" = /src ] && [ -n "\$host" ] || { echo "fake docker: the tree is not mounted at /src" >&2; exit 98; }
shift
cd "\$host" && exec "$work/bin/hoplint" "\$@"
FAKE
chmod +x "$work/fakedocker/docker"
PATH="$work/fakedocker:$PATH" check hoplint-docker
if [ "${SKIP_GOLANG_HOOK:-}" = 1 ]; then
  echo "precommit_test: golang hook skipped (SKIP_GOLANG_HOOK=1)"
else
  check hoplint
fi
