package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/hoplint/hoplint/rules"
)

// Version is set at release time with -ldflags "-X main.Version=v1.2.3".
var Version = ""

// Revision and BuiltFrom are set by the GitHub Action when it builds
// hoplint from a download of its source, which has no .git for the Go
// build to record (scripts/action_build.sh): Revision is the commit when
// the action's ref is one, BuiltFrom what was built ("hoplint/hoplint@main").
var (
	Revision  = ""
	BuiltFrom = ""
)

// version is the module version: the -ldflags one, else what the Go build
// recorded (a tag when installed with go install ...@v1.2.3), else "devel".
func version() string {
	bi, _ := debug.ReadBuildInfo()
	return moduleVersion(bi)
}

func moduleVersion(bi *debug.BuildInfo) string {
	if Version != "" {
		return Version
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// versionLine is what `hoplint version` prints: the module version and the
// VCS revision the binary was built from, when the build recorded one (go
// build inside a git checkout does; -buildvcs=false does not).
func versionLine() string {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(bi)
}

func describeBuild(bi *debug.BuildInfo) string {
	line := "hoplint " + moduleVersion(bi)
	if bi == nil {
		bi = &debug.BuildInfo{}
	}
	var rev, when string
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		rev = Revision
	}
	from := ""
	if BuiltFrom != "" {
		from = ", built by the GitHub Action from " + BuiltFrom
	}
	if rev == "" {
		line += " (revision unknown" + from + ")"
	} else {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		extra := ""
		if when != "" {
			extra += ", " + when
		}
		if modified {
			extra += ", modified"
		}
		extra += from
		line += " (revision " + rev + extra + ")"
	}
	if bi.GoVersion != "" {
		line += " " + bi.GoVersion
	}
	return line
}

func cmdRules(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	if err := fs.Parse(args); err != nil {
		return fail(stderr, err)
	}
	switch *format {
	case "text":
		for _, r := range rules.All() {
			fmt.Fprintf(stdout, "%-34s %-8s %s\n", r.ID, r.Severity, r.Title)
		}
	case "json":
		type jrule struct {
			ID       string        `json:"id"`
			Title    string        `json:"title"`
			Severity string        `json:"severity"`
			Doc      string        `json:"doc"`
			Params   []rules.Param `json:"params"`
		}
		var out []jrule
		for _, r := range rules.All() {
			out = append(out, jrule{r.ID, r.Title, r.Severity.String(), r.Doc, append([]rules.Param{}, r.Params...)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return boolExit(enc.Encode(out) == nil)
	case "markdown":
		fmt.Fprint(stdout, rules.Markdown())
	default:
		return fail(stderr, fmt.Errorf("unknown format %q for rules (want text, json or markdown)", *format))
	}
	return 0
}

func boolExit(ok bool) int {
	if ok {
		return 0
	}
	return 2
}

func cmdExplain(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		return fail(stderr, fmt.Errorf("usage: hoplint explain RULE"))
	}
	r := rules.Lookup(args[0])
	if r == nil {
		return fail(stderr, fmt.Errorf("unknown rule %q (see `hoplint rules`)", args[0]))
	}
	fmt.Fprintf(stdout, "%s (%s): %s\n\n%s\n", r.ID, r.Severity, r.Title, strings.TrimSpace(r.Doc))
	if len(r.Params) > 0 {
		fmt.Fprintln(stdout, "\nParams (set under rules."+r.ID+".params in .hoplint.yml):")
		for _, p := range r.Params {
			fmt.Fprintf(stdout, "  %s (default %s): %s\n", p.Name, p.Default, p.Doc)
		}
	}
	for _, e := range r.Examples {
		kind := "Good"
		if e.Bad {
			kind = "Bad"
		}
		fmt.Fprintf(stdout, "\n%s: %s\n%s", kind, e.Name, indent(e.Archive))
	}
	return 0
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString("    " + l)
		}
	}
	return b.String()
}
