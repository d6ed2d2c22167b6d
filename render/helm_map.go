package render

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// helmMap maps the output of a chart's templates back to template lines
// and, where a value came from values, to the values line that set it.
// Go templates keep no positions in their output, so the map is rebuilt
// the way a reader would: every template line that has literal text is a
// pattern (its actions are wildcards), rendered lines are matched to
// patterns in order, and a rendered line that no literal accounts for was
// written by the nearest action that prints (toYaml, include, tpl).
type helmMap struct {
	r          *renderer
	chartDir   string
	tree       chartTree
	chartName  string
	valueFiles []*parsers.File
	values     []*yaml.Node
	parsed     bool
	bufNames   []string // chart-relative paths of the chart's files
	defines    map[string]*defined
}

type tmplLine struct {
	n      int
	indent int
	text   string         // trimmed, for literal lines
	re     *regexp.Regexp // for lines with actions and literal text
	prints bool           // an action-only line that writes output
	vals   string         // the .Values path the line uses, if any
	// include names the template an action-only line includes.
	include string
	// depth is the number of if/range/with blocks open where the line
	// begins.
	depth int
}

var (
	actionRe  = lazyRegexp(`\{\{.*?\}\}`)
	valuesRe  = lazyRegexp(`\.Values\.([A-Za-z0-9_.]+)`)
	controlRe = lazyRegexp(`^\{\{-?\s*(if|else|end|range|with|define|/\*|\$[A-Za-z0-9_]*\s*:?=)`)
	withRe    = lazyRegexp(`\{\{-?\s*with\s+\.Values\.([A-Za-z0-9_.]+)`)
	blockRe   = lazyRegexp(`^\{\{-?\s*(if|range|with|define|block|end)\b`)
	includeRe = lazyRegexp(`\b(?:include|template)\s+"([^"]+)"`)
)

// parseTemplate reads lines from..to of f (none when to < from: a define
// that opens and ends on one line of a file without a final newline).
func parseTemplate(f *parsers.File, from, to int) []tmplLine {
	if to < from {
		return nil
	}
	out := make([]tmplLine, 0, to-from+1)
	// blocks holds, per open if/range/with/define, the .Values path a
	// with block sets its dot to ("" for the others).
	var blocks []string
	with := func() string {
		for k := len(blocks) - 1; k >= 0; k-- {
			if blocks[k] != "" {
				return blocks[k]
			}
		}
		return ""
	}
	for i := from; i <= to; i++ {
		raw := f.Line(i)
		t := strings.TrimSpace(raw)
		tl := tmplLine{n: i, indent: indentOf(raw), depth: len(blocks)}
		if m := valuesRe().FindStringSubmatch(t); m != nil {
			tl.vals = strings.TrimSuffix(m[1], ".")
		} else if w := with(); w != "" && (strings.Contains(t, " . ") || strings.Contains(t, " .}}")) {
			tl.vals = w
		}
		for _, a := range actionRe().FindAllString(t, -1) {
			switch m := blockRe().FindStringSubmatch(a); {
			case m == nil:
			case m[1] == "end":
				if len(blocks) > 0 {
					blocks = blocks[:len(blocks)-1]
				}
			case m[1] == "with":
				w := ""
				if wm := withRe().FindStringSubmatch(a); wm != nil {
					w = wm[1]
				}
				blocks = append(blocks, w)
			default:
				blocks = append(blocks, "")
			}
		}
		switch {
		case t == "":
		case !strings.Contains(t, "{{"):
			tl.text = t
		default:
			lits := actionRe().Split(t, -1)
			joined := strings.TrimSpace(strings.Join(lits, ""))
			if len(joined) < 2 {
				tl.prints = !controlRe().MatchString(t) && !strings.HasPrefix(t, "{{/*") && !strings.HasPrefix(t, "{{- /*")
				if m := includeRe().FindStringSubmatch(t); m != nil && tl.prints {
					tl.include = m[1]
				}
				break
			}
			var b strings.Builder
			b.WriteString("^")
			for k, l := range lits {
				if k > 0 {
					b.WriteString(".*")
				}
				b.WriteString(regexp.QuoteMeta(strings.TrimSpace(l)))
			}
			b.WriteString("$")
			tl.re, _ = regexp.Compile(b.String())
		}
		out = append(out, tl)
	}
	return out
}

func (t *tmplLine) matches(s string) bool {
	if t.text != "" {
		return t.text == s
	}
	return t.re != nil && t.re.MatchString(s)
}

