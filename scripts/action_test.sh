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
steps = a["runs"]["steps"]
run = [s for s in steps if s.get("id") == "run"][0]
ref = [s for s in steps if s.get("id") == "ref"][0]
assert "scripts/action.sh" in run["run"], run["run"]
assert "scripts/action_version.sh" in ref["run"], ref["run"]
for name in a["inputs"]:
    env = "INPUT_" + name.upper().replace("-", "_")
    step = ref if name == "version" else run
    assert step["env"].get(env) == "${{ inputs.%s }}" % name, (name, env)
# The Action must not change the user's job: no setup-go (its Go stays
# first on PATH for later steps), nothing written to GITHUB_PATH or
# GITHUB_ENV, and the Go it builds with is the one go.mod asks for.
for s in steps:
    assert "setup-go" not in s.get("uses", ""), s
    assert "GITHUB_PATH" not in s.get("run", "") and "GITHUB_ENV" not in s.get("run", ""), s
gostep = [s for s in steps if s.get("id") == "go"][0]
gomod = [l.split()[1] for l in open(sys.argv[1].replace("action.yml", "go.mod")) if l.startswith("go ")][0]
assert gostep["env"]["GO_VERSION"] == gomod, (gostep["env"], gomod)
PY
for f in "$repo"/scripts/action*.sh; do
  case $f in */action_test.sh) continue ;; esac
  ! grep -q 'GITHUB_PATH\|GITHUB_ENV' "$f" || fail "$f writes to GITHUB_PATH or GITHUB_ENV: later steps of the user's job would change"
done

(cd "$repo" && go build -o "$work/hoplint" ./cmd/hoplint)
export HOPLINT="$work/hoplint"

mkdir "$work/repo"
cp -r "$repo/examples/shop/." "$work/repo/"
cd "$work/repo"
git init -q
git -c user.email=ci@example.com -c user.name=ci add .
git -c user.email=ci@example.com -c user.name=ci -c commit.gpgsign=false commit -q -m base

# outputs prints $GITHUB_OUTPUT as GitHub's runner reads it, one NAME=VALUE
# per output with newlines in values shown as \n (the last one of a name
# wins): NAME=VALUE lines and NAME<<DELIMITER blocks.
outputs() {
  python3 - "$work/output" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
out, i = {}, 0
while i < len(lines):
    line = lines[i]; i += 1
    if not line:
        continue
    h, e = line.find("<<"), line.find("=")
    if h >= 0 and (e < 0 or h < e):
        name, delim, val = line[:h], line[h+2:], []
        while i < len(lines) and lines[i] != delim:
            val.append(lines[i]); i += 1
        if i == len(lines):
            sys.exit("unterminated output " + name)
        i += 1
        out[name] = "\n".join(val)
    elif e >= 0:
        out[line[:e]] = line[e+1:]
    else:
        sys.exit("malformed output line: " + line)
for k, v in out.items():
    print(k + "=" + v.replace("\n", "\\n"))
PY
}

out_has() { outputs >"$work/outs" && grep -qxF -- "$1" "$work/outs"; }

run_action() {
  : >"$work/summary.md"; : >"$work/output"
  set +e
  GITHUB_STEP_SUMMARY="$work/summary.md" GITHUB_OUTPUT="$work/output" \
    bash "$repo/scripts/action.sh" >"$work/log" 2>&1
  code=$?
  set -e
}

