package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/workers"
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
// a usage error instead of a silently ignored switch, and the params'
// values: each must parse the way its default does. Errors from the
// configuration name its file and line.
func Check(cfg *config.Config, opt Options) error {
	for _, id := range append(append([]string(nil), opt.Enable...), opt.Disable...) {
		if Lookup(id) == nil {
			return fmt.Errorf("unknown rule %q (see `hoplint rules`)%s", id, didYouMean(id, ruleIDs()))
		}
	}
	for _, id := range cfg.RuleIDs() {
		rc := cfg.Rules[id]
		key := "rules." + id
		r := Lookup(id)
		if r == nil {
			return cfg.Errorf(key, "unknown rule under rules: (see `hoplint rules`)%s", didYouMean(id, ruleIDs()))
		}
		if rc.Severity != "" {
			if _, err := ParseSeverity(rc.Severity); err != nil {
				return cfg.Errorf(key+".severity", "rules.%s.severity must be error, warning or info", id)
			}
		}
		names := make([]string, 0, len(rc.Params))
		for name := range rc.Params {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			prm := r.param(name)
			if prm == nil {
				return cfg.Errorf(key+".params."+name, "rules.%s: unknown param (it has: %s)%s", id, paramNames(r), didYouMean(name, strings.Split(paramNames(r), ", ")))
			}
			if err := checkParam(*prm, fmt.Sprint(rc.Params[name])); err != nil {
				return cfg.Errorf(key+".params."+name, "rules.%s.params.%s: %v", id, name, err)
			}
		}
	}
	return nil
}

// didYouMean names the candidate a typo was meant to be, if one is near.
func didYouMean(s string, candidates []string) string {
	if c := config.Suggest(s, candidates); c != "" {
		return "; did you mean " + c + "?"
	}
	return ""
}

func ruleIDs() []string {
	var ids []string
	for _, r := range All() {
		ids = append(ids, r.ID)
	}
	return ids
}

func (r *Rule) param(name string) *Param {
	for i := range r.Params {
		if r.Params[i].Name == name {
			return &r.Params[i]
		}
	}
	return nil
}

