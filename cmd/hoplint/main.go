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
//	hoplint version
//
// Exit status: 0 no findings at or above --fail-on, 1 findings, 2 usage,
// configuration or I/O error.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return cmdRules(args[1:], stdout, stderr)
		case "explain":
			return cmdExplain(args[1:], stdout, stderr)
		case "graph":
			return cmdGraph(args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, "hoplint", version())
			return 0
		case "help", "-h", "-help", "--help":
			usage(stdout)
			return 0
		case "lint":
			args = args[1:]
		}
	}
	return cmdLint(args, stdout, stderr)
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
  hoplint rules [--format text|json|markdown]
  hoplint explain RULE
  hoplint graph [--format text|mermaid|json] [PATH...]
  hoplint version

Flags:
  --format NAME[=FILE]   output format: text, json, github, sarif (repeatable; FILE writes there)
  --config FILE          configuration file (default: .hoplint.yml in the working directory)
  --fail-on LEVEL        exit 1 on findings at or above error, warning, info, or never (default warning)
  --enable RULE          run a rule the configuration switches off (repeatable, comma-separated)
  --disable RULE         do not run a rule (repeatable, comma-separated)
  --no-color             never colour the text output

Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration or I/O error.
`)
}
