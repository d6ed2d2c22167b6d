package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/report"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// listFlag collects a repeatable flag; commas split values too.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// formatFlag collects --format NAME[=FILE].
type formatFlag []outputSpec

type outputSpec struct{ name, file string }

func (f *formatFlag) String() string { return "" }
func (f *formatFlag) Set(v string) error {
	name, file, _ := strings.Cut(v, "=")
	*f = append(*f, outputSpec{name, file})
	return nil
}

type lintOptions struct {
	formats     formatFlag
	configFile  string
	failOn      string
	enable      listFlag
	disable     listFlag
	noColor     bool
	baseline    string
	newFromRev  string
	allowEmpty  bool
	showVersion bool
}

// lintFlags declares the flags shared by lint and baseline.
func lintFlags(name string, o *lintOptions) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(&o.formats, "format", "")
	fs.StringVar(&o.configFile, "config", "", "")
	fs.StringVar(&o.failOn, "fail-on", "warning", "")
	fs.Var(&o.enable, "enable", "")
	fs.Var(&o.disable, "disable", "")
	fs.BoolVar(&o.noColor, "no-color", false, "")
	fs.StringVar(&o.baseline, "baseline", "", "")
	fs.StringVar(&o.newFromRev, "new-from-rev", "", "")
	fs.BoolVar(&o.allowEmpty, "allow-empty", false, "")
	fs.BoolVar(&o.showVersion, "version", false, "")
	return fs
}

// parseInterleaved parses flags that may come before, between or after the
// paths, as users type them ("hoplint examples/shop --format json").
// Everything after a "--" that stands where a flag could is a path, even
// one named like a flag (a file "--fail-on=never" in a pull request).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		// The flag package drops the "--" that ends the flags: if the
		// last argument it took is a "--" that is no flag's value, the
		// flags ended there.
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" && !takesValue(fs, args[:used-1]) {
			return append(paths, rest...), nil
		}
		if len(rest) == 0 {
			return paths, nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

// takesValue reports whether the argument after before is the value of
// before's last argument: a flag of the form -name or --name (no "=")
// that is not a boolean.
func takesValue(fs *flag.FlagSet, before []string) bool {
	if len(before) == 0 {
		return false
	}
	last := before[len(before)-1]
	if !strings.HasPrefix(last, "-") || last == "-" || last == "--" || strings.Contains(last, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(last, "-"))
	if f == nil {
		return false
	}
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return false
	}
	return true
}

type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

func cmdLint(args []string, stdout, stderr io.Writer) int {
	var o lintOptions
	paths, err := parseInterleaved(lintFlags("hoplint", &o), args)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout)
		return exitClean
	}
	if err != nil {
		return fail(stderr, err)
	}
	if o.showVersion {
		fmt.Fprintln(stdout, versionLine())
		return exitClean
	}
	if len(o.formats) == 0 {
		o.formats = formatFlag{{name: "text"}}
	}
	for _, f := range o.formats {
		if _, ok := report.Lookup(f.name); !ok {
			return fail(stderr, fmt.Errorf("unknown format %q (want one of %s)", f.name, strings.Join(report.Names(), ", ")))
		}
	}
	var failOn rules.Severity
	if o.failOn != "never" {
		if failOn, err = rules.ParseSeverity(o.failOn); err != nil {
			return fail(stderr, fmt.Errorf("--fail-on: %w", err))
		}
	}
	// The profile covers the report too: writing a large run's report is
	// part of its time.
	defer startCPUProfile()()
	res, err := lint(&o, paths)
	if err != nil {
		return fail(stderr, err)
	}
	if err := res.filter(&o); err != nil {
		return fail(stderr, err)
	}
	for _, n := range res.stderrNotes {
		fmt.Fprintln(stderr, "hoplint:", n)
	}
	if !summaryOnStdout(o.formats) {
		for _, n := range res.notes {
			fmt.Fprintln(stderr, "hoplint:", n)
		}
	}
	rep := res.report(wantsPicture(o.formats))
	rep.FailOn = failOn
	if o.failOn == "never" {
		rep.FailOn = report.FailNever
	}
	for _, spec := range o.formats {
		if err := writeReport(spec, rep, stdout, o.noColor); err != nil {
			if errors.Is(err, syscall.EPIPE) {
				// The reader of stdout left (hoplint . | head -1): not
				// an error of hoplint's; see exitBrokenPipe.
				return exitBrokenPipe
			}
			return fail(stderr, err)
		}
	}
	if failOn != 0 {
		for _, f := range res.findings {
			if f.Severity >= failOn {
				return exitFindings
			}
		}
	}
	return exitClean
}