# A push: every finding, annotations in the log, the summary, SARIF.
GITHUB_EVENT_NAME=push INPUT_SARIF="out/hoplint.sarif" run_action
[ "$code" = 1 ] || { cat "$work/log"; fail "push: exit $code, want 1"; }
grep -q '^::error file=nginx/nginx.conf,line=22,endLine=22,col=5' "$work/log" || { cat "$work/log"; fail "no error annotation for nginx.conf"; }
grep -Eq '^### hoplint: 3 errors, [0-9]+ warnings' "$work/summary.md" || { cat "$work/summary.md"; fail "summary headline"; }
grep -q '^```mermaid$' "$work/summary.md" || fail "summary has no Mermaid picture"
grep -q 'keepalive-order' "$work/summary.md" || fail "summary has no findings table"
out_has 'exit-code=1' || fail "exit-code output: $(cat "$work/output")"
out_has "sarif=out/hoplint.sarif" || fail "sarif output: $(cat "$work/output")"
grep -q '"primaryLocationLineHash"' out/hoplint.sarif || fail "SARIF not written"
rm -r out

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

# Hostile pull requests (issue 25, items 7, 8 and 22).
# A committed hoplint.sarif that is a symlink, or a directory symlink on
# the way to it, must not be written through; nor a path outside the
# workspace. The step fails (exit 2) and the target keeps its content.
echo keep >"$work/victim"
mkdir "$work/victimdir"
ln -s "$work/victim" hoplint.sarif
ln -s "$work/victimdir" reports
mkdir -p "$work/victimdir/sub"
ln -s "$work/victimdir/sub" up
for sarif in hoplint.sarif reports/hoplint.sarif "$work/outside.sarif" ../outside.sarif "$work/repo/../outside.sarif" up/../h.sarif; do
  INPUT_SARIF=$sarif run_action
  [ "$code" = 2 ] || { cat "$work/log"; fail "sarif=$sarif: exit $code, want 2 (refused)"; }
  grep -q 'the sarif input is refused' "$work/log" || { cat "$work/log"; fail "sarif=$sarif: no refusal in the log"; }
  out_has 'exit-code=2' || fail "sarif=$sarif: exit-code output $(cat "$work/output")"
done
[ "$(cat "$work/victim")" = keep ] || fail "SARIF was written through the hoplint.sarif symlink"
[ "$(ls -A "$work/victimdir")" = sub ] || fail "SARIF was written through the reports or up symlink"
[ ! -e "$work/outside.sarif" ] || fail "SARIF was written outside the workspace"
rm hoplint.sarif reports up
# The runner's temporary directory is a place the workflow may name.
mkdir "$work/tmp"
RUNNER_TEMP="$work/tmp" INPUT_SARIF="$work/tmp/h.sarif" run_action
[ "$code" = 1 ] || { cat "$work/log"; fail "sarif in RUNNER_TEMP: exit $code, want 1"; }
[ -s "$work/tmp/h.sarif" ] || fail "sarif in RUNNER_TEMP not written"

# A newline in the sarif input cannot forge the exit-code output.
INPUT_SARIF=$'h.sarif\nexit-code=0' run_action
[ "$code" != 0 ] || { cat "$work/log"; fail "sarif with a newline: exit 0"; }
out_has "exit-code=$code" || fail "a newline in the sarif input forged the outputs: $(outputs)"

# The paths input is not globbed: files named like flags stay file names,
# and every path comes after --. A stand-in binary records its arguments.
touch -- --fail-on=never --format=json
cat >"$work/fake" <<'SH'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$ARGS_OUT"
SH
chmod +x "$work/fake"
HOPLINT="$work/fake" ARGS_OUT="$work/args" INPUT_PATHS='* nginx  k8s/*.yaml' run_action
[ "$code" = 0 ] || { cat "$work/log"; fail "fake hoplint: exit $code"; }
after=$(sed -n '/^--$/,$p' "$work/args" | tail -n +2 | tr '\n' ' ')
[ "$after" = '* nginx k8s/*.yaml ' ] || fail "paths passed as: $(tr '\n' ' ' <"$work/args"), want '-- * nginx k8s/*.yaml'"
! sed '/^--$/q' "$work/args" | grep -q -- '--fail-on=never' || fail "a file named --fail-on=never became a flag"
rm -- --fail-on=never --format=json