// mapTemplate maps the rendered lines of one template (starting at
// rendered line first).
func (hm *helmMap) mapTemplate(lm *lineMap, name string, first int, lines []string) {
	_, rest, _ := strings.Cut(name, "/")
	src := hm.r.source(hm.tree.abs(rest))
	if src == nil {
		return
	}
	hm.mapLines(lm, src, rest, parseTemplate(src, 1, src.NumLines()), first, lines, 0)
}

// mapLines matches rendered lines against template lines tl of src.
func (hm *helmMap) mapLines(lm *lineMap, src *parsers.File, rel string, tl []tmplLine, first int, lines []string, depth int) {
	tvia := func(t *tmplLine) *parsers.Via {
		return &parsers.Via{Range: src.LineRange(t.n), Message: fmt.Sprintf("through template %s of chart %s (helm template)", rel, hm.chartName)}
	}
	p := 0
	exp := -1 // template line index of the running expansion
	var stack []expKey
	prevMatched := -1 // rendered line index matched to a literal "key:" line
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		line := first + i
		rt := strings.TrimSpace(raw)
		rind := indentOf(raw)
		if rt == "" || rt == "---" {
			continue
		}
		j := -1
		for k := p; k < len(tl); k++ {
			if tl[k].matches(rt) {
				j = k
				break
			}
		}
		if j < 0 && exp < 0 {
			// A loop repeats lines already passed.
			for k := 0; k < p && k < len(tl); k++ {
				if tl[k].matches(rt) {
					j = k
					break
				}
			}
		}
		if j >= 0 && (exp < 0 || j > exp) {
			t := &tl[j]
			lm.set(line, lineSrc{file: src.Path, line: t.n, keyDelta: t.indent - rind})
			p, exp, stack = j+1, -1, nil
			if strings.HasPrefix(rt, "#") {
				continue // a comment keeps the key above it open
			}
			prevMatched = -1
			if strings.HasSuffix(rt, ":") {
				prevMatched = i
			}
			continue
		}
		// Written by an action: the running expansion, or the first
		// printing action from here on.
		if exp < 0 {
			for k := p; k < len(tl); k++ {
				if tl[k].prints {
					exp = k
					break
				}
				if tl[k].text != "" || tl[k].re != nil {
					break
				}
			}
			stack = nil
			if exp >= 0 && tl[exp].include != "" && depth < 8 {
				if def := hm.define(tl[exp].include); def != nil {
					// The included template wrote the lines up to the
					// next literal line of this one: map them inside it.
					end := i
					for end < len(lines) && !endsInclude(tl, exp, strings.TrimSpace(lines[end])) {
						end++
					}
					hm.mapLines(lm, def.file, def.rel, def.lines, first+i, lines[i:end], depth+1)
					for l := i; l < end; l++ {
						lm.set(first+l, lineSrc{file: src.Path, line: tl[exp].n, keyDelta: tl[exp].indent - indentOf(lines[l])})
					}
					p, exp, prevMatched = exp+1, -1, -1
					i = end - 1
					continue
				}
			}
		}
		if exp < 0 {
			at := p - 1
			if at < 0 {
				at = 0
			}
			if at < len(tl) {
				lm.set(line, lineSrc{file: src.Path, line: tl[at].n, keyDelta: tl[at].indent - rind})
			}
			continue
		}
		t := &tl[exp]
		keyPath := expansionPath(&stack, rt, rind)
		if t.vals != "" {
			base := strings.Split(t.vals, ".")
			if f, n := hm.valuesNode(append(append([]string{}, base...), keyPath...)); n != nil {
				lm.set(line, lineSrc{file: f.Path, line: n.Line, keyDelta: n.Column - 1 - rind, via: tvia(t)})
				if prevMatched >= 0 {
					// "resources:" over "{{ toYaml .Values.resources }}":
					// the key is what the values file sets.
					if pf, pn := hm.valuesNode(base); pn != nil {
						lm.lines[first+prevMatched] = lineSrc{file: pf.Path, line: pn.Line, keyDelta: pn.Column - 1 - indentOf(lines[prevMatched]), via: tvia(t), ok: true}
					}
				}
				prevMatched = -1
				continue
			}
		}
		prevMatched = -1
		lm.set(line, lineSrc{file: src.Path, line: t.n, keyDelta: t.indent - rind})
	}
}

