#!/usr/bin/env bash
# Runs scripts/action.sh as GitHub would, without GitHub: the GITHUB_*
# files are temporary, the repository is a temporary git repository holding
# examples/shop. Checks the annotations, the step summary, the outputs, the
# SARIF file, the exit status, and only-new on a pull request.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "action_test: $*" >&2; exit 1; }

# action.yml passes every input to the script as INPUT_<NAME> and runs
# the script this test runs (pre-commit brings python3 and PyYAML).
python3 - "$repo/action.yml" <<'PY' || fail "action.yml does not match scripts/action.sh"
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["runs"]["using"] == "composite"
run = [s for s in a["runs"]["steps"] if s.get("id") == "run"][0]
assert "scripts/action.sh" in run["run"], run["run"]
for name in a["inputs"]:
    env = "INPUT_" + name.upper().replace("-", "_")
    assert run["env"].get(env) == "${{ inputs.%s }}" % name, (name, env)
PY

(cd "$repo" && go build -o "$work/hoplint" ./cmd/hoplint)
export HOPLINT="$work/hoplint"

mkdir "$work/repo"
cp -r "$repo/examples/shop/." "$work/repo/"
cd "$work/repo"
git init -q
git -c user.email=ci@example.com -c user.name=ci add .
git -c user.email=ci@example.com -c user.name=ci -c commit.gpgsign=false commit -q -m base

run_action() {
  : >"$work/summary.md"; : >"$work/output"
  set +e
  GITHUB_STEP_SUMMARY="$work/summary.md" GITHUB_OUTPUT="$work/output" \
    bash "$repo/scripts/action.sh" >"$work/log" 2>&1
  code=$?
  set -e
}

# A push: every finding, annotations in the log, the summary, SARIF.
GITHUB_EVENT_NAME=push INPUT_SARIF="$work/out/hoplint.sarif" run_action
[ "$code" = 1 ] || { cat "$work/log"; fail "push: exit $code, want 1"; }
grep -q '^::error file=nginx/nginx.conf,line=22,endLine=22,col=5' "$work/log" || { cat "$work/log"; fail "no error annotation for nginx.conf"; }
grep -Eq '^### hoplint: 3 errors, [0-9]+ warnings' "$work/summary.md" || { cat "$work/summary.md"; fail "summary headline"; }
grep -q '^```mermaid$' "$work/summary.md" || fail "summary has no Mermaid picture"
grep -q 'keepalive-order' "$work/summary.md" || fail "summary has no findings table"
grep -qx 'exit-code=1' "$work/output" || fail "exit-code output: $(cat "$work/output")"
grep -qx "sarif=$work/out/hoplint.sarif" "$work/output" || fail "sarif output"
grep -q '"primaryLocationLineHash"' "$work/out/hoplint.sarif" || fail "SARIF not written"

# A pull request that changes one line: only the finding on it is new
# (read-timeout-order on the /reports/ location's proxy_read_timeout).
sed -i 's/proxy_read_timeout 180s;/proxy_read_timeout 170s;/' nginx/nginx.conf
grep -q 'proxy_read_timeout 170s' nginx/nginx.conf || fail "fixture edit did not apply"
GITHUB_EVENT_NAME=pull_request HOPLINT_BASE_REV=HEAD INPUT_ONLY_NEW=auto run_action
[ "$code" = 1 ] || { cat "$work/log"; fail "pull request: exit $code, want 1"; }
n=$(grep -c '^::' "$work/log" || true)
[ "$n" = 1 ] || { cat "$work/log"; fail "pull request: $n annotations, want 1 (only the changed line)"; }
grep -q '^::warning .*hoplint read-timeout-order::' "$work/log" || fail "the new finding is not read-timeout-order"
grep -q 'not changed since then not shown' "$work/summary.md" || fail "summary does not say findings were left out"

# Clean with fail-on never, and a wrong path is an error (exit 2).
INPUT_FAIL_ON=never run_action
[ "$code" = 0 ] || fail "fail-on never: exit $code"
INPUT_PATHS="no/such/dir" run_action
[ "$code" = 2 ] || fail "wrong path: exit $code, want 2"
echo "action_test: ok"