# Booleans take what YAML writes (GitHub passes inputs as strings: True
# arrives as "True"); anything else fails the step instead of meaning false.
GITHUB_EVENT_NAME=push HOPLINT_BASE_REV=HEAD INPUT_ONLY_NEW=True run_action
n=$(grep -c '^::' "$work/log" || true)
[ "$code" = 1 ] && [ "$n" = 1 ] || { cat "$work/log"; fail "only-new=True: exit $code, $n annotations, want 1 and 1 (only the changed line)"; }
GITHUB_EVENT_NAME=pull_request HOPLINT_BASE_REV=HEAD INPUT_ONLY_NEW=FALSE run_action
n=$(grep -c '^::' "$work/log" || true)
[ "$code" = 1 ] && [ "$n" -gt 1 ] || { cat "$work/log"; fail "only-new=FALSE on a pull request: $n annotations, want every finding"; }
for bad in yes 1 on tru Auto; do
  INPUT_ONLY_NEW=$bad run_action
  [ "$code" = 2 ] || { cat "$work/log"; fail "only-new=$bad: exit $code, want 2"; }
  grep -q "the only-new input is '$bad'; write true, false or auto" "$work/log" || { cat "$work/log"; fail "only-new=$bad: no explanation"; }
  out_has 'exit-code=2' || fail "only-new=$bad: exit-code output $(outputs)"
done

# args: more flags for hoplint, after the Action's own and before --.
INPUT_ARGS="--disable keepalive-order
  --disable read-timeout-order" run_action
[ "$code" = 1 ] || { cat "$work/log"; fail "args --disable: exit $code"; }
! grep -q 'hoplint keepalive-order::\|hoplint read-timeout-order::' "$work/log" || { cat "$work/log"; fail "args --disable did not reach hoplint"; }
grep -q 'hoplint missing-memory-limit::' "$work/log" || { cat "$work/log"; fail "args --disable switched off more than two rules"; }
"$HOPLINT" baseline >"$work/repo/.hoplint-baseline.json"
INPUT_ARGS="--baseline .hoplint-baseline.json" run_action
n=$(grep -c '^::' "$work/log" || true)
[ "$code" = 0 ] && [ "$n" = 0 ] || { cat "$work/log"; fail "args --baseline: exit $code, $n annotations, want 0 and 0"; }
rm "$work/repo/.hoplint-baseline.json"
for bad in "--format json" "--format=sarif=x" "-- nginx"; do
  INPUT_ARGS=$bad run_action
  [ "$code" = 2 ] || { cat "$work/log"; fail "args '$bad': exit $code, want 2"; }
  grep -q 'the args input may not hold' "$work/log" || { cat "$work/log"; fail "args '$bad': no explanation"; }
done
HOPLINT="$work/fake" ARGS_OUT="$work/args" INPUT_ARGS='--allow-empty --enable *' INPUT_PATHS=nginx run_action
got=$(tr '\n' ' ' <"$work/args")
case $got in
  "--fail-on warning --format github --format markdown="*" --allow-empty --enable * -- nginx ") ;;
  *) fail "args passed as: $got" ;;
esac

# working-directory: hoplint runs there (paths relative to it), findings
# still name files from the repository root, the SARIF path stays
# relative to the workspace; a directory outside the workspace is refused.
INPUT_WORKING_DIRECTORY=nginx INPUT_PATHS=. INPUT_SARIF=out/wd.sarif run_action
[ "$code" = 1 ] || { cat "$work/log"; fail "working-directory nginx: exit $code, want 1"; }
grep -q '^::warning file=nginx/nginx.conf,' "$work/log" || { cat "$work/log"; fail "working-directory nginx: annotations do not name nginx/nginx.conf"; }
! grep -q 'file=k8s/' "$work/log" || fail "working-directory nginx linted outside it"
[ -s "$work/repo/out/wd.sarif" ] || fail "working-directory: the SARIF is not at the workspace's out/wd.sarif"
out_has "sarif=out/wd.sarif" || fail "working-directory: sarif output $(outputs)"
rm -r "$work/repo/out"
ln -s "$work" outside
for wd in no/such/dir outside ..; do
  INPUT_WORKING_DIRECTORY=$wd run_action
  [ "$code" = 2 ] || { cat "$work/log"; fail "working-directory $wd: exit $code, want 2"; }
  grep -q "the working-directory input '$wd'" "$work/log" || { cat "$work/log"; fail "working-directory $wd: no explanation"; }