// lintResult is one run: the graph, its findings, and what filtering said.
type lintResult struct {
	g *topology.Graph
	// wd is the directory the findings' paths are relative to (lintRoot).
	wd       string
	findings []rules.Finding
	notes    []string
	// stderrNotes go to stderr whatever the format: which revision
	// --new-from-rev compared with.
	stderrNotes []string
	// changed tells a location on a line changed since --new-from-rev,
	// or is nil without it.
	changed func(parsers.Range) bool
}

// loadTree loads the files under paths into a graph, from the directory
// hoplint runs in: lint, graph and plan read the same tree the same way.
// It also returns the lint root and the paths relative to it.
func loadTree(cfg *config.Config, paths []string) (*topology.Graph, string, []string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, "", nil, err
	}
	wd, rel, err := lintRoot(cwd, paths)
	if err != nil {
		return nil, "", nil, err
	}
	g, err := topology.Load(rel, cfg, wd)
	if err != nil {
		return nil, "", nil, err
	}
	return g, wd, rel, nil
}

// lint loads the configuration and the files under paths and runs the
// rules. A path that holds nothing hoplint reads is an error unless
// --allow-empty: a mistyped directory must not pass CI silently.
func lint(o *lintOptions, paths []string) (*lintResult, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	cfg, err := loadConfig(o.configFile, paths)
	if err != nil {
		return nil, err
	}
	ropts := rules.Options{Enable: o.enable, Disable: o.disable}
	if err := rules.Check(cfg, ropts); err != nil {
		return nil, err
	}
	g, wd, rel, err := loadTree(cfg, paths)
	if err != nil {
		return nil, err
	}
	if !o.allowEmpty {
		if empty := emptyPaths(g, paths, rel, wd); len(empty) > 0 {
			return nil, fmt.Errorf("no file that hoplint reads (nginx, Apache httpd, Terraform, Kubernetes, OpenAPI) under %s; check the path, or pass --allow-empty", strings.Join(empty, " "))
		}
	}
	findings := rules.Run(g, cfg, ropts)
	writeHeapProfile()
	return &lintResult{g: g, wd: wd, findings: findings}, nil
}

// emptyPaths lists the path arguments under which hoplint found nothing
// to read, neither a file nor one it could not read: each path must count,
// so that "hoplint infra/ ngnix/" does not pass on infra/ alone. paths are
// as typed (for the message), rel the same relative to wd (lintRoot).
func emptyPaths(g *topology.Graph, paths, rel []string, wd string) []string {
	var seen []string
	for _, f := range g.Files {
		seen = append(seen, f.Abs)
	}
	for _, p := range g.Problems {
		if p.Range.File != "" {
			seen = append(seen, absPath(wd, p.Range.File))
		}
	}
	var empty []string
	for i, p := range paths {
		abs := absPath(wd, rel[i])
		found := false
		for _, s := range seen {
			if parsers.Within(abs, s) {
				found = true
				break
			}
		}
		if !found {
			empty = append(empty, p)
		}
	}
	return empty
}

func absPath(wd, p string) string {
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		p = filepath.Join(wd, p)
	}
	return filepath.Clean(p)
}

