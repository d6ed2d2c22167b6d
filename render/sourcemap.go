package render

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// lineMap maps each line of a rendered file to the source line that
// produced it. A rendered line holds at most a key and a scalar value, so
// two column shifts suffice: one for the key (and a sequence dash), one for
// the value, which may sit at another column in the source.
type lineMap struct {
	lines []lineSrc // index: rendered line
	text  *parsers.File
	files func(path string) *parsers.File // source files, for line lengths
	via   *parsers.Via
}

type lineSrc struct {
	file     string
	line     int
	keyDelta int
	valCol   int // rendered column where the value starts; 0 when none
	valDelta int
	// via, when set, replaces the file's Via for this line (a value set in
	// values.yaml names the template that used it).
	via *parsers.Via
	ok  bool
}

func newLineMap(text *parsers.File, via *parsers.Via, files func(string) *parsers.File) *lineMap {
	return &lineMap{lines: make([]lineSrc, text.NumLines()+2), text: text, via: via, files: files}
}

func (m *lineMap) set(line int, s lineSrc) {
	if line <= 0 || line >= len(m.lines) || m.lines[line].ok {
		return
	}
	s.ok = true
	m.lines[line] = s
}

func (m *lineMap) setValue(line, col int, file string, srcLine, srcCol int) {
	if line <= 0 || line >= len(m.lines) {
		return
	}
	l := &m.lines[line]
	if !l.ok {
		m.set(line, lineSrc{file: file, line: srcLine, keyDelta: srcCol - col})
		return
	}
	if l.valCol == 0 && l.file == file && l.line == srcLine {
		l.valCol, l.valDelta = col, srcCol-col
	}
}

func (s lineSrc) col(c int) int {
	d := s.keyDelta
	if s.valCol > 0 && c >= s.valCol {
		d = s.valDelta
	}
	if c+d < 1 {
		return 1
	}
	return c + d
}

// Range implements parsers.SourceMap. A span whose end lands in another
// file than its start (an object whose last field came from a patch) is
// cut to the start's line.
func (m *lineMap) Range(line, col, endLine, endCol int) parsers.Range {
	s := m.at(line)
	r := parsers.Range{File: s.file, Start: parsers.Pos{Line: s.line, Col: s.col(col)}, Via: m.via}
	if s.via != nil {
		r.Via = s.via
	}
	e := m.at(endLine)
	switch {
	case endLine == line:
		r.End = parsers.Pos{Line: s.line, Col: s.col(endCol)}
	case e.file == s.file && e.line >= s.line:
		r.End = parsers.Pos{Line: e.line, Col: e.col(endCol)}
	default:
		end := r.Start.Col
		if f := m.files(s.file); f != nil {
			end = len(f.Line(s.line)) + 1
		}
		r.End = parsers.Pos{Line: s.line, Col: end}
	}
	if r.End.Line == r.Start.Line && r.End.Col < r.Start.Col {
		r.End.Col = r.Start.Col
	}
	return r
}

// at returns the mapping of a rendered line, or of the nearest mapped line
// above it (every rendered line is mapped; this is a safety net).
func (m *lineMap) at(line int) lineSrc {
	if line >= len(m.lines) {
		line = len(m.lines) - 1
	}
	for l := line; l > 0; l-- {
		if m.lines[l].ok {
			s := m.lines[l]
			if l != line {
				s.valCol = 0
				s.keyDelta = 0
			}
			return s
		}
	}
	for l := line; l < len(m.lines); l++ {
		if m.lines[l].ok {
			return m.lines[l]
		}
	}
	return lineSrc{file: m.text.Path, line: line}
}

// srcDoc is a source document: a file, or YAML text inline in a
// kustomization (a patch written under patch: |), shifted into it.
type srcDoc struct {
	file    *parsers.File
	lineOff int
	colOff  int
}

func (d *srcDoc) pos(n *yaml.Node) (string, int, int) {
	return d.file.Path, n.Line + d.lineOff, n.Column + d.colOff
}

// cand is a source node that may have produced a rendered node.
type cand struct {
	doc  *srcDoc
	k, v *yaml.Node
}

func (c cand) ok() bool { return c.doc != nil && c.v != nil }

// pos is where a finding on this node points: its key when it has one.
func (c cand) pos() (string, int, int) {
	if c.k != nil {
		return c.doc.pos(c.k)
	}
	return c.doc.pos(c.v)
}

// mapper walks one rendered object against its base document and the
// patches that may have changed it, and records for each rendered line
// the source line that set it: the patch line when a patch changed the
// value, else the base line, else (a value a transformer added) the
// nearest enclosing source node.
type mapper struct {
	m      *lineMap
	off    int // line offset of this object in the rendered file
	ops    map[string][]cand
	render *parsers.File
}

type srcPos struct {
	file      string
	line, col int
}

