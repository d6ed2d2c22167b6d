package render

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"

	"github.com/hoplint/hoplint/parsers"
)

// The release a chart is rendered as: `helm template` without a name.
const (
	releaseName      = "release-name"
	releaseNamespace = "default"
	// maxChartBytes bounds what one chart may make hoplint read.
	maxChartBytes = 64 << 20
)

func (r *renderer) helm(files, charts []*parsers.File) {
	dirs := make([]string, 0, len(charts))
	byDir := map[string]*parsers.File{}
	for _, c := range charts {
		d := filepath.Dir(c.Abs)
		dirs = append(dirs, d)
		byDir[d] = c
	}
	sort.Strings(dirs)
	// A chart inside another chart's charts/ is a dependency, rendered
	// with its parent, not on its own. Sorted, a parent comes before the
	// charts inside it; each chart and each file looks up its own
	// ancestors, so that a tree of many charts costs no more than its
	// depth per path (a scan of every chart for every file did not).
	var top []string
	isTop := map[string]bool{}
	for _, d := range dirs {
		inCharts := anyAncestor(d, func(a string) bool {
			return filepath.Base(a) == "charts" && isTop[filepath.Dir(a)]
		})
		if !inCharts {
			top = append(top, d)
			isTop[d] = true
		}
	}
	// A chart another one takes as a file:// dependency is rendered with
	// it (helm_filedeps.go), unless nothing else renders it (charts that
	// only take each other).
	trees := map[string]chartTree{}
	taken := map[string]bool{}
	for _, d := range top {
		trees[d] = newChartTree(byDir[d])
		for _, fd := range trees[d].deps {
			if isTop[fd.dir] {
				taken[fd.dir] = true
			}
		}
	}
	rendered := map[string]bool{}
	var kept []string
	for _, d := range top {
		if !taken[d] {
			kept = append(kept, d)
			rendered[d] = true
			for _, fd := range trees[d].deps {
				rendered[fd.dir] = true
			}
		}
	}
	for _, d := range top {
		if taken[d] && !rendered[d] {
			kept = append(kept, d)
			rendered[d] = true
		}
	}
	sort.Strings(kept)
	for _, f := range files {
		if anyAncestor(filepath.Dir(f.Abs), func(a string) bool { return isTop[a] || rendered[a] }) {
			r.consumed[f.Abs] = true
		}
	}
	for _, d := range kept {
		r.renderChart(byDir[d], trees[d])
	}
	// The run's charts are done: the worker does not outlive them.
	StopWorkers()
}

