package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hoplint/hoplint/report"
	"github.com/hoplint/hoplint/rules"
)

// Shell completion: `hoplint completion bash|zsh|fish` prints a script
// that completes subcommands, flags, output formats, --fail-on levels and
// rule IDs (for explain, --enable and --disable), and paths elsewhere.
// The lists come from the same tables the command line reads, so a new
// rule or format is completed without editing the scripts.

var (
	completionSubcommands = []string{"lint", "baseline", "rules", "explain", "graph", "plan", "config", "version", "completion", "help"}
	completionFlags       = []string{"--format", "--config", "--fail-on", "--enable", "--disable", "--baseline", "--new-from-rev", "--allow-empty", "--no-color", "--help"}
	completionLevels      = []string{"error", "warning", "info", "never"}
	completionShells      = []string{"bash", "zsh", "fish"}
)

// completionFormats are the report formats, and mermaid, which graph
// also takes.
func completionFormats() []string {
	return append(report.Names(), "mermaid")
}

func completionRules() []string {
	var ids []string
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	return ids
}

func cmdCompletion(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "hoplint completion: name one shell: bash, zsh or fish (for example: source <(hoplint completion bash))")
		return exitUsage
	}
	w := func(s string) int {
		fmt.Fprint(stdout, s)
		return exitClean
	}
	switch args[0] {
	case "bash":
		return w(bashCompletion())
	case "zsh":
		return w(zshCompletion())
	case "fish":
		return w(fishCompletion())
	}
	fmt.Fprintf(stderr, "hoplint completion: unknown shell %q: bash, zsh or fish\n", args[0])
	return exitUsage
}

func words(ss []string) string { return strings.Join(ss, " ") }

func bashCompletion() string {
	return `# bash completion for hoplint: source <(hoplint completion bash)
_hoplint() {
	local cur prev
	cur="${COMP_WORDS[COMP_CWORD]}"
	prev="${COMP_WORDS[COMP_CWORD-1]}"
	case "$prev" in
	--format) COMPREPLY=($(compgen -W "` + words(completionFormats()) + `" -- "$cur")); return ;;
	--fail-on) COMPREPLY=($(compgen -W "` + words(completionLevels) + `" -- "$cur")); return ;;
	--enable|--disable|explain) COMPREPLY=($(compgen -W "` + words(completionRules()) + `" -- "$cur")); return ;;
	completion) COMPREPLY=($(compgen -W "` + words(completionShells) + `" -- "$cur")); return ;;
	config) COMPREPLY=($(compgen -W "check" -- "$cur")); return ;;
	--config|--baseline) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--new-from-rev) return ;;
	esac
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "` + words(completionFlags) + `" -- "$cur"))
		return
	fi
	if [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY=($(compgen -W "` + words(completionSubcommands) + `" -- "$cur") $(compgen -f -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _hoplint hoplint
`
}

func zshCompletion() string {
	return `#compdef hoplint
# zsh completion for hoplint: hoplint completion zsh > "${fpath[1]}/_hoplint"
_hoplint() {
	local -a subcommands
	subcommands=(` + words(completionSubcommands) + `)
	_arguments -s \
		'*--format=[output format]:format:(` + words(completionFormats()) + `)' \
		'--config=[configuration file]:file:_files' \
		'--fail-on=[exit 1 on findings at or above]:level:(` + words(completionLevels) + `)' \
		'*--enable=[run a rule]:rule:(` + words(completionRules()) + `)' \
		'*--disable=[do not run a rule]:rule:(` + words(completionRules()) + `)' \
		'--baseline=[report only findings not in]:file:_files' \
		'--new-from-rev=[report only findings on lines changed since]:revision:' \
		'--allow-empty[exit 0 when nothing is read]' \
		'--no-color[never colour the text output]' \
		'1: :->first' \
		'*: :->rest'
	case $state in
	first)
		_alternative "subcommands:subcommand:(${subcommands[*]})" 'files:path:_files'
		;;
	rest)
		case ${words[2]} in
		explain) _values rule ` + words(completionRules()) + ` ;;
		completion) _values shell ` + words(completionShells) + ` ;;
		config) _values command check ;;
		*) _files ;;
		esac
		;;
	esac
}
if [ "$funcstack[1]" = "_hoplint" ]; then
	_hoplint "$@"
else
	compdef _hoplint hoplint
fi
`
}

func fishCompletion() string {
	var b strings.Builder
	b.WriteString("# fish completion for hoplint: hoplint completion fish > ~/.config/fish/completions/hoplint.fish\n")
	fmt.Fprintf(&b, "complete -c hoplint -n '__fish_use_subcommand' -a '%s'\n", words(completionSubcommands))
	fmt.Fprintf(&b, "complete -c hoplint -l format -x -a '%s' -d 'output format'\n", words(completionFormats()))
	b.WriteString("complete -c hoplint -l config -r -F -d 'configuration file'\n")
	fmt.Fprintf(&b, "complete -c hoplint -l fail-on -x -a '%s' -d 'exit 1 on findings at or above'\n", words(completionLevels))
	fmt.Fprintf(&b, "complete -c hoplint -l enable -x -a '%s' -d 'run a rule'\n", words(completionRules()))
	fmt.Fprintf(&b, "complete -c hoplint -l disable -x -a '%s' -d 'do not run a rule'\n", words(completionRules()))
	b.WriteString("complete -c hoplint -l baseline -r -F -d 'report only findings not in this baseline'\n")
	b.WriteString("complete -c hoplint -l new-from-rev -x -d 'report only findings on lines changed since'\n")
	b.WriteString("complete -c hoplint -l allow-empty -d 'exit 0 when nothing is read'\n")
	b.WriteString("complete -c hoplint -l no-color -d 'never colour the text output'\n")
	fmt.Fprintf(&b, "complete -c hoplint -n '__fish_seen_subcommand_from explain' -x -a '%s'\n", words(completionRules()))
	fmt.Fprintf(&b, "complete -c hoplint -n '__fish_seen_subcommand_from completion' -x -a '%s'\n", words(completionShells))
	b.WriteString("complete -c hoplint -n '__fish_seen_subcommand_from config' -x -a 'check'\n")
	return b.String()
}