func (mp *mapper) walk(rk, rv *yaml.Node, base cand, patches []cand, inherit srcPos, ptr string) {
	for _, op := range mp.ops[ptr] {
		patches = append([]cand{op}, patches...)
	}
	chosen := choose(rv, base, patches)
	here := inherit
	if chosen.ok() {
		f, l, c := chosen.pos()
		here = srcPos{f, l, c}
	}
	at := rv
	if rk != nil {
		at = rk
	}
	if rk != nil || rv.Kind != yaml.MappingNode || len(rv.Content) == 0 {
		// A list item or document that is a mapping starts on the line
		// of its first key, which maps that line itself.
		mp.m.set(at.Line+mp.off, lineSrc{file: here.file, line: here.line, keyDelta: here.col - at.Column})
	}
	switch rv.Kind {
	case yaml.ScalarNode:
		if chosen.ok() && rk != nil && rv.Line == rk.Line {
			f, l, c := chosen.doc.pos(chosen.v)
			mp.m.setValue(rv.Line+mp.off, rv.Column, f, l, c)
		}
		if rv.Style == yaml.LiteralStyle || rv.Style == yaml.FoldedStyle {
			mp.block(rv, chosen, here)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(rv.Content); i += 2 {
			ck, cv := rv.Content[i], rv.Content[i+1]
			b := child(base, ck.Value)
			var ps []cand
			for _, p := range patches {
				if c := child(p, ck.Value); c.ok() {
					ps = append(ps, c)
				}
			}
			mp.walk(ck, cv, b, ps, here, ptr+"/"+escapePointer(ck.Value))
		}
	case yaml.SequenceNode:
		for i, it := range rv.Content {
			b := item(base, it, i, len(rv.Content))
			var ps []cand
			for _, p := range patches {
				if c := item(p, it, -1, 0); c.ok() {
					ps = append(ps, c)
				}
			}
			p := ptr + "/" + strconv.Itoa(i)
			if i == len(rv.Content)-1 {
				for _, op := range mp.ops[ptr+"/-"] {
					ps = append([]cand{op}, ps...)
				}
			}
			mp.walk(nil, it, b, ps, here, p)
		}
	}
}

// block maps the lines of a literal or folded scalar one to one onto the
// source block when it has as many lines, else onto the key.
func (mp *mapper) block(rv *yaml.Node, src cand, here srcPos) {
	n := strings.Count(strings.TrimRight(rv.Value, "\n"), "\n") + 1
	same := src.ok() && (src.v.Style == yaml.LiteralStyle || src.v.Style == yaml.FoldedStyle) &&
		strings.Count(strings.TrimRight(src.v.Value, "\n"), "\n")+1 == n
	for j := 1; j <= n; j++ {
		line := rv.Line + mp.off + j
		rindent := indentOf(mp.render.Line(line))
		if same {
			f, l, _ := src.doc.pos(src.v)
			sl := l + j
			sindent := rindent
			if sf := mp.m.files(f); sf != nil {
				sindent = indentOf(sf.Line(sl))
			}
			mp.m.set(line, lineSrc{file: f, line: sl, keyDelta: sindent - rindent})
			continue
		}
		mp.m.set(line, lineSrc{file: here.file, line: here.line, keyDelta: here.col - 1 - rindent})
	}
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

// choose picks the source of a rendered node. A scalar comes from the base
// when the base holds the same value, else from a patch that holds it;
// a mapping or list comes from the base when the base has it.
func choose(rv *yaml.Node, base cand, patches []cand) cand {
	if rv.Kind == yaml.ScalarNode {
		if base.ok() && base.v.Kind == yaml.ScalarNode && base.v.Value == rv.Value {
			return base
		}
		for _, p := range patches {
			if p.ok() && p.v.Kind == yaml.ScalarNode && p.v.Value == rv.Value {
				return p
			}
		}
	}
	if base.ok() {
		return base
	}
	for _, p := range patches {
		if p.ok() {
			return p
		}
	}
	return cand{}
}

func child(c cand, key string) cand {
	if !c.ok() || c.v.Kind != yaml.MappingNode {
		return cand{}
	}
	for i := 0; i+1 < len(c.v.Content); i += 2 {
		if c.v.Content[i].Value == key {
			return cand{doc: c.doc, k: c.v.Content[i], v: c.v.Content[i+1]}
		}
	}
	return cand{}
}

// mergeKeys identify list items the way strategic merge does for the
// lists hoplint reads (containers, env, ports, volumes, mounts).
var mergeKeys = []string{"name", "containerPort", "mountPath", "port", "ip", "key"}

// item finds the source entry of rendered list item it: the entry with
// the same merge key, or (for the base, idx >= 0, same length) the entry
// at the same index, or a scalar entry of the same value.
func item(c cand, it *yaml.Node, idx, n int) cand {
	if !c.ok() || c.v.Kind != yaml.SequenceNode {
		return cand{}
	}
	if it.Kind == yaml.MappingNode {
		for _, mk := range mergeKeys {
			want := scalar(get(it, mk))
			if want == "" {
				continue
			}
			for _, s := range c.v.Content {
				if scalar(get(s, mk)) == want {
					return cand{doc: c.doc, v: s}
				}
			}
			return cand{}
		}
	}
	if it.Kind == yaml.ScalarNode {
		for _, s := range c.v.Content {
			if s.Kind == yaml.ScalarNode && s.Value == it.Value {
				return cand{doc: c.doc, v: s}
			}
		}
	}
	if idx >= 0 && len(c.v.Content) == n {
		return cand{doc: c.doc, v: c.v.Content[idx]}
	}
	return cand{}
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