// endsInclude says whether rendered line rt is the first line after the
// output of the include on template line inc: it matches a literal line
// that follows, up to the first one outside any block opened after the
// include. Literal lines inside such blocks count too: a block that
// rendered nothing ({{- with .Values.podAnnotations }} with {}) never
// writes its first literal line, and waiting for it ran the include's
// output to the end of the document.
func endsInclude(tl []tmplLine, inc int, rt string) bool {
	for k := inc + 1; k < len(tl); k++ {
		if tl[k].text == "" && tl[k].re == nil {
			continue
		}
		if tl[k].matches(rt) {
			return true
		}
		if tl[k].depth <= tl[inc].depth {
			return false
		}
	}
	return false
}

// defined is a named template ({{ define "name" }}) of the chart.
type defined struct {
	file  *parsers.File
	rel   string
	lines []tmplLine
}

var defineRe = lazyRegexp(`\{\{-?\s*define\s+"([^"]+)"`)

// define finds a named template in the chart's templates/ (helpers in
// _helpers.tpl, most often).
func (hm *helmMap) define(name string) *defined {
	if hm.defines == nil {
		hm.defines = map[string]*defined{}
		for _, f := range hm.templateFiles() {
			rel, _ := filepath.Rel(hm.chartDir, f.Abs)
			for i := 1; i <= f.NumLines(); i++ {
				m := defineRe().FindStringSubmatch(f.Line(i))
				if m == nil {
					continue
				}
				end := defineEnd(f, i)
				hm.defines[m[1]] = &defined{file: f, rel: filepath.ToSlash(rel), lines: parseTemplate(f, i+1, end-1)}
				i = end
			}
		}
	}
	return hm.defines[name]
}

// defineEnd is the line of the {{ end }} that closes the define on line
// start (blocks counted; several actions on one line are counted too).
func defineEnd(f *parsers.File, start int) int {
	depth := 0
	for i := start; i <= f.NumLines(); i++ {
		for _, a := range actionRe().FindAllString(f.Line(i), -1) {
			if m := blockRe().FindStringSubmatch(a); m != nil {
				if m[1] == "end" {
					depth--
				} else {
					depth++
				}
			}
		}
		if depth <= 0 && i > start {
			return i
		}
	}
	return f.NumLines()
}

func (hm *helmMap) templateFiles() []*parsers.File {
	var out []*parsers.File
	dir := filepath.Join(hm.chartDir, "templates")
	for _, b := range hm.bufNames {
		if strings.HasPrefix(b, "templates/") {
			if f := hm.r.source(filepath.Join(hm.chartDir, filepath.FromSlash(b))); f != nil && parsers.Within(dir, f.Abs) {
				out = append(out, f)
			}
		}
	}
	return out
}

type expKey struct {
	indent int
	key    string
}

// expansionPath tracks the keys of a YAML block an action wrote (toYaml
// output) by indentation and returns the path of this line's key below
// the block (empty for a first-level scalar such as "{}").
func expansionPath(stack *[]expKey, rt string, indent int) []string {
	for len(*stack) > 0 && (*stack)[len(*stack)-1].indent >= indent {
		*stack = (*stack)[:len(*stack)-1]
	}
	keys := make([]string, 0, len(*stack)+1)
	for _, k := range *stack {
		keys = append(keys, k.key)
	}
	key, _, ok := strings.Cut(rt, ": ")
	if !ok {
		key, ok = strings.CutSuffix(rt, ":")
	}
	if !ok || strings.HasPrefix(rt, "- ") || strings.HasPrefix(rt, "{") || strings.ContainsAny(key, " {[") {
		return keys
	}
	key = strings.Trim(key, `"'`)
	*stack = append(*stack, expKey{indent, key})
	return append(keys, key)
}

// valuesNode finds the key of a dotted values path in the values files,
// the last file that sets it winning, as in Helm.
func (hm *helmMap) valuesNode(keys []string) (*parsers.File, *yaml.Node) {
	if !hm.parsed {
		hm.parsed = true
		for _, f := range hm.valueFiles {
			var doc yaml.Node
			if yaml.Unmarshal(f.Bytes(), &doc) == nil && len(doc.Content) > 0 {
				hm.values = append(hm.values, doc.Content[0])
			} else {
				hm.values = append(hm.values, nil)
			}
		}
	}
	for i := len(hm.values) - 1; i >= 0; i-- {
		n := hm.values[i]
		var k *yaml.Node
		for _, key := range keys {
			if n == nil || n.Kind != yaml.MappingNode {
				n = nil
				break
			}
			var next *yaml.Node
			for c := 0; c+1 < len(n.Content); c += 2 {
				if n.Content[c].Value == key {
					k, next = n.Content[c], n.Content[c+1]
				}
			}
			n = next
		}
		if n != nil && k != nil {
			return hm.valueFiles[i], k
		}
	}
	return nil, nil
}
