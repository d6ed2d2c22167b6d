package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// Options select rules beyond what .hoplint.yml says (the --enable and
// --disable flags win over the file).
type Options struct {
	Enable  []string
	Disable []string
}

// Check validates rule IDs named in options and config, so that a typo is
// a usage error instead of a silently ignored switch.
func Check(cfg *config.Config, opt Options) error {
	for _, id := range append(append(cfg.RuleIDs(), opt.Enable...), opt.Disable...) {
		if Lookup(id) == nil {
			return fmt.Errorf("unknown rule %q (see `hoplint rules`)", id)
		}
	}
	for id, rc := range cfg.Rules {
		if rc.Severity != "" {
			if _, err := ParseSeverity(rc.Severity); err != nil {
				return fmt.Errorf("rules.%s: %w", id, err)
			}
		}
		r := Lookup(id)
		for name := range rc.Params {
			if !r.hasParam(name) {
				return fmt.Errorf("rules.%s: unknown param %q", id, name)
			}
		}
	}
	return nil
}

func (r *Rule) hasParam(name string) bool {
	for _, p := range r.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// Enabled reports whether rule r runs under cfg and opt.
func Enabled(r *Rule, cfg *config.Config, opt Options) bool {
	for _, id := range opt.Disable {
		if id == r.ID {
			return false
		}
	}
	for _, id := range opt.Enable {
		if id == r.ID {
			return true
		}
	}
	if rc, ok := cfg.Rules[r.ID]; ok && rc.Enabled != nil {
		return *rc.Enabled
	}
	return true
}

// Run executes every enabled rule over g, applies suppressions, and returns
// the findings deduplicated, fingerprinted and sorted by file, line, column
// and rule.
func Run(g *topology.Graph, cfg *config.Config, opt Options) []Finding {
	if cfg == nil {
		cfg = &config.Config{}
	}
	var all []Finding
	for _, r := range All() {
		if !Enabled(r, cfg, opt) {
			continue
		}
		pass := &Pass{Rule: r, Graph: g, Config: cfg, params: paramsOf(cfg.Rules[r.ID])}
		runSafely(pass)
		if rc, ok := cfg.Rules[r.ID]; ok && rc.Severity != "" {
			sev, _ := ParseSeverity(rc.Severity)
			for i := range pass.findings {
				pass.findings[i].Severity = sev
			}
		}
		all = append(all, pass.findings...)
	}
	all = foldInstances(dedupe(all))
	all = applySuppressions(g, all, func(id string) bool {
		r := Lookup(id)
		return r != nil && Enabled(r, cfg, opt)
	})
	sortFindings(all)
	fingerprint(g, all)
	return all
}

func paramsOf(rc config.RuleConfig) map[string]string {
	if len(rc.Params) == 0 {
		return nil
	}
	m := make(map[string]string, len(rc.Params))
	for k, v := range rc.Params {
		m[k] = fmt.Sprint(v)
	}
	return m
}

// runSafely runs one rule; a panic becomes a finding instead of a crash, so
// that one broken rule cannot hide the others' findings.
func runSafely(p *Pass) {
	defer func() {
		if r := recover(); r != nil {
			p.findings = append(p.findings, Finding{
				Rule: p.Rule.ID, Severity: Error,
				Message: fmt.Sprintf("internal error in rule %s (please report it): %v\n%s", p.Rule.ID, r, firstFrames(debug.Stack())),
			})
		}
	}()
	p.Rule.Run(p)
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

func dedupe(fs []Finding) []Finding {
	seen := make(map[string]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		k := f.Rule + "\x00" + f.Range.String() + "\x00" + f.Message
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Range.File != b.Range.File {
			return a.Range.File < b.Range.File
		}
		if a.Range.Start.Line != b.Range.Start.Line {
			return a.Range.Start.Line < b.Range.Start.Line
		}
		if a.Range.Start.Col != b.Range.Start.Col {
			return a.Range.Start.Col < b.Range.Start.Col
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}

// fingerprint gives each finding an ID that survives unrelated edits: it
// hashes the rule, the file, the text of the primary line and the message,
// not the line number, so that adding a line above does not make a known
// finding look new. Identical keys are told apart by their order.
func fingerprint(g *topology.Graph, fs []Finding) {
	files := map[string]*parsers.File{}
	for _, f := range g.Files {
		files[f.Path] = f
	}
	count := map[string]int{}
	for i := range fs {
		f := &fs[i]
		text := ""
		if file := files[f.Range.File]; file != nil && f.Range.Start.Line > 0 {
			text = strings.TrimSpace(file.Line(f.Range.Start.Line))
		}
		h := sha256.Sum256([]byte(f.Rule + "\x00" + f.Range.File + "\x00" + text + "\x00" + f.Message))
		key := hex.EncodeToString(h[:8])
		count[key]++
		if n := count[key]; n > 1 {
			key = fmt.Sprintf("%s-%d", key, n)
		}
		f.Fingerprint = key
	}
}