// renderChart renders one chart as `helm template release-name CHART -f
// values...` would, without a cluster: the chart's files are read through
// the confined root, `lookup` returns nothing, dependencies come only
// from charts/.
func (r *renderer) renderChart(cf *parsers.File, tree chartTree) {
	dir := tree.dir
	dirRel := path.Dir(cf.Path)
	bufs, err := chartFiles(cf.Root, dir)
	if err != nil {
		r.problem(parsers.ProblemParse, headLine(cf), "cannot read the chart, so it is not rendered: "+err.Error())
		return
	}
	for _, d := range tree.deps {
		more, err := chartFiles(cf.Root, d.dir)
		if err != nil {
			r.problem(parsers.ProblemParse, headLine(cf), fmt.Sprintf("cannot read the chart %s that this chart takes as dependency %s, so the chart is not rendered: %v",
				parsers.RelPath(r.opt.WorkDir, d.dir), strings.TrimSuffix(strings.TrimPrefix(d.prefix, "charts/"), "/"), err))
			return
		}
		for _, b := range more {
			b.Name = d.prefix + b.Name
		}
		bufs = append(bufs, more...)
	}
	// Values: values.yaml, then each file named in .hoplint.yml.
	valueFiles := []*parsers.File{r.source(filepath.Join(dir, "values.yaml"))}
	if valueFiles[0] == nil {
		valueFiles = nil
	}
	vals := map[string]any{}
	// Reported once the chart is known to load, as helm template would.
	var valueProblems []parsers.Problem
	for _, v := range r.chartValues(dirRel) {
		abs := filepath.Join(dir, filepath.FromSlash(v))
		f := r.source(abs)
		if f == nil {
			valueProblems = append(valueProblems, parsers.Problem{Kind: parsers.ProblemParse, Range: headLine(cf), Message: fmt.Sprintf("values file %s named for this chart in .hoplint.yml cannot be read inside the linted tree; the chart is rendered without it", v)})
			continue
		}
		m, err := chartutil.ReadValues(f.Bytes())
		if err != nil {
			valueProblems = append(valueProblems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.LineRange(1), Message: "helm cannot read these values: " + err.Error()})
			continue
		}
		vals = mergeValues(vals, m)
		valueFiles = append(valueFiles, f)
	}
	res := renderRequest(&helmRequest{Files: bufs, Values: vals}, &r.helmTimeouts)
	if res.NotRun != "" {
		r.problem(parsers.ProblemParse, headLine(cf), fmt.Sprintf("chart %s was not rendered, so nothing of it is linted: %s", dirRel, res.NotRun))
		return
	}
	if res.LoadErr != "" {
		r.problem(parsers.ProblemParse, headLine(cf), "helm cannot load this chart, so it is not rendered: "+res.LoadErr)
		return
	}
	for _, m := range res.Missing {
		r.problem(parsers.ProblemUnfollowed, dependencyLine(cf, m), missingMessage(dirRel, m))
	}
	for _, d := range res.Dropped {
		r.problem(parsers.ProblemUnfollowed, r.templateErrorAt(cf, tree, errors.New(d.Err)), fmt.Sprintf(
			"template %s is not rendered, so its objects are not linted: %s. Helm: %s",
			strings.TrimPrefix(d.Name, res.Name+"/"), d.Cause, shortError(d.Err)))
	}
	for _, p := range valueProblems {
		r.problem(p.Kind, p.Range, p.Message)
	}
	if res.Err != "" {
		at := r.templateErrorAt(cf, tree, errors.New(res.Err))
		cause := missingCause(res.Err, res.Missing)
		r.problem(parsers.ProblemParse, at, "helm template fails, so nothing of this chart is linted: "+shortError(res.Err)+inParens(cause)+valuesAdvice(dirRel, len(r.chartValues(dirRel)) > 0, cause))
		return
	}
	if res.Over != "" {
		// A template that loops a million times renders fine and then
		// costs gigabytes to read; a file that large is not read either.
		r.problem(parsers.ProblemParse, r.templateAt(cf, tree, res.Name, res.Over), fmt.Sprintf(
			"helm renders chart %s to more than %d bytes (at %s), over hoplint's limit for a file, so nothing of this chart is linted",
			dirRel, parsers.MaxFileSize, res.Over))
		return
	}
	var vfNames []string
	for _, f := range valueFiles {
		vfNames = append(vfNames, path.Base(f.Path))
	}
	// The note sits on the chart's Chart.yaml, so it names the chart, not
	// its directory again (which printed "chart ." from inside the chart).
	via := &parsers.Via{Range: headLine(cf), Message: fmt.Sprintf("rendered by chart %s with %s (helm template)", res.Name, strings.Join(vfNames, ", "))}
	if len(vfNames) == 0 {
		via.Message = fmt.Sprintf("rendered by chart %s (helm template)", res.Name)
	}
	hm := &helmMap{r: r, chartDir: dir, tree: tree, chartName: res.Name, valueFiles: valueFiles}
	for _, b := range bufs {
		hm.bufNames = append(hm.bufNames, b.Name)
	}
	var text strings.Builder
	type seg struct {
		name  string
		first int // first rendered line of the template's text
		lines []string
	}
	var segs []seg
	line := 0
	for _, t := range res.Templates {
		text.WriteString("---\n# Source: " + t.Name + "\n")
		line += 2
		ls := strings.Split(strings.TrimRight(t.Body, "\n"), "\n")
		segs = append(segs, seg{name: t.Name, first: line + 1, lines: ls})
		for _, l := range ls {
			text.WriteString(l + "\n")
		}
		line += len(ls)
	}
	rendered := parsers.NewFile(cf.Path+"#template", cf.Abs+"#template", cf.Root, parsers.FormatKubernetes, []byte(text.String()))
	lm := newLineMap(rendered, via, r.fileByPath)
	for _, s := range segs {
		hm.mapTemplate(lm, s.name, s.first, s.lines)
	}
	// Lines no template accounts for (the "---" and "# Source:" we wrote)
	// fall back to the chart.
	for l := 1; l < len(lm.lines); l++ {
		if !lm.lines[l].ok {
			lm.set(l, lineSrc{file: cf.Path, line: 1})
		}
	}
	rendered.Map = lm
	r.out = append(r.out, rendered)
}

// templateAt is the first line of the template Helm names n ("chart/
// templates/x.yaml", a dependency's under "chart/charts/dep/"), else the
// chart's head line.
func (r *renderer) templateAt(cf *parsers.File, tree chartTree, chartName, n string) parsers.Range {
	if f := r.source(tree.abs(strings.TrimPrefix(n, chartName+"/"))); f != nil {
		return headLine(f)
	}
	return headLine(cf)
}