// filter applies --baseline and --new-from-rev.
func (r *lintResult) filter(o *lintOptions) error {
	if o.baseline != "" {
		b, err := readBaseline(o.baseline)
		if err != nil {
			return err
		}
		var hidden, gone int
		r.findings, hidden, gone = b.filter(r.g, r.findings)
		r.notes = append(r.notes, fmt.Sprintf("baseline %s: %d known findings not shown, %d gone since it was written (fixed or changed; run hoplint baseline again to drop them)", o.baseline, hidden, gone))
	}
	if o.newFromRev != "" {
		d, err := gitChanges(r.wd, o.newFromRev)
		if err != nil {
			return err
		}
		r.stderrNotes = append(r.stderrNotes, d.note)
		before := len(r.findings)
		r.findings = d.place(r.wd, d.filter(r.wd, r.findings))
		r.changed = func(rg parsers.Range) bool { return d.changed(r.wd, rg) }
		r.notes = append(r.notes, fmt.Sprintf("--new-from-rev %s: %d findings on lines not changed since then not shown", o.newFromRev, before-len(r.findings)))
	}
	return nil
}

func (r *lintResult) report(picture bool) *report.Report {
	g := r.g
	path := ""
	if picture {
		path = pathPicture(g, r.findings)
	}
	rep := &report.Report{
		Findings: r.findings,
		Summary:  report.Summary{Files: topology.FileCount(g), Hops: len(g.Hops), Edges: len(g.Edges)},
		Sources:  sources(g),
		Version:  version(),
		Notes:    r.notes,
		Path:     path,
		RepoDir:  repoDir(r.wd),
		Changed:  r.changed,
	}
	rep.Summary.Count(r.findings)
	return rep
}

func writeReport(spec outputSpec, rep *report.Report, stdout io.Writer, noColor bool) error {
	format, _ := report.Lookup(spec.name)
	if spec.file == "" || spec.file == "-" {
		r := *rep
		r.Color = spec.name == "text" && useColor(stdout, noColor)
		return format(stdout, &r)
	}
	f, err := os.Create(spec.file)
	if err != nil {
		return err
	}
	if err := format(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadConfig reads --config FILE, or the .hoplint.yml that config.Find
// finds from the first linted path up to the repository root.
func loadConfig(path string, paths []string) (*config.Config, error) {
	if path != "" {
		return config.Load(path, true)
	}
	start := "."
	if len(paths) > 0 {
		start = paths[0]
	}
	found, root, err := config.Find(start)
	if err != nil || found == "" {
		return &config.Config{}, err
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, found); err == nil {
			found = rel // errors name it as the user would
		}
	}
	return config.LoadFile(found, root)
}

// wantsPicture reports whether a format draws the path the findings touch
// (markdown, the step summary's); the others need not work it out.
func wantsPicture(formats formatFlag) bool {
	for _, f := range formats {
		if f.name == "markdown" {
			return true
		}
	}
	return false
}

// summaryOnStdout reports whether a format that prints the run's notes
// (text, markdown) goes to stdout; otherwise they go to stderr.
func summaryOnStdout(formats formatFlag) bool {
	for _, f := range formats {
		if (f.file == "" || f.file == "-") && (f.name == "text" || f.name == "markdown") {
			return true
		}
	}
	return false
}

// repoDir is wd relative to the root of the git repository holding it
// (the nearest directory with a .git), "" at the root or outside one.
func repoDir(wd string) string {
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			rel, err := filepath.Rel(d, wd)
			if err != nil || rel == "." {
				return ""
			}
			return filepath.ToSlash(rel)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// sources are the files a report may quote: those discovered and those
// read through includes and module calls, all already in memory. Nothing
// is read again for a snippet (a finding may name any path, and re-reading
// would escape the root and the size cap).
func sources(g *topology.Graph) map[string]*parsers.File {
	files := make(map[string]*parsers.File, len(g.Files)+len(g.Sources))
	for p, f := range g.Sources {
		files[p] = f
	}
	for _, f := range g.Files {
		files[f.Path] = f
	}
	return files
}

// useColor decides whether text output is coloured: never with --no-color
// or NO_COLOR (https://no-color.org), always with FORCE_COLOR (as CI
// systems that render ANSI set it), else only on a terminal.
func useColor(w io.Writer, noColor bool) bool {
	if noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	if v := os.Getenv("FORCE_COLOR"); v != "" && v != "0" && v != "false" {
		return true
	}
	if os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func fail(stderr io.Writer, err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		err = ue.err
	}
	fmt.Fprintln(stderr, "hoplint:", err)
	return exitUsage
}