done
rm outside

# Annotation placement (issue 23 item 3): a pull request commit that
# changes the ALB's idle_timeout line gets the keepalive-order error of
# the nginx server behind it annotated on that line of terraform/alb.tf,
# with nginx.conf among the related locations in the message, and no
# annotation on the unchanged nginx.conf.
git checkout -q -- . && git clean -fdq
base=$(git rev-parse HEAD)
sed -i 's/^  idle_timeout       = var.alb_idle_timeout$/  idle_timeout       = 150/' terraform/alb.tf
grep -q '^  idle_timeout       = 150$' terraform/alb.tf || fail "fixture edit of terraform/alb.tf did not apply"
alb_line=$(grep -n '^  idle_timeout       = 150$' terraform/alb.tf | cut -d: -f1)
git -c user.email=ci@example.com -c user.name=ci -c commit.gpgsign=false commit -qam "raise the ALB idle timeout"
GITHUB_EVENT_NAME=pull_request HOPLINT_BASE_REV=$base run_action
[ "$code" = 1 ] || { cat "$work/log"; fail "placement: exit $code, want 1"; }
grep -q "^::error file=terraform/alb.tf,line=$alb_line,endLine=$alb_line,col=3,.*title=hoplint keepalive-order::.*%0Anginx/nginx.conf:22:5: the place this finding is about" "$work/log" ||
  { cat "$work/log"; fail "placement: the keepalive-order error is not annotated on terraform/alb.tf:$alb_line with nginx.conf related"; }
! grep -q '^::[a-z]* file=nginx/nginx.conf,' "$work/log" || { cat "$work/log"; fail "placement: an annotation is still on the unchanged nginx.conf"; }
echo "action_test: annotation placement ok"

