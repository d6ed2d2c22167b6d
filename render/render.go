// Package render turns Kustomize kustomizations and Helm charts into the
// objects they deploy (DESIGN.md §1: the stage between discovery and
// parsing). A rendered file carries a parsers.SourceMap from each of its
// lines back to the source line that produced it (the patch or values line
// when one set the value, else the base or template line), and every range
// it yields names the kustomization or chart that rendered it (Range.Via),
// so rules only ever see source positions.
//
// Rendering reads only the linted tree: kustomize runs over a filesystem
// confined to the root, without plugins, remote bases or Helm inflation;
// charts render with no cluster and local dependencies only.
package render

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hoplint/hoplint/parsers"
)

// Options tune Render.
type Options struct {
	// WorkDir is the directory file paths are relative to.
	WorkDir string
	// ChartValues maps a chart directory (relative to WorkDir, slash
	// separated) to extra values files, relative to the chart, applied
	// after its values.yaml in order (helm template -f).
	ChartValues map[string][]string
}

type renderer struct {
	opt    Options
	byAbs  map[string]*parsers.File
	byPath map[string]*parsers.File
	// roots are the distinct roots of the discovered files, deepest
	// first: a source file read later belongs to the first that holds it.
	roots    []string
	consumed map[string]bool
	out      []*parsers.File // rendered files
	extra    []*parsers.File // source files read that discovery did not return
	problems []parsers.Problem
	// helmTimeouts counts the charts that ran out of time or memory
	// (maxOverBudget).
	helmTimeouts int
	// mu guards byAbs, byPath and extra, which source fills while
	// kustomizations build concurrently.
	mu sync.RWMutex
}

// Render renders the kustomizations and charts among files. It returns
// the files to parse (the input, with the files a kustomization or chart
// consumes marked Consumed, then the rendered files) and the problems
// found while rendering. A tree with neither costs one pass over the list.
func Render(files []*parsers.File, opt Options) ([]*parsers.File, []parsers.Problem) {
	var kusts, charts []*parsers.File
	for _, f := range files {
		switch f.Format {
		case parsers.FormatKustomization:
			kusts = append(kusts, f)
		case parsers.FormatHelmChart:
			charts = append(charts, f)
		}
	}
	if len(kusts) == 0 && len(charts) == 0 {
		return files, nil
	}
	r := &renderer{opt: opt, byAbs: map[string]*parsers.File{}, byPath: map[string]*parsers.File{}, consumed: map[string]bool{}}
	seen := map[string]bool{}
	for _, f := range files {
		r.byAbs[f.Abs] = f
		r.byPath[f.Path] = f
		if !seen[f.Root] {
			seen[f.Root] = true
			r.roots = append(r.roots, f.Root)
		}
	}
	sort.Slice(r.roots, func(i, j int) bool { return len(r.roots[i]) > len(r.roots[j]) })
	if len(charts) > 0 {
		r.helm(files, charts)
	}
	if len(kusts) > 0 {
		r.kustomize(kusts)
	}
	out := make([]*parsers.File, 0, len(files)+len(r.extra)+len(r.out))
	for _, f := range files {
		if r.consumed[f.Abs] {
			f.Consumed = true
		}
		out = append(out, f)
	}
	out = append(out, r.extra...)
	out = append(out, r.out...)
	return out, r.problems
}

func (r *renderer) problem(kind parsers.ProblemKind, at parsers.Range, msg string) {
	r.problems = append(r.problems, parsers.Problem{Kind: kind, Range: at, Message: msg})
}

func (r *renderer) consume(abs string) {
	if abs != "" {
		r.consumed[filepath.Clean(abs)] = true
	}
}

// source returns the file at abs: the discovered one, or the file read
// from disk (inside its root) when discovery skipped it (a patch in a
// .yml file that does not look like a manifest, a generator input).
func (r *renderer) source(abs string) *parsers.File {
	abs = filepath.Clean(abs)
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.byAbs[abs]; f != nil {
		return f
	}
	// The deepest root of the discovered files that holds abs (files read
	// here take one of those roots, so the list is complete).
	root := ""
	for _, rt := range r.roots {
		if parsers.Within(rt, abs) {
			root = rt
			break
		}
	}
	if root == "" {
		return nil
	}
	data, err := parsers.ReadWithin(root, abs)
	if err != nil {
		return nil
	}
	var format parsers.Format
	if ext := strings.ToLower(filepath.Ext(abs)); ext == ".yaml" || ext == ".yml" {
		// Read by the Kubernetes loader for its comments only (a
		// suppression in values.yaml), never for objects.
		format = parsers.FormatKubernetes
	}
	f := parsers.NewFile(parsers.RelPath(r.opt.WorkDir, abs), abs, root, format, data)
	f.Consumed = true
	r.byAbs[abs] = f
	r.byPath[f.Path] = f
	r.extra = append(r.extra, f)
	return f
}

// fileByPath returns a file read so far by its reported path.
func (r *renderer) fileByPath(p string) *parsers.File {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.byPath[p]
}

// headLine is the first line of f that is not blank, a comment or a
// document marker: where a note about the whole file points.
func headLine(f *parsers.File) parsers.Range {
	for i := 1; i <= f.NumLines(); i++ {
		t := strings.TrimSpace(f.Line(i))
		if t != "" && !strings.HasPrefix(t, "#") && t != "---" {
			return f.LineRange(i)
		}
	}
	return f.LineRange(1)
}
