#!/usr/bin/env bash
# The logic of the hoplint GitHub Action (action.yml runs it; CI runs it
# without GitHub by pointing the GITHUB_* variables at temporary files, see
# scripts/action_test.sh). Inputs come as INPUT_* variables:
#   INPUT_PATHS     paths to lint, separated by spaces or newlines (default .)
#   INPUT_CONFIG    configuration file (default: hoplint finds .hoplint.yml)
#   INPUT_FAIL_ON   error | warning | info | never (default warning)
#   INPUT_ONLY_NEW  true | false | auto (default auto: true on pull requests)
#   INPUT_SARIF     when set, also write SARIF to this path (relative to the
#                   workspace, whatever the working directory)
#   INPUT_ARGS      more hoplint flags (--baseline FILE, --enable RULE,
#                   --disable RULE, --allow-empty, --config FILE, ...), split on
#                   whitespace, never globbed; --format and -- are refused (the
#                   Action writes the annotations, the summary and the SARIF)
#   INPUT_WORKING_DIRECTORY  directory to run hoplint in (default: the
#                   workspace); it must lie inside the workspace
#   INPUT_SUGGESTIONS  true | false (default false): on a pull request with
#                   only-new on, post the findings' one-line fixes on lines
#                   of the diff as suggested changes (scripts/action_suggest.sh)
#   INPUT_TOKEN     the token for posting them (default github.token)
# Booleans (only-new) take what YAML writes for a boolean: true, True, TRUE,
# false, False, FALSE; anything else fails the step (exit 2), so that a typo
# never silently switches a setting off.
# The pull request is untrusted: its files may be symlinks or be named like
# flags. So the paths input is split on whitespace with globbing off (set -f)
# and passed after --; the SARIF path is refused when it lies outside
# $GITHUB_WORKSPACE and $RUNNER_TEMP or reaches a symlink on the way (a
# committed hoplint.sarif -> ~/.bashrc would be overwritten otherwise); and
# outputs are written in the multi-line form with a random delimiter, so no
# input can add a line of its own to $GITHUB_OUTPUT.
# HOPLINT names the binary (default: hoplint on PATH). HOPLINT_BASE_REV
# overrides the revision only-new compares with (default: the merge base
# with the pull request's base branch).
#
# It writes annotations to the log (workflow commands), appends a Markdown
# summary with every finding and a picture of the path to
# $GITHUB_STEP_SUMMARY, sets the outputs exit-code and sarif in
# $GITHUB_OUTPUT, and exits with hoplint's status.
set -uo pipefail
set -f

hoplint=${HOPLINT:-hoplint}
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
paths=${INPUT_PATHS:-.}
fail_on=${INPUT_FAIL_ON:-warning}
only_new=${INPUT_ONLY_NEW:-auto}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
output=${GITHUB_OUTPUT:-/dev/null}
workspace=${GITHUB_WORKSPACE:-$PWD}

# set_output NAME VALUE appends one output in GitHub's multi-line form
# (NAME<<DELIMITER, the value, DELIMITER): whatever the value holds, it
# cannot end early and start an output of its own.
# https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#multiline-strings
set_output() {
  local delim
  delim="hoplint_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  case $2 in *"$delim"*) return 1 ;; esac
  printf '%s<<%s\n%s\n%s\n' "$1" "$delim" "$2" "$delim" >>"$output"
}

# input_error MESSAGE fails the step as a usage error (exit 2), with the
# outputs set, before hoplint runs.
input_error() {
  echo "hoplint: $1"
  set_output exit-code 2
  set_output sarif ""
  exit 2
}

# shown VALUE is an input as the log may print it: control characters
# (a newline could start a workflow command) become '?'.
shown() { printf '%s' "$1" | tr '[:cntrl:]' '?'; }

# parse_bool NAME VALUE [EXTRA] prints true or false for what YAML writes
# as a boolean (GitHub passes inputs as strings: `only-new: True` arrives
# as "True"), or EXTRA itself when it is allowed (auto); anything else is
# an error, never a silent false.
parse_bool() {
  case $2 in
    true|True|TRUE) echo true ;;
    false|False|FALSE) echo false ;;
    *)
      if [ -n "${3:-}" ] && [ "$2" = "$3" ]; then echo "$3"; return 0; fi
      return 1 ;;
  esac
}

if ! only_new=$(parse_bool only-new "$only_new" auto); then
  input_error "the only-new input is '$(shown "${INPUT_ONLY_NEW:-}")'; write true, false or auto"
fi
if ! suggestions=$(parse_bool suggestions "${INPUT_SUGGESTIONS:-false}"); then
  input_error "the suggestions input is '$(shown "${INPUT_SUGGESTIONS:-}")'; write true or false"
fi

args=(--fail-on "$fail_on" --format github)
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi

# Extra flags from the workflow, split on whitespace like paths (set -f:
# no globbing). The Action owns the outputs: a --format of the user's
# would mix with the annotations on stdout, and a -- would end the flags
# before the paths the Action appends.
# shellcheck disable=SC2206
extra=(${INPUT_ARGS:-})
for a in ${extra[@]+"${extra[@]}"}; do
  case $a in
    --format|--format=*|-format|-format=*)
      input_error "the args input may not hold --format: the Action writes the annotations and the step summary, and the sarif input writes SARIF" ;;
    --)
      input_error "the args input may not hold --: name the files and directories in the paths input" ;;
  esac
done