# Suggested changes (issue 23 item 2) against a local server standing in
# for GitHub's REST API: it records every request and answers as GitHub
# does (403 for the token "bad"). The pull request adds a lingering_close
# off to nginx.conf (a one-value fix on a line of the diff); the one in
# legacy.conf was there before, so it gets no suggestion.
git reset -q --hard "$base"
printf 'events {}\nhttp {\n    lingering_close off;\n}\n' >nginx/legacy.conf
git add nginx/legacy.conf
git -c user.email=ci@example.com -c user.name=ci -c commit.gpgsign=false commit -qm "legacy"
base=$(git rev-parse HEAD)
sed -i 's/^    sendfile on;$/    sendfile on;\n    lingering_close off;/' nginx/nginx.conf
sugg_line=$(grep -n '^    lingering_close off;$' nginx/nginx.conf | cut -d: -f1)
[ -n "$sugg_line" ] || fail "fixture edit of nginx/nginx.conf did not apply"
git -c user.email=ci@example.com -c user.name=ci -c commit.gpgsign=false commit -qam "pr"
head=$(git rev-parse HEAD)
printf '{"pull_request": {"number": 7, "head": {"sha": "%s"}}}' "$head" >"$work/event.json"
cat >"$work/fakeapi.py" <<'PY'
import http.server, json, sys
log = sys.argv[2]
posted = []
class H(http.server.BaseHTTPRequestHandler):
    def rec(self, body=None):
        with open(log, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path, "auth": self.headers.get("Authorization"), "body": body}) + "\n")
    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    def do_GET(self):
        self.rec()
        if self.headers.get("Authorization") == "Bearer bad":
            return self.reply(403, {"message": "Resource not accessible by integration"})
        if self.path.startswith("/repos/o/r/pulls/7/comments"):
            return self.reply(200, posted)
        self.reply(404, {"message": "Not Found"})
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        self.rec(body)
        if self.path == "/repos/o/r/pulls/7/reviews":
            posted.extend(body.get("comments", []))
            return self.reply(200, {"id": 1})
        self.reply(404, {"message": "Not Found"})
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
apiport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
: >"$work/api.log"
python3 "$work/fakeapi.py" "$apiport" "$work/api.log" &
api=$!
trap 'kill $api 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -s "http://127.0.0.1:$apiport/" >/dev/null 2>&1 && break; sleep 0.1; done
suggest() { # token, then more KEY=VALUE environment
  local -x GITHUB_EVENT_NAME=pull_request HOPLINT_BASE_REV="$base" INPUT_SUGGESTIONS=true INPUT_TOKEN="$1" \
    GITHUB_API_URL="http://127.0.0.1:$apiport" GITHUB_REPOSITORY=o/r GITHUB_EVENT_PATH="$work/event.json"
  shift
  local kv
  for kv in "$@"; do local -x "$kv"; done
  run_action
}
suggest secret-token
[ "$code" = 1 ] || { cat "$work/log"; fail "suggestions: exit $code, want 1"; }
grep -q 'posted 1 suggested change' "$work/log" || { cat "$work/log" "$work/api.log"; fail "suggestions: nothing posted"; }
python3 - "$work/api.log" "$head" "$sugg_line" <<'PY' || { cat "$work/api.log"; fail "suggestions: the review request is not the expected one"; }
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
posts = [r for r in reqs if r["method"] == "POST"]
assert len(posts) == 1, posts
p = posts[0]
assert p["path"] == "/repos/o/r/pulls/7/reviews", p["path"]
assert p["auth"] == "Bearer secret-token", p["auth"]
b = p["body"]
assert b["commit_id"] == sys.argv[2] and b["event"] == "COMMENT", b
assert len(b["comments"]) == 1, b["comments"]
c = b["comments"][0]
assert c["path"] == "nginx/nginx.conf" and c["line"] == int(sys.argv[3]) and c["side"] == "RIGHT", c
assert "```suggestion\n    lingering_close on;\n```" in c["body"], c["body"]
assert "legacy.conf" not in json.dumps(reqs), "a request names legacy.conf, whose line is not in the diff"
PY
! grep -q 'secret-token' "$work/log" || fail "suggestions: the token is in the log"
# The next push: the same suggestion is already on the pull request.
: >"$work/api.log"
suggest secret-token
[ "$code" = 1 ] && ! grep -q '"POST"' "$work/api.log" || { cat "$work/log" "$work/api.log"; fail "suggestions: posted again on the next run"; }
# A read-only token: a warning, and the lint's result stands.
suggest bad
[ "$code" = 1 ] || { cat "$work/log"; fail "suggestions with a refused token: exit $code, want 1"; }
grep -q '^::warning title=hoplint suggestions::' "$work/log" || { cat "$work/log"; fail "suggestions with a refused token: no warning"; }
# Off by default, off without a token, and a bad value is an error.
: >"$work/api.log"
suggest secret-token INPUT_SUGGESTIONS=
[ "$code" = 1 ] && [ ! -s "$work/api.log" ] || { cat "$work/log" "$work/api.log"; fail "suggestions off by default: exit $code, or a request was sent"; }
suggest ""
[ "$code" = 1 ] && [ ! -s "$work/api.log" ] || { cat "$work/log"; fail "suggestions without a token: exit $code, or a request was sent"; }
suggest secret-token INPUT_SUGGESTIONS=yes
[ "$code" = 2 ] && grep -q "the suggestions input is 'yes'; write true or false" "$work/log" || { cat "$work/log"; fail "suggestions=yes: exit $code, want 2 with an explanation"; }
# A line the base branch shifted in the merge commit: the head commit
# reads otherwise there, so nothing is posted.
printf '{"pull_request": {"number": 7, "head": {"sha": "%s"}}}' "$base" >"$work/event.json"
suggest secret-token
[ "$code" = 1 ] && ! grep -q '"POST"' "$work/api.log" && grep -q 'their line reads otherwise' "$work/log" || { cat "$work/log" "$work/api.log"; fail "suggestions: posted on a line the head commit does not hold"; }
kill $api 2>/dev/null || true
git reset -q --hard "$base"
echo "action_test: suggestions ok"
# The download path (scripts/action_install.sh) against a local server that
# stands in for GitHub's release downloads: a good release installs and
# caches, the cache is used next time, a wrong checksum fails the step, a
# release without this runner's archive and a branch ref build from source.
rel="$work/releases"
mkdir -p "$rel/v1.2.3" "$rel/v1.2.4" "$rel/v1.2.5" "$work/pkg"
cp "$HOPLINT" "$work/pkg/hoplint"
tar -czf "$rel/v1.2.3/hoplint_1.2.3_linux_amd64.tar.gz" -C "$work/pkg" hoplint
(cd "$rel/v1.2.3" && sha256sum hoplint_1.2.3_linux_amd64.tar.gz >checksums.txt)
cp "$rel/v1.2.3/hoplint_1.2.3_linux_amd64.tar.gz" "$rel/v1.2.4/hoplint_1.2.4_linux_amd64.tar.gz"
echo "0000000000000000000000000000000000000000000000000000000000000000  hoplint_1.2.4_linux_amd64.tar.gz" >"$rel/v1.2.4/checksums.txt"
echo "no archive for this runner" >"$rel/v1.2.5/README"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$rel" >"$work/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
install() { # ref, then KEY=VALUE environment
  local ref=$1; shift
  : >"$work/iout"
  set +e
  env HOPLINT_REF="$ref" RUNNER_OS=Linux RUNNER_ARCH=X64 HOPLINT_RELEASES="http://127.0.0.1:$port" \
    HOPLINT_DEST="$work/dest-$ref" HOPLINT_CACHE="$work/cache-$ref" GITHUB_OUTPUT="$work/iout" "$@" \
    bash "$repo/scripts/action_install.sh" >"$work/ilog" 2>&1
  icode=$?
  set -e
}
install v1.2.3
[ "$icode" = 0 ] && grep -qx 'how=download' "$work/iout" || { cat "$work/ilog"; fail "install v1.2.3: exit $icode, want a verified download"; }
grep -q 'verified it against checksums.txt' "$work/ilog" || fail "install v1.2.3 does not say it verified the download"
"$work/dest-v1.2.3/hoplint" version >/dev/null || fail "the downloaded hoplint does not run"
install v1.2.3 HOPLINT_RELEASES=http://127.0.0.1:9
[ "$icode" = 0 ] && grep -qx 'how=cache' "$work/iout" || { cat "$work/ilog"; fail "install v1.2.3 again: want the cached binary"; }
install v1.2.4
[ "$icode" != 0 ] || { cat "$work/ilog"; fail "install v1.2.4 with a wrong checksum succeeded"; }
grep -q 'does not match its checksum' "$work/ilog" || { cat "$work/ilog"; fail "the checksum failure is not explained"; }
[ ! -e "$work/dest-v1.2.4/hoplint" ] || fail "a binary with a wrong checksum was installed"
install v1.2.5
[ "$icode" = 0 ] && grep -qx 'need-build=true' "$work/iout" || { cat "$work/ilog"; fail "install v1.2.5 (no archive): want a build from source"; }
grep -q 'has no hoplint_1.2.5_linux_amd64.tar.gz' "$work/ilog" || fail "install v1.2.5 does not say why it builds"
install main
[ "$icode" = 0 ] && grep -qx 'need-build=true' "$work/iout" || fail "a branch ref must build from source"
grep -q "is a branch or a commit" "$work/ilog" || fail "install main does not say why it builds"
# A release the version input names is that release or nothing: no build
# of the action's own checkout stands in for it.
install v1.2.5 HOPLINT_PINNED=true
[ "$icode" != 0 ] || { cat "$work/ilog"; fail "version v1.2.5 without this runner's archive: built from source"; }
grep -q 'not built from the action' "$work/ilog" || { cat "$work/ilog"; fail "version v1.2.5: the failure is not explained"; }
echo "action_test: download path ok"