// chartValues finds the values files named for a chart: the key equal to
// its directory, else the longest key its directory ends with.
func (r *renderer) chartValues(dirRel string) []string {
	if v, ok := r.opt.ChartValues[dirRel]; ok {
		return v
	}
	best := ""
	for k := range r.opt.ChartValues {
		if t := strings.TrimPrefix(k, "./"); strings.HasSuffix(dirRel, "/"+t) && len(t) > len(best) {
			best = k
		}
	}
	if best == "" {
		return nil
	}
	return r.opt.ChartValues[best]
}

// chartFiles reads every file of the chart directory, refusing symlinks
// that leave the root and stopping at maxChartBytes. values.schema.json is
// left out: its $refs could name URLs, and hoplint never fetches.
func chartFiles(root, dir string) ([]*loader.BufferedFile, error) {
	var out []*loader.BufferedFile
	total := 0
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if n := e.Name(); p != dir && (n == ".git" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "values.schema.json" || strings.HasSuffix(rel, "/values.schema.json") {
			return nil
		}
		if e.Type()&fs.ModeSymlink == 0 && !e.Type().IsRegular() {
			return nil
		}
		data, err := parsers.ReadWithin(root, p)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		total += len(data)
		if total > maxChartBytes {
			return fmt.Errorf("the chart holds more than %d bytes", maxChartBytes)
		}
		out = append(out, &loader.BufferedFile{Name: rel, Data: data})
		return nil
	})
	return out, err
}

// loadChart turns a panic in Helm's loader into an error.
func loadChart(bufs []*loader.BufferedFile) (ch *chart.Chart, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("helm stopped on this chart: %v", p)
		}
	}()
	return loader.LoadFiles(bufs)
}

// missingDep is a dependency Chart.yaml lists that charts/ does not hold.
type missingDep struct {
	Name       string `json:"name"`
	Alias      string `json:"alias,omitempty"`
	Version    string `json:"version,omitempty"`
	Repository string `json:"repository,omitempty"`
	Condition  string `json:"condition,omitempty"`
	// Disabled: the chart's values switch it off, so Helm would not
	// render it even if it were there.
	Disabled bool `json:"disabled,omitempty"`
}

// key is the name its values and templates go by in the parent chart.
func (d missingDep) key() string {
	if d.Alias != "" {
		return d.Alias
	}
	return d.Name
}

// missingDependencies lists the dependencies of Chart.yaml that charts/
// does not hold (matched by name, as helm template checks them), with the
// entries of ch.Metadata.Dependencies they come from.
func missingDependencies(ch *chart.Chart) ([]missingDep, []*chart.Dependency) {
	if ch.Metadata == nil {
		return nil, nil
	}
	have := map[string]bool{}
	for _, d := range ch.Dependencies() {
		have[d.Name()] = true
	}
	var missing []missingDep
	var reqs []*chart.Dependency
	for _, d := range ch.Metadata.Dependencies {
		if d != nil && !have[d.Name] {
			missing = append(missing, missingDep{Name: d.Name, Alias: d.Alias, Version: d.Version, Repository: d.Repository, Condition: d.Condition})
			reqs = append(reqs, d)
		}
	}
	return missing, reqs
}

// withEmptyValues gives each missing dependency an empty map of values
// where neither the chart nor the values files set one, as Helm gives
// every dependency it holds (chartutil coalesceDeps) before merging the
// dependency's own values.yaml there. Without it, a template that reads
// .Values.postgresql.host would fail on a nil map instead of rendering an
// empty value.
func withEmptyValues(ch *chart.Chart, vals map[string]any, missing []missingDep) map[string]any {
	if len(missing) == 0 {
		return vals
	}
	out := make(map[string]any, len(vals)+len(missing))
	for k, v := range vals {
		out[k] = v
	}
	for _, d := range missing {
		k := d.key()
		if out[k] != nil || ch.Values[k] != nil {
			continue
		}
		out[k] = map[string]any{}
	}
	return out
}

// maxErrorText bounds a Helm error quoted in a finding: a template that
// includes itself fails after 1,000 levels with one "error calling
// include" per level, 100 KB of text that says nothing the first and last
// lines do not.
const maxErrorText = 1000

// shortError keeps the start and the end of a long error message.
func shortError(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	head, tail := s[:maxErrorText/2], s[len(s)-maxErrorText/2:]
	for !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	for !utf8.ValidString(tail) {
		tail = tail[1:]
	}
	return fmt.Sprintf("%s … (%d bytes left out) … %s", head, len(s)-len(head)-len(tail), tail)
}