# The SARIF path is relative to the workspace (where upload-sarif looks),
# so it is made absolute before changing to the working directory.
sarif_abs=""
if [ -n "${INPUT_SARIF:-}" ]; then
  case $INPUT_SARIF in
    /*) sarif_abs=$INPUT_SARIF ;;
    *) sarif_abs=$PWD/$INPUT_SARIF ;;
  esac
fi

if [ -n "${INPUT_WORKING_DIRECTORY:-}" ]; then
  wd=$INPUT_WORKING_DIRECTORY
  ws=$(cd -P -- "$workspace" 2>/dev/null && pwd -P) || input_error "the workspace $workspace is not a directory"
  real=$(cd -P -- "$wd" 2>/dev/null && pwd -P) || input_error "the working-directory input '$(shown "$wd")' is not a directory"
  case $real/ in
    "$ws"/*) ;;
    *) input_error "the working-directory input '$(shown "$wd")' leads outside the workspace (through a symbolic link or ..); name a directory inside it" ;;
  esac
  cd -- "$real" || input_error "cannot change to the working-directory '$(shown "$wd")'"
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

# lexical_abs PATH prints PATH made absolute with . and .. resolved by
# name, without following links (realpath -m -s, which macOS lacks). It is
# used for the workspace and the runner's temporary directory; the sarif
# path itself has no .. (refuse_output).
lexical_abs() {
  local p=$1 part out=()
  case $p in /*) ;; *) p=$PWD/$p ;; esac
  IFS=/ read -ra parts <<<"$p"
  for part in "${parts[@]}"; do
    case $part in
      ''|.) ;;
      ..) [ ${#out[@]} -gt 0 ] && unset 'out[${#out[@]}-1]' ;;
      *) out+=("$part") ;;
    esac
  done
  local IFS=/
  printf '/%s\n' "${out[*]+"${out[*]}"}"
}

# refuse_output PATH explains why PATH is no place to write, or says nothing
# (status 1) when it is. The path must lie lexically inside the workspace
# (or the runner's temporary directory), and no part of it below that
# directory may be a symlink, since the pull request decides what is
# committed there; an existing file must be a regular file.
refuse_output() {
  local p=$1 abs base rel part cur
  case $p in
    *[[:cntrl:]]*) echo "it holds a control character"; return 0 ;;
  esac
  # The system resolves "dir/.." after following dir, which may be a link:
  # no name could say where that leads, so no ".." is taken.
  case /$p/ in
    */../*) echo "it has a .. component"; return 0 ;;
  esac
  abs=$(lexical_abs "$p")
  for base in "$workspace" "${RUNNER_TEMP:-}"; do
    [ -n "$base" ] || continue
    base=$(lexical_abs "$base")
    case $abs in
      "$base"/?*) ;;
      *) continue ;;
    esac
    rel=${abs#"$base"/}
    cur=$base
    IFS=/ read -ra parts <<<"$rel"
    for part in "${parts[@]}"; do
      cur=$cur/$part
      if [ -L "$cur" ]; then
        echo "${cur#"$base"/} is a symbolic link (the pull request controls what is committed; hoplint does not write through links)"
        return 0
      fi
    done
    if [ -e "$abs" ] && [ ! -f "$abs" ]; then
      echo "it exists and is not a regular file"
      return 0
    fi
    return 1
  done
  echo "it lies outside the workspace ${workspace}${RUNNER_TEMP:+ and the runner temporary directory $RUNNER_TEMP}"
  return 0
}

md=$(mktemp)
sugg=$(mktemp)
trap 'rm -f "$md" "$sugg"' EXIT
args+=(--format "markdown=$md")

# Suggested changes need a pull request, its diff (only-new with a base:
# GitHub takes review comments only on lines of the diff) and a token.
post_suggestions=false
if [ "$suggestions" = true ]; then
  if [ "$is_pr" != true ]; then
    echo "hoplint: suggestions is on, but this is no pull request; nothing to suggest on"
  elif ! printf '%s\n' "${args[@]}" | grep -qx -- --new-from-rev; then
    echo "hoplint: suggestions is on, but only-new is off or has no base revision: suggested changes need the pull request's diff, so none are posted"
  elif [ -z "${INPUT_TOKEN:-}" ]; then
    echo "hoplint: suggestions is on, but the token input is empty; no suggested change is posted"
  else
    post_suggestions=true
    args+=(--format "suggestions=$sugg")
  fi
fi
if [ -n "$sarif_abs" ]; then
  if why=$(refuse_output "$sarif_abs"); then
    echo "hoplint: the sarif input is refused: ${why}. Name a file inside the workspace, such as hoplint.sarif."
    set_output exit-code 2
    set_output sarif ""
    exit 2
  fi
  mkdir -p -- "$(dirname -- "$sarif_abs")"
  args+=(--format "sarif=$sarif_abs")
fi

# Word splitting of the paths input is intended: one path per word, and
# no word is a pattern (set -f above), so a file the pull request adds
# cannot become an argument.
# shellcheck disable=SC2206
path_list=($paths)
"$hoplint" "${args[@]}" ${extra[@]+"${extra[@]}"} -- "${path_list[@]}"
code=$?

if [ -s "$md" ]; then
  cat "$md" >>"$summary"
fi
# Posting is best effort: whatever happens, the lint's exit status stands.
if [ "$post_suggestions" = true ] && { [ "$code" = 0 ] || [ "$code" = 1 ]; } && [ -s "$sugg" ]; then
  GITHUB_TOKEN=$INPUT_TOKEN bash "$here/action_suggest.sh" "$sugg" ||
    echo "::warning title=hoplint suggestions::posting the suggested changes failed; the lint's result stands"
fi
set_output exit-code "$code"
set_output sarif "${INPUT_SARIF:-}"

case $code in
  0) ;;
  1) echo "hoplint: findings at or above ${fail_on}; see the annotations and the job summary" ;;
  2) echo "hoplint: usage or configuration error (above)" ;;
  *) echo "hoplint: internal error (exit ${code}); please report it" ;;
esac
exit "$code"