# The version input (scripts/action_version.sh) names the release to run,
# else the action's ref does; anything but a release tag fails the step.
version() { # INPUT_VERSION ACTION_REF
  : >"$work/vout"
  set +e
  INPUT_VERSION=$1 ACTION_REF=$2 GITHUB_OUTPUT="$work/vout" bash "$repo/scripts/action_version.sh" >"$work/vlog" 2>&1
  vcode=$?
  set -e
  tr '\n' ' ' <"$work/vout"
}
[ "$(version "" v1.2.3)" = "ref=v1.2.3 release=true pinned=false " ] || fail "version empty, ref v1.2.3: $(cat "$work/vout")"
[ "$(version "" main)" = "ref=main release=false pinned=false " ] || fail "version empty, ref main: $(cat "$work/vout")"
[ "$(version 1.4.0 main)" = "ref=v1.4.0 release=true pinned=true " ] || fail "version 1.4.0: $(cat "$work/vout")"
[ "$(version v1.4.0-rc.1 v1.2.3)" = "ref=v1.4.0-rc.1 release=true pinned=true " ] || fail "version v1.4.0-rc.1: $(cat "$work/vout")"
for bad in latest main v1.2 "v1.2.3
release=false"; do
  version "$bad" v1.2.3 >/dev/null
  [ "$vcode" = 2 ] && [ ! -s "$work/vout" ] || fail "version '$bad': exit $vcode, outputs $(cat "$work/vout")"
  grep -q 'is not a release tag' "$work/vlog" || fail "version '$bad': no explanation"