func renderWith(ch *chart.Chart, vals map[string]any) (out map[string]string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("helm stopped on this chart: %v", p)
		}
	}()
	defer quiet()()
	if err := chartutil.ProcessDependenciesWithMerge(ch, vals); err != nil {
		return nil, err
	}
	rv, err := chartutil.ToRenderValuesWithSchemaValidation(ch, vals, chartutil.ReleaseOptions{
		Name: releaseName, Namespace: releaseNamespace, Revision: 1, IsInstall: true,
	}, chartutil.DefaultCapabilities, true)
	if err != nil {
		return nil, err
	}
	// engine.Render without a cluster: lookup returns an empty result.
	return engine.Render(ch, rv)
}

// mergeValues merges b over a as `helm -f` does: maps merge key by key,
// anything else replaces.
func mergeValues(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeValues(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

var hookTestRe = lazyRegexp(`(?m)^\s*"?helm\.sh/hook"?\s*:\s*"?[^\n"]*\btest\b`)

// selectTemplates keeps, in name order, the rendered templates hoplint
// reads (YAML and JSON output that is not a partial and not empty once
// test hooks are dropped), and stops at the one that takes the total past
// parsers.MaxFileSize.
func selectTemplates(out map[string]string) helmResult {
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	var res helmResult
	total := 0
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") || !strings.HasSuffix(n, ".yaml") && !strings.HasSuffix(n, ".yml") && !strings.HasSuffix(n, ".json") {
			continue
		}
		body := dropTestHooks(out[n])
		if strings.TrimSpace(body) == "" {
			continue
		}
		// Each template adds the "---" and "# Source:" lines too.
		total += len(body) + len("---\n# Source: \n") + len(n)
		if total > parsers.MaxFileSize {
			return helmResult{Over: n}
		}
		res.Templates = append(res.Templates, renderedTemplate{Name: n, Body: body})
	}
	return res
}

// dropTestHooks removes `helm test` pods from a template's output: they
// run only when someone runs helm test, never serve traffic, and are not
// part of what an install deploys.
func dropTestHooks(body string) string {
	if !strings.Contains(body, "helm.sh/hook") {
		return body
	}
	docs := strings.Split(body, "\n---")
	var keep []string
	for _, d := range docs {
		if !hookTestRe().MatchString(d) {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, "\n---")
}

// tmplErrRe finds the template position in Helm's errors: "template:
// web/templates/x.yaml:8:14: ..." or "execution error at
// (web/templates/x.yaml:8:14): ...".
var tmplErrRe = lazyRegexp(`(?:template: |\()([^:() ]+):(\d+):(\d+)`)

// templateErrorAt points a render error at the template line Helm names.
func (r *renderer) templateErrorAt(cf *parsers.File, tree chartTree, err error) parsers.Range {
	m := tmplErrRe().FindStringSubmatch(err.Error())
	if m == nil {
		return headLine(cf)
	}
	_, rest, _ := strings.Cut(m[1], "/")
	f := r.source(tree.abs(rest))
	if f == nil {
		return headLine(cf)
	}
	n, _ := strconv.Atoi(m[2])
	return f.LineRange(n)
}

// lineWith is the first line of f containing s, else line 1.
func lineWith(f *parsers.File, s string) parsers.Range {
	for i := 1; i <= f.NumLines(); i++ {
		if strings.Contains(f.Line(i), s) {
			return f.LineRange(i)
		}
	}
	return f.LineRange(1)
}

// anyAncestor reports whether p or one of the directories above it
// satisfies ok.
func anyAncestor(p string, ok func(string) bool) bool {
	for {
		if ok(p) {
			return true
		}
		up := filepath.Dir(p)
		if up == p {
			return false
		}
		p = up
	}
}

// valuesAdvice tells, after a chart that fails with its values.yaml alone,
// how to give it the values it asks for: many charts refuse to render
// until the user sets a password or a key (a fail or required in a
// template), and hoplint renders each chart only with the values files
// .hoplint.yml names. Nothing is added when .hoplint.yml already names
// values for the chart, or when a missing dependency is the cause.
func valuesAdvice(dirRel string, configured bool, cause string) string {
	if configured || cause != "" {
		return ""
	}
	return fmt.Sprintf(". If the chart needs values that its values.yaml does not give, name a values file that sets them in .hoplint.yml (charts: {%s: {values: [FILE]}}, FILE relative to the chart)", dirRel)
}
