#!/usr/bin/env bash
# Posts hoplint's one-line fixes as suggested changes on the pull request
# (the suggestions input of the GitHub Action; issue 23 item 2): one review
# whose comments each hold a ```suggestion block, only on lines of the pull
# request's diff, so that the author applies a fix with one click.
#
# Usage: action_suggest.sh SUGGESTIONS.json, the file that
# `hoplint --new-from-rev BASE --format suggestions=FILE` wrote (hoplint
# builds every comment; this script only sends them). Environment:
#   GITHUB_TOKEN       the token input (pull-requests: write)
#   GITHUB_API_URL     the REST API (https://api.github.com, or GHES's)
#   GITHUB_REPOSITORY  owner/name
#   GITHUB_EVENT_PATH  the event payload: the pull request's number and
#                      head commit
#
# Before a comment is sent, its line is checked against the head commit
# (from the local repository, else the contents API): a pull_request run
# lints the merge commit, whose lines the base branch may have shifted, and
# a suggestion must never replace a line it was not made for. Suggestions
# already posted (same path, line and text) are not posted again on the
# next push. Nothing here fails the step: a failure (a fork's read-only
# token, the API refusing a line) is a warning in the log, and the lint's
# result stands.
set -uo pipefail
file=${1:?usage: action_suggest.sh SUGGESTIONS.json}
if ! command -v python3 >/dev/null 2>&1; then
  echo "::warning title=hoplint suggestions::python3 is not on this runner, so the suggested changes were not posted"
  exit 0
fi
python3 - "$file" <<'PY'
import base64, json, os, subprocess, sys, urllib.error, urllib.parse, urllib.request

MAX = 50  # comments per run: a review is for people

def warn(msg):
    # A workflow command on one line: the message holds no newline.
    print("::warning title=hoplint suggestions::" + msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    sys.exit(0)

token = os.environ.get("GITHUB_TOKEN", "")
api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
repo = os.environ.get("GITHUB_REPOSITORY", "")
if not token or not repo:
    warn("no token or repository, so the suggested changes were not posted")
try:
    event = json.load(open(os.environ["GITHUB_EVENT_PATH"]))
    pr = event["pull_request"]
    number, head = int(pr["number"]), str(pr["head"]["sha"])
except Exception as e:
    warn("the event payload names no pull request (%s), so the suggested changes were not posted" % type(e).__name__)
try:
    doc = json.load(open(sys.argv[1]))
    wanted = [s for s in doc.get("suggestions", []) if s.get("inDiff")]
except Exception as e:
    warn("hoplint's suggestions could not be read: %s" % e)
if not wanted:
    print("hoplint: no suggested change on a line of this pull request's diff")
    sys.exit(0)

def call(method, path, body=None, accept="application/vnd.github+json"):
    req = urllib.request.Request(api + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Accept": accept,
                 "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json",
                 "User-Agent": "hoplint-action"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.read()

def quoted(p):
    return urllib.parse.quote(p, safe="/")

contents = {}
def head_lines(path):
    """The file's lines at the head commit, or None when it cannot be read."""
    if path in contents:
        return contents[path]
    data = None
    try:  # the local repository, when it holds the head commit
        data = subprocess.run(["git", "-c", "core.fsmonitor=false", "cat-file", "blob", head + ":" + path],
                              capture_output=True, check=True, timeout=30).stdout
    except Exception:
        try:
            data = call("GET", "/repos/%s/contents/%s?ref=%s" % (repo, quoted(path), urllib.parse.quote(head)),
                        accept="application/vnd.github.raw+json")
        except Exception:
            data = None
    lines = None
    if data is not None:
        lines = [l[:-1] if l.endswith("\r") else l for l in data.decode("utf-8", "replace").split("\n")]
    contents[path] = lines
    return lines

existing = set()
try:
    for page in range(1, 11):
        got = json.loads(call("GET", "/repos/%s/pulls/%d/comments?per_page=100&page=%d" % (repo, number, page)))
        for c in got:
            existing.add((c.get("path"), c.get("line"), c.get("body")))
        if len(got) < 100:
            break
except Exception as e:
    warn("the pull request's review comments could not be read (%s); the suggested changes were not posted" % e)

comments, skipped = [], 0
for s in wanted:
    path, line = s["path"], int(s["line"])
    lines = head_lines(path)
    if lines is None or line < 1 or line > len(lines) or lines[line - 1] != s["original"]:
        skipped += 1
        continue
    if (path, line, s["body"]) in existing:
        continue
    comments.append({"path": path, "line": line, "side": "RIGHT", "body": s["body"]})
if skipped:
    print("hoplint: %d suggested changes not posted: their line reads otherwise in the pull request's head commit %s" % (skipped, head[:12]))
if not comments:
    print("hoplint: no new suggested change to post")
    sys.exit(0)
comments = comments[:MAX]
review = {"commit_id": head, "event": "COMMENT", "comments": comments,
          "body": "hoplint suggests %d one-line change%s; each can be applied from its comment." % (len(comments), "" if len(comments) == 1 else "s")}
try:
    call("POST", "/repos/%s/pulls/%d/reviews" % (repo, number), review)
except urllib.error.HTTPError as e:
    hint = " (a token without pull-requests: write, or a pull request from a fork)" if e.code in (401, 403) else ""
    warn("GitHub refused the review with the suggested changes: HTTP %d%s" % (e.code, hint))
except Exception as e:
    warn("the review with the suggested changes could not be posted: %s" % e)
print("hoplint: posted %d suggested change%s on the pull request" % (len(comments), "" if len(comments) == 1 else "s"))
PY
exit 0