done

# The Go the build uses (scripts/action_go.sh): the runner's own when it is
# 1.21 or later (GOTOOLCHAIN=auto does the rest), else go.dev's release,
# verified, in RUNNER_TEMP; never on PATH for later steps.
nogo=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -n "$d" ] && [ ! -x "$d/go" ] && printf '%s:' "$d"; done)
mkdir -p "$work/fakego/bin" "$work/gopkg/go/bin" "$work/godl"
printf '#!/bin/sh\necho go1.22.5\n' >"$work/fakego/bin/go"
printf '#!/bin/sh\necho go1.20.1\n' >"$work/gopkg/go/bin/go"
chmod +x "$work/fakego/bin/go" "$work/gopkg/go/bin/go"
tar -czf "$work/godl/go1.26.0.linux-amd64.tar.gz" -C "$work/gopkg" go
gosum=$(sha256sum "$work/godl/go1.26.0.linux-amd64.tar.gz" | cut -d' ' -f1)
printf '[{"version":"go1.26.0","files":[{"filename":"go1.26.0.linux-amd64.tar.gz","kind":"archive","sha256":"%s"}]}]' "$gosum" >"$work/godl/good.json"
printf '[{"version":"go1.26.0","files":[{"filename":"go1.26.0.linux-amd64.tar.gz","kind":"archive","sha256":"%s"}]}]' "$(printf '0%.0s' $(seq 64))" >"$work/godl/bad.json"
cp "$work/godl/"* "$rel/"
gofind() { # PATH INDEX
  : >"$work/gout"
  rm -rf "$work/rt"; mkdir -p "$work/rt"
  set +e
  env PATH="$1" GO_VERSION=1.26.0 RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$work/rt" GITHUB_OUTPUT="$work/gout" \
    HOPLINT_GO_INDEX="http://127.0.0.1:$port/$2" HOPLINT_GO_DL="http://127.0.0.1:$port" bash "$repo/scripts/action_go.sh" >"$work/glog" 2>&1
  gcode=$?
  set -e
}
gofind "$work/fakego/bin:$nogo" good.json
[ "$gcode" = 0 ] && grep -qx "go=$work/fakego/bin/go" "$work/gout" || { cat "$work/glog"; fail "a runner Go 1.22 is not used: $(cat "$work/gout")"; }
gofind "$work/gopkg/go/bin:$nogo" good.json
[ "$gcode" = 0 ] && grep -qx "go=$work/rt/hoplint-go/go/bin/go" "$work/gout" || { cat "$work/glog"; fail "a runner Go 1.20: want go.dev's Go in RUNNER_TEMP, got $(cat "$work/gout")"; }
gofind "$nogo" good.json
[ "$gcode" = 0 ] && grep -qx "go=$work/rt/hoplint-go/go/bin/go" "$work/gout" || { cat "$work/glog"; fail "no Go: want go.dev's Go in RUNNER_TEMP, got $(cat "$work/gout")"; }
grep -q 'verified it against' "$work/glog" || fail "the Go download does not say it was verified"
gofind "$nogo" bad.json
[ "$gcode" != 0 ] && [ ! -e "$work/rt/hoplint-go" ] || { cat "$work/glog"; fail "a Go download with a wrong checksum was installed"; }
grep -q 'does not match its checksum' "$work/glog" || { cat "$work/glog"; fail "the Go checksum failure is not explained"; }
echo "action_test: go toolchain ok"

