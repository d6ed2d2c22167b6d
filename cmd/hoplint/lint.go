package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

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
	formats    formatFlag
	configFile string
	failOn     string
	enable     listFlag
	disable    listFlag
	noColor    bool
}

// parseInterleaved parses flags that may come before, between or after the
// paths, as users type them ("hoplint examples/shop --format json").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return paths, nil
		}
		if rest[0] == "--" {
			return append(paths, rest[1:]...), nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

func cmdLint(args []string, stdout, stderr io.Writer) int {
	var o lintOptions
	fs := flag.NewFlagSet("hoplint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(&o.formats, "format", "")
	fs.StringVar(&o.configFile, "config", "", "")
	fs.StringVar(&o.failOn, "fail-on", "warning", "")
	fs.Var(&o.enable, "enable", "")
	fs.Var(&o.disable, "disable", "")
	fs.BoolVar(&o.noColor, "no-color", false, "")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return fail(stderr, err)
	}
	if len(paths) == 0 {
		paths = []string{"."}
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
	cfg, err := loadConfig(o.configFile, paths)
	if err != nil {
		return fail(stderr, err)
	}
	ropts := rules.Options{Enable: o.enable, Disable: o.disable}
	if err := rules.Check(cfg, ropts); err != nil {
		return fail(stderr, err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return fail(stderr, err)
	}
	g, err := topology.Load(paths, cfg, wd)
	if err != nil {
		return fail(stderr, err)
	}
	findings := rules.Run(g, cfg, ropts)

	rep := &report.Report{
		Findings: findings,
		Summary:  report.Summary{Files: len(g.Files), Hops: len(g.Hops), Edges: len(g.Edges)},
		Source:   sourceFunc(g, wd),
		Version:  version(),
	}
	rep.Summary.Count(findings)
	for _, spec := range o.formats {
		if err := writeReport(spec, rep, stdout, o.noColor); err != nil {
			return fail(stderr, err)
		}
	}
	if failOn != 0 {
		for _, f := range findings {
			if f.Severity >= failOn {
				return 1
			}
		}
	}
	return 0
}

func writeReport(spec outputSpec, rep *report.Report, stdout io.Writer, noColor bool) error {
	format, _ := report.Lookup(spec.name)
	if spec.file == "" || spec.file == "-" {
		r := *rep
		r.Color = spec.name == "text" && !noColor && isTerminal(stdout)
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

// sourceFunc serves file contents for snippets: discovered files from
// memory, others (files reached by includes) read once from disk.
func sourceFunc(g *topology.Graph, wd string) func(string) *parsers.File {
	files := make(map[string]*parsers.File, len(g.Files))
	for _, f := range g.Files {
		files[f.Path] = f
	}
	var mu sync.Mutex
	return func(path string) *parsers.File {
		mu.Lock()
		defer mu.Unlock()
		if f, ok := files[path]; ok {
			return f
		}
		abs := path
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(wd, filepath.FromSlash(path))
		}
		var f *parsers.File
		if data, err := os.ReadFile(abs); err == nil && len(data) <= parsers.MaxFileSize {
			f = parsers.NewFile(path, abs, filepath.Dir(abs), "", data)
		}
		files[path] = f
		return f
	}
}

func isTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func fail(stderr io.Writer, err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		err = ue.err
	}
	fmt.Fprintln(stderr, "hoplint:", err)
	return 2
}
