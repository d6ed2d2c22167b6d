// Package rules holds hoplint's rules, the registry they join, and the
// engine that runs them over a topology graph and applies suppressions.
//
// A rule is a data value in the style of golang.org/x/tools/go/analysis: an
// ID, documentation, examples that the tests execute, and a Run function
// that reads hops, edges and typed configuration, never files. Each rule
// lives in a file of its own, rule_<id>.go, and registers itself in init.
package rules

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

// Severity orders findings; --fail-on compares against it.
type Severity uint8

// Severities, lowest first.
const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Rule is one check.
type Rule struct {
	// ID is kebab-case and stable: it is used in suppressions, config and SARIF.
	ID string
	// Title is one line, lower-case, no full stop.
	Title string
	// Doc is Markdown: why the check matters, what it looks at, what to do.
	Doc string
	// Severity is the default severity.
	Severity Severity
	// Params are the rule's tunables, settable in .hoplint.yml.
	Params []Param
	// Examples are run by the tests: a Bad example must produce a finding
	// of this rule, a Good one none.
	Examples []Example
	// Run reports findings through the pass.
	Run func(*Pass)
}

// Param is a rule tunable with its default.
type Param struct {
	Name    string
	Doc     string
	Default string
}

// Example is a small stack, as a txtar archive ("-- nginx.conf --" …).
type Example struct {
	Name    string
	Bad     bool
	Archive string
}

// Finding is one reported problem.
type Finding struct {
	Rule     string
	Severity Severity
	// Message starts lower-case, names the values and where they come from,
	// and says what to change. It never contains positions.
	Message     string
	Range       parsers.Range
	Related     []parsers.Related
	Fingerprint string
	// Fix is set when the fix is one value on one line and the rule knows
	// the exact text to write; nil otherwise.
	Fix *Fix
}

// Fix replaces one value: within Range (one line; the finding's own range
// or a part of it), the token Old becomes New. A rule never reads files,
// so it names the token rather than its columns; a formatter offers the
// fix only where the file's text in Range holds Old exactly once as a
// whole token (never on a template line that computes the value, where
// the token is not written).
type Fix struct {
	Range       parsers.Range
	Old, New    string
	Description string // what the change does, for the person applying it
}

// Pass is what a rule's Run receives.
type Pass struct {
	Rule   *Rule
	Graph  *topology.Graph
	Config *config.Config

	params   map[string]string
	findings []Finding
	files    func() map[string]bool                                 // see isFile
	lrs      map[string]*topology.NearIndex[*kubernetes.LimitRange] // see limitRanges
}

// Report records a finding of the running rule. Severity defaults to the
// rule's; Rule is filled in.
func (p *Pass) Report(f Finding) {
	f.Rule = p.Rule.ID
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	f.Message = fileNamesOnce(f.Message, f.Range.File, p.isFile)
	p.findings = append(p.findings, f)
}

// isFile reports whether s is the path of a linted file or of a hop's file.
func (p *Pass) isFile(s string) bool {
	if p.files == nil {
		p.files = fileSet(p.Graph)
	}
	return s != "" && p.files()[s]
}

// fileSet returns the set of paths isFile looks in, made on first use. Run
// gives every pass the same one: a set of every file per rule was 26 MB
// of garbage at 54,000 files.
func fileSet(g *topology.Graph) func() map[string]bool {
	return sync.OnceValue(func() map[string]bool {
		files := map[string]bool{}
		if g != nil {
			for _, f := range g.Files {
				files[f.Path] = true
			}
			for _, h := range g.Hops {
				files[h.File] = true
			}
		}
		return files
	})
}

// Reportf reports a finding at r with a formatted message.
func (p *Pass) Reportf(r parsers.Range, related []parsers.Related, format string, args ...any) {
	p.Report(Finding{Range: r, Related: related, Message: fmt.Sprintf(format, args...)})
}

// Param returns the configured value of a param, or its default.
func (p *Pass) Param(name string) string {
	if v, ok := p.params[name]; ok {
		return v
	}
	for _, prm := range p.Rule.Params {
		if prm.Name == name {
			return prm.Default
		}
	}
	panic("rule " + p.Rule.ID + " has no param " + name)
}

// Version returns the assumed version of a product from .hoplint.yml.
func (p *Pass) Version(product string) string { return p.Config.Version(product) }

var registry = map[string]*Rule{}

// Register adds a rule to the catalog. It panics on a duplicate ID or a
// rule without documentation: both are programming errors caught by tests.
func Register(r *Rule) {
	if r.ID == "" || r.Title == "" || r.Doc == "" || r.Run == nil || r.Severity == 0 {
		panic("rule " + r.ID + " is incomplete")
	}
	if registry[r.ID] != nil {
		panic("rule " + r.ID + " registered twice")
	}
	registry[r.ID] = r
}

// All returns every rule, sorted by ID.
func All() []*Rule {
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Lookup returns the rule with the given ID, or nil.
func Lookup(id string) *Rule { return registry[id] }