# The build from source (scripts/action_build.sh) of a download of the
# action, which has no .git: `hoplint version` names the ref it was built
# from, the commit when the ref is one, the release when it is a tag
# (issue 23 item 11).
mkdir "$work/src"
(cd "$repo" && tar --exclude=.git -cf - .) | tar -xf - -C "$work/src"
[ ! -e "$work/src/.git" ] || fail "the source copy has a .git"
build() { # ACTION_REF
  rm -rf "$work/bin"
  env GO="$(command -v go)" HOPLINT_SRC="$work/src" HOPLINT_DEST="$work/bin" ACTION_REF="$1" ACTION_REPOSITORY=hoplint/hoplint \
    GOFLAGS= bash "$repo/scripts/action_build.sh" >"$work/blog" 2>&1 || { cat "$work/blog"; fail "action_build.sh $1 failed"; }
  "$work/bin/hoplint" version
}
sha=0123456789abcdef0123456789abcdef01234567
v=$(build "$sha")
case $v in
  "hoplint devel (revision 0123456789ab, built by the GitHub Action from hoplint/hoplint@$sha) go"*) ;;
  *) fail "version of a build from commit $sha: $v" ;;
esac
v=$(build v9.8.7)
case $v in
  "hoplint v9.8.7 (revision unknown, built by the GitHub Action from hoplint/hoplint@v9.8.7) go"*) ;;
  *) fail "version of a build from tag v9.8.7: $v" ;;
esac
v=$(build main)
case $v in
  "hoplint devel (revision unknown, built by the GitHub Action from hoplint/hoplint@main) go"*) ;;
  *) fail "version of a build from branch main: $v" ;;
esac
# A ref that could change -ldflags is not passed to it.
v=$(build 'main -X main.Version=v6.6.6')
case $v in *v6.6.6*) fail "a ref reached -ldflags: $v" ;; esac
grep -q '^hoplint devel' "$work/blog" || { cat "$work/blog"; fail "action_build.sh does not print the version it built"; }
echo "action_test: version ok"
echo "action_test: ok"
