// Command hoplint lints the configuration of a request path: nginx, Apache
// httpd, Terraform (AWS load balancers, CloudFront), Kubernetes manifests and
// OpenAPI specs, linked into one picture of the path.
//
// Usage:
//
//	hoplint [flags] [PATH...]   lint (default: .)
//	hoplint rules               the rule catalog
//	hoplint explain RULE        one rule's documentation
//	hoplint graph [PATH...]     the hops and links hoplint found
//	hoplint plan [PATH...]      one consistent set of timeouts per path
//	hoplint baseline [PATH...]  the current findings, for --baseline
//	hoplint config check [PATH] check .hoplint.yml without linting
//	hoplint version             also --version
//
// Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage,
// configuration or I/O error, 3 internal error (a bug in hoplint), 141
// standard output closed before the end (exitBrokenPipe), 128+N signal N.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/hoplint/hoplint/cmd/hoplint/internal/supervisor"
	"github.com/hoplint/hoplint/render"
	// Every source of the path (Gateway API, OpenAPI, …) registers with
	// topology from its own package.
	_ "github.com/hoplint/hoplint/topology/sources"
)

// Exit codes; the README documents them.
const (
	exitClean    = 0
	exitFindings = 1
	exitUsage    = 2
	exitInternal = supervisor.ExitInternal
)

// main runs in the supervised child (the supervising parent never gets
// here: it exits from the init of internal/supervisor), in a Helm worker,
// or, where no child could be started, in the only process.
func main() {
	// First: a Helm render worker is this executable too (render/helm_worker.go).
	render.UseWorkers()
	if child := supervisedChild(); child != nil {
		child.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	return protect(stderr, func() int { return dispatch(args, stdout, stderr) })
}

// protect turns a panic that reached the top into exit 3 with one line on
// stderr, so that CI tells a bug in hoplint from a usage error (2) and from
// findings (1). Rules and loaders recover on their own and report a
// finding; this is the net under everything else.
func protect(stderr io.Writer, fn func() int) (code int) {
	defer func() {
		if r := recover(); r != nil {
			frames := strings.ReplaceAll(firstFrame(debug.Stack()), "\n", " ")
			fmt.Fprintf(stderr, "hoplint: internal error (please report it at https://github.com/hoplint/hoplint/issues): %v [%s]\n", r, frames)
			code = exitInternal
		}
	}()
	return fn()
}

// firstFrame is the function that panicked, for the one-line report.
func firstFrame(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") && i+2 < len(lines) {
			return strings.TrimSpace(lines[i+2]) + " " + strings.TrimSpace(lines[i+3])
		}
	}
	return ""
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		sub, rest := args[0], args[1:]
		if sub != "lint" && wantsHelp(rest) && isSubcommand(sub) {
			usage(stdout)
			return exitClean
		}
		switch sub {
		case "rules":
			return cmdRules(rest, stdout, stderr)
		case "explain":
			return cmdExplain(rest, stdout, stderr)
		case "graph":
			return cmdGraph(rest, stdout, stderr)
		case "plan":
			return cmdPlan(rest, stdout, stderr)
		case "baseline":
			return cmdBaseline(rest, stdout, stderr)
		case "config":
			return cmdConfig(rest, stdout, stderr)
		case "completion":
			return cmdCompletion(rest, stdout, stderr)
		case "version", "--version", "-version":
			fmt.Fprintln(stdout, versionLine())
			return exitClean
		case "help", "-h", "-help", "--help":
			usage(stdout)
			return exitClean
		case "lint":
			args = rest
		}
	}
	return cmdLint(args, stdout, stderr)
}

func isSubcommand(s string) bool {
	switch s {
	case "rules", "explain", "graph", "plan", "baseline", "config", "completion", "version", "help":
		return true
	}
	return false
}

// wantsHelp reports a -h or --help anywhere before a "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

func usage(w io.Writer) {
	fmt.Fprint(w, `hoplint lints the configuration of a request path: load balancers, CDNs,
reverse proxies, app servers and Kubernetes pods, linked across files.
It reads nginx, Apache httpd, Terraform (AWS load balancers, CloudFront) and
Kubernetes files, and OpenAPI 3.0/3.1 and Swagger 2.0 specs: per operation the
method, full path (servers' base path + template), hosts, body media types, the
maxLength of a binary body or file field, and streaming responses (SSE, NDJSON,
101); $refs are followed only inside PATH, never over the network.

Usage:
  hoplint [flags] [PATH...]      lint files and directories (default: .)
  hoplint baseline [flags] [PATH...] > .hoplint-baseline.json
                                 record the current findings, for --baseline
  hoplint rules [--format text|json|markdown]
  hoplint explain RULE
  hoplint graph [--format text|mermaid|json] [PATH...]
  hoplint plan [--format text|json] [PATH...]
                                 one set of timeouts per path that satisfies every
                                 keepalive-order and read-timeout-order at once
  hoplint config check [PATH]    check .hoplint.yml (the file, or the one found from the
                                 directory PATH as a lint of it would): exit 0 valid, 2 not
  hoplint completion bash|zsh|fish
                                 print a shell completion script (source <(hoplint completion bash))
  hoplint version                also --version

Flags:
  --format NAME[=FILE]   output format: text, json, github, sarif, markdown, checkstyle,
                         junit, suggestions (one-line fixes as pull request review
                         comments, for the GitHub Action) (repeatable; FILE writes there)
  --config FILE          configuration file (default: .hoplint.yml)
  --fail-on LEVEL        exit 1 on findings at or above error, warning, info, or never (default warning)
  --enable RULE          run a rule the configuration switches off (repeatable, comma-separated)
  --disable RULE         do not run a rule (repeatable, comma-separated)
  --baseline FILE        report only findings not in FILE (written by hoplint baseline)
  --new-from-rev REV     report only findings with a location on a line changed since
                         the git revision REV (working tree included; a new file is all new)
  --allow-empty          exit 0 when the paths hold no file hoplint reads (default: exit 2)
  --no-color             never colour the text output (also NO_COLOR=1; FORCE_COLOR=1 forces it)

Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration or I/O error,
3 internal error (a bug in hoplint; please report it), 141 standard output closed early
(hoplint . | head: as a shell reports SIGPIPE), 128+N on signal N.
`)
}
