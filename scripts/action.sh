#!/usr/bin/env bash
# The logic of the hoplint GitHub Action (action.yml runs it; CI runs it
# without GitHub by pointing the GITHUB_* variables at temporary files, see
# scripts/action_test.sh). Inputs come as INPUT_* variables:
#   INPUT_PATHS     paths to lint, separated by spaces or newlines (default .)
#   INPUT_CONFIG    configuration file (default: hoplint finds .hoplint.yml)
#   INPUT_FAIL_ON   error | warning | info | never (default warning)
#   INPUT_ONLY_NEW  true | false | auto (default auto: true on pull requests)
#   INPUT_SARIF     when set, also write SARIF to this path
# HOPLINT names the binary (default: hoplint on PATH). HOPLINT_BASE_REV
# overrides the revision only-new compares with (default: the merge base
# with the pull request's base branch).
#
# It writes annotations to the log (workflow commands), appends a Markdown
# summary with every finding and a picture of the path to
# $GITHUB_STEP_SUMMARY, sets the outputs exit-code and sarif in
# $GITHUB_OUTPUT, and exits with hoplint's status.
set -uo pipefail

hoplint=${HOPLINT:-hoplint}
paths=${INPUT_PATHS:-.}
fail_on=${INPUT_FAIL_ON:-warning}
only_new=${INPUT_ONLY_NEW:-auto}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
output=${GITHUB_OUTPUT:-/dev/null}

args=(--fail-on "$fail_on" --format github)
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi

is_pr=false
case "${GITHUB_EVENT_NAME:-}" in
  pull_request|pull_request_target) is_pr=true ;;
esac
if [ "$only_new" = auto ]; then
  only_new=$is_pr
fi

if [ "$only_new" = true ]; then
  base=${HOPLINT_BASE_REV:-}
  if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
    remote="refs/remotes/origin/${GITHUB_BASE_REF}"
    if ! git rev-parse --verify --quiet "$remote" >/dev/null; then
      git fetch --no-tags --quiet origin "+refs/heads/${GITHUB_BASE_REF}:${remote}" || true
    fi
    if git rev-parse --verify --quiet "$remote" >/dev/null; then
      # The merge base needs history; with a shallow checkout, compare with
      # the base branch's tip instead.
      base=$(git merge-base HEAD "$remote" 2>/dev/null || git rev-parse "$remote")
    fi
  fi
  if [ -n "$base" ]; then
    echo "hoplint: only findings on lines changed since ${base} (only-new)"
    args+=(--new-from-rev "$base")
  else
    echo "hoplint: only-new is on but there is no base revision to compare with; reporting every finding"
  fi
fi

md=$(mktemp)
trap 'rm -f "$md"' EXIT
args+=(--format "markdown=$md")
if [ -n "${INPUT_SARIF:-}" ]; then
  mkdir -p "$(dirname "$INPUT_SARIF")"
  args+=(--format "sarif=$INPUT_SARIF")
fi

# Word splitting of the paths input is intended: one path per word.
# shellcheck disable=SC2206
path_list=($paths)
"$hoplint" "${args[@]}" -- "${path_list[@]}"
code=$?

if [ -s "$md" ]; then
  cat "$md" >>"$summary"
fi
{
  echo "exit-code=$code"
  echo "sarif=${INPUT_SARIF:-}"
} >>"$output"

case $code in
  0) ;;
  1) echo "hoplint: findings at or above ${fail_on}; see the annotations and the job summary" ;;
  2) echo "hoplint: usage or configuration error (above)" ;;
  *) echo "hoplint: internal error (exit ${code}); please report it" ;;
esac
exit "$code"