func paramNames(r *Rule) string {
	if len(r.Params) == 0 {
		return "none"
	}
	var names []string
	for _, p := range r.Params {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

// checkParam requires a param value to be of its default's kind: an
// integer, a Go duration, or a Kubernetes quantity ("64Mi", "50m"). A
// value that does not parse would otherwise make the rule silently use
// nothing, or panic.
func checkParam(p Param, v string) error {
	if _, err := strconv.Atoi(p.Default); err == nil {
		if _, err := strconv.Atoi(v); err != nil {
			return errors.New("must be a whole number, like " + p.Default)
		}
		return nil
	}
	if _, err := time.ParseDuration(p.Default); err == nil {
		if _, err := time.ParseDuration(v); err != nil {
			return errors.New("must be a duration, like " + p.Default)
		}
		return nil
	}
	if _, err := resource.ParseQuantity(p.Default); err == nil {
		if _, err := resource.ParseQuantity(v); err != nil {
			return errors.New("must be a Kubernetes quantity, like " + p.Default)
		}
	}
	return nil
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
	var passes []*Pass
	files := fileSet(g)
	for _, r := range All() {
		if Enabled(r, cfg, opt) {
			passes = append(passes, &Pass{Rule: r, Graph: g, Config: cfg, params: paramsOf(cfg.Rules[r.ID]), files: files})
		}
	}
	runPasses(passes)
	var all []Finding
	for _, pass := range passes {
		if rc, ok := cfg.Rules[pass.Rule.ID]; ok && rc.Severity != "" {
			sev, _ := ParseSeverity(rc.Severity)
			for i := range pass.findings {
				pass.findings[i].Severity = sev
			}
		}
		all = append(all, pass.findings...)
	}
	all = foldSameRange(foldInstances(dedupe(all)))
	all = applySuppressions(g, all, func(id string) bool {
		r := Lookup(id)
		return r != nil && Enabled(r, cfg, opt)
	})
	all = excluded(g, cfg, all)
	SortFindings(all)
	all = foldCauses(all) // in position order, so that the first place is kept
	fingerprint(g, all)
	return all
}

// excluded drops the findings that a rule's exclude patterns in
// .hoplint.yml silence, by their primary location. It runs after the
// suppressions (a hoplint:ignore on such a line is not then reported as
// unused) and before findings are folded, so that a finding elsewhere is
// never folded into one that is dropped.
func excluded(g *topology.Graph, cfg *config.Config, fs []Finding) []Finding {
	var files map[string]*parsers.File
	out := fs[:0]
	for _, f := range fs {
		if rc, ok := cfg.Rules[f.Rule]; ok && len(rc.Exclude) > 0 {
			if files == nil {
				files = graphFiles(g)
			}
			abs := ""
			if pf := files[f.Range.File]; pf != nil {
				abs = pf.Abs
			} else if p := filepath.FromSlash(f.Range.File); filepath.IsAbs(p) {
				abs = filepath.Clean(p)
			} else if wd := workDir(g); wd != "" {
				abs = filepath.Join(wd, p)
			}
			if cfg.Excluded(f.Rule, f.Range.File, abs) {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// workDir is the directory the graph's paths are relative to, read off a
// file whose Path is relative (its Abs ends in it), or "".
func workDir(g *topology.Graph) string {
	for _, f := range g.Files {
		p := filepath.FromSlash(f.Path)
		if f.Path == "" || filepath.IsAbs(p) || !strings.HasSuffix(f.Abs, string(filepath.Separator)+p) {
			continue
		}
		return strings.TrimSuffix(f.Abs, string(filepath.Separator)+p)
	}
	return ""
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
// runPasses runs the rules side by side, one goroutine per core (issue
// 24 item 7): a rule only reads the graph, which is complete before any
// rule runs, and writes nothing but its own Pass, so the passes share no
// state. Each pass keeps its own findings, and Run gathers them in the
// registry's order, so the output does not depend on which rule ends
// first. `go test -race ./rules` runs every rule's examples this way.
func runPasses(passes []*Pass) {
	workers.Each(len(passes), func(i int) { runSafely(passes[i]) })
}

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

// dedupe drops repeated findings. A finding on a rendered object (its
// range has a Via) is reported once per source location however many
// overlays or charts render that line: the first message stays, and every
// rendering becomes a related location ("in overlay overlays/dev").
//
// When the renderings name the object differently (namePrefix: prod- and
// staging- in two overlays), the kept message says that its names are
// those of the first rendering, so that it does not seem to speak of one
// overlay only.
func dedupe(fs []Finding) []Finding {
	// The key is a struct of the finding's own strings, not one string
	// joined from them: 13 MB of keys at 54,000 files.
	type key struct {
		rule, file string
		start, end parsers.Pos
		message    string
		via        bool
	}
	seen := make(map[key]int, len(fs))
	differ := map[int]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := key{rule: f.Rule, file: f.Range.File, start: f.Range.Start, message: f.Message}
		if k.start.Line == 0 {
			k.start = parsers.Pos{} // a whole file (Range.String)
		}
		if f.Range.Via != nil {
			// One place in the sources, whatever each rendering says.
			k.message, k.end, k.via = "", f.Range.End, true
		}
		if i, ok := seen[k]; ok {
			if f.Range.Via != nil {
				out[i].Related = appendVias(out[i].Related, f)
				if f.Message != out[i].Message {
					differ[i] = true
				}
			}
			continue
		}
		seen[k] = len(out)
		f.Related = appendVias(append([]parsers.Related(nil), f.Related...), f)
		out = append(out, f)
	}
	for i := range differ {
		out[i].Message = strings.TrimSuffix(out[i].Message, ".") + ". Names and values are those of the first rendering listed below; the others have the same finding under their own names."
	}
	return out
}

// appendVias adds, once each, the renderings behind f's locations to rel.
func appendVias(rel []parsers.Related, f Finding) []parsers.Related {
	add := func(v *parsers.Via) {
		if v == nil {
			return
		}
		for _, r := range rel {
			if r.Message == v.Message && r.Range.Same(v.Range) {
				return
			}
		}
		rel = append(rel, parsers.Related{Range: v.Range, Message: v.Message})
	}
	add(f.Range.Via)
	for _, r := range f.Related {
		add(r.Range.Via)
	}
	return rel
}

// SortFindings puts findings in the order every format relies on: file,
// line, column, rule, message.
func SortFindings(fs []Finding) {
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

// fingerprint gives each finding an ID that survives unrelated edits and
// changes when the finding's values change. It hashes content, never
// positions and never message text: the rule, and for each location (the
// primary one, then each related one) the file's name relative to the
// repository root (stableNames: so that linting from any directory, by
// any path, or through a symlink agrees) and the text of its line, which
// holds the values the rule read (of a long line, only the text around
// the location: lineText). Messages are left out because they name files
// as the run does and because their wording improves from release to
// release; neither may make a known finding new. Identical keys are told
// apart by their order.
func fingerprint(g *topology.Graph, fs []Finding) {
	keys := fingerprintKeys(g, fs, func(write func(...string), f *Finding, files map[string]*parsers.File, names *stableNames) {
		write("v2", f.Rule)
		for _, rg := range f.Locations() {
			write(names.of(rg.File), lineText(files[rg.File], rg))
		}
	})
	for i := range fs {
		fs[i].Fingerprint = keys[i]
	}
}

// readLines indexes the lines of every file a finding points into, on
// every core: a manifest's text is released once it is parsed
// (parsers.File.Release), and reading it again one file after another,
// for the line text below, was half a second of a run at 54,000 files.
func readLines(files map[string]*parsers.File, fs []Finding) {
	seen := map[*parsers.File]bool{}
	var todo []*parsers.File
	for i := range fs {
		for _, rg := range fs[i].Locations() {
			if f := files[rg.File]; f != nil && !seen[f] {
				seen[f] = true
				todo = append(todo, f)
			}
		}
	}
	topology.ParallelEach(todo, func(_ int, f *parsers.File) { f.NumLines() })
}

// fingerprintKeys hashes what key writes of each finding (each part ends
// in a NUL) into 16 hex digits; findings whose keys are identical are
// told apart by their order ("-2", "-3").
func fingerprintKeys(g *topology.Graph, fs []Finding, key func(write func(...string), f *Finding, files map[string]*parsers.File, names *stableNames)) []string {
	files := graphFiles(g)
	readLines(files, fs)
	names := newStableNames(files)
	count := map[string]int{}
	h := sha256.New()
	write := func(parts ...string) {
		for _, p := range parts {
			_, _ = io.WriteString(h, p)
			h.Write([]byte{0})
		}
	}
	out := make([]string, len(fs))
	for i := range fs {
		h.Reset()
		key(write, &fs[i], files, names)
		k := hex.EncodeToString(h.Sum(nil)[:8])
		count[k]++
		if n := count[k]; n > 1 {
			k = fmt.Sprintf("%s-%d", k, n)
		}
		out[i] = k
	}
	return out
}

func graphFiles(g *topology.Graph) map[string]*parsers.File {
	files := map[string]*parsers.File{}
	for _, f := range g.Files {
		files[f.Path] = f
	}
	for p, f := range g.Sources {
		if files[p] == nil {
			files[p] = f
		}
	}
	return files
}

// LegacyFingerprints are the fingerprints of hoplint's version 1
// baselines, for fs as Run returned them (sorted): they also hashed the
// messages, with "file:line" reduced to the file, so that the same finding
// differed when hoplint ran in another directory. A version 1 baseline is
// still matched with them, so that upgrading hoplint does not make every
// known finding new.
func LegacyFingerprints(g *topology.Graph, fs []Finding) []string {
	return fingerprintKeys(g, fs, func(write func(...string), f *Finding, files map[string]*parsers.File, names *stableNames) {
		write(f.Rule, names.of(f.Range.File), lineText(files[f.Range.File], f.Range), names.strip(f.Message))
		for _, r := range f.Related {
			write(names.of(r.Range.File), lineText(files[r.Range.File], r.Range), names.strip(r.Message))
		}
	})
}

// A line up to fpWholeLine bytes long goes into a fingerprint whole, as it
// always has (baselines hold such fingerprints). A longer one (a minified
// JSON manifest, a thousand nginx servers on one line) would make hashing
// quadratic in the line's length, one full line per finding: of it only
// the location's own text goes in, at most fpLocText bytes, with fpContext
// bytes of the line on either side.
const (
	fpWholeLine = 1024
	fpLocText   = 512
	fpContext   = 64
)

// lineText is the text of rg's first line that identifies the finding.
func lineText(file *parsers.File, rg parsers.Range) string {
	if file == nil || rg.Start.Line < 1 {
		return ""
	}
	line := file.Line(rg.Start.Line - file.Shift.Line)
	if len(line) <= fpWholeLine {
		return strings.TrimSpace(line)
	}
	from := min(max(rg.Start.Col-1-file.Shift.Col, 0), len(line))
	to := from
	if rg.End.Line == rg.Start.Line {
		to = min(max(rg.End.Col-1-file.Shift.Col, from), len(line))
	}
	to = min(to, from+fpLocText)
	return line[max(from-fpContext, 0):min(to+fpContext, len(line))]
}

// stableNames names files independently of the directory hoplint ran in
// and of the path it was given: relative to the repository that holds the
// file, found through the real path of the root (a symlink to a
// repository's subdirectory names files as the repository does).
type stableNames struct {
	files map[string]*parsers.File
	roots map[string]rootNames // by File.Root
	names map[string]string    // by File.Path: each path's name, worked out once
}

type rootNames struct {
	real string // the root with symlinks resolved
	repo string // the repository holding real, or real itself
}

func newStableNames(files map[string]*parsers.File) *stableNames {
	return &stableNames{files: files, roots: map[string]rootNames{}, names: map[string]string{}}
}

// strip reduces the positions a message quotes ("path:line",
// "path:line:col" where path is a file hoplint read; not "host:8080") to
// the file's stable name, and "line N" to "line". It reads the message
// once, without a regular expression per finding.
func (n *stableNames) strip(msg string) string {
	if !strings.ContainsAny(msg, ":l") {
		return msg
	}
	var b strings.Builder
	last := 0 // msg[last:] is still to be copied
	for i := 0; i < len(msg); i++ {
		switch c := msg[i]; {
		case c == ':' && i+1 < len(msg) && isDigit(msg[i+1]):
			j := i
			for j > last && !pathStop(msg[j-1]) {
				j--
			}
			if j == i || n.files[msg[j:i]] == nil {
				continue
			}
			k := digitsEnd(msg, i+1)
			if k+1 < len(msg) && msg[k] == ':' && isDigit(msg[k+1]) {
				k = digitsEnd(msg, k+1)
			}
			b.WriteString(msg[last:j])
			b.WriteString(n.of(msg[j:i]))
			last, i = k, k-1
		case c == 'l' && strings.HasPrefix(msg[i:], "line ") && i+5 < len(msg) && isDigit(msg[i+5]) && (i == 0 || !isWordByte(msg[i-1])):
			k := digitsEnd(msg, i+5)
			b.WriteString(msg[last:i])
			b.WriteString("line")
			last, i = k, k-1
		}
	}
	if last == 0 {
		return msg
	}
	b.WriteString(msg[last:])
	return b.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordByte(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// pathStop ends the path before a ":line": what a path in a message is
// never taken to hold.
func pathStop(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '(', ')', ':', ',', '\'', '"':
		return true
	}
	return false
}

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// of returns path relative to the repository root that holds the file (the
// nearest directory above its root's real path with a .git), else
// relative to the directory it was found under.
func (n *stableNames) of(path string) string {
	if name, ok := n.names[path]; ok {
		return name
	}
	name := n.name(path)
	n.names[path] = name
	return name
}

func (n *stableNames) name(path string) string {
	f := n.files[path]
	if f == nil || f.Abs == "" || f.Root == "" {
		return path
	}
	r, ok := n.roots[f.Root]
	if !ok {
		r.real = parsers.RealPath(f.Root)
		r.repo = repoRoot(r.real)
		n.roots[f.Root] = r
	}
	// The file's path under its root, as found (a symlinked file keeps
	// its own name), moved onto the root's real path.
	abs := f.Abs
	if in, err := filepath.Rel(f.Root, f.Abs); err == nil && in != ".." && !strings.HasPrefix(in, ".."+string(filepath.Separator)) {
		abs = filepath.Join(r.real, in)
	}
	if rel, err := filepath.Rel(r.repo, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}

func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// Locations returns the primary range followed by every related range.
func (f Finding) Locations() []parsers.Range {
	out := make([]parsers.Range, 0, 1+len(f.Related))
	out = append(out, f.Range)
	for _, r := range f.Related {
		out = append(out, r.Range)
	}
	return out
}
