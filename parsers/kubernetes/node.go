package kubernetes

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// reader walks the yaml.Node tree of one document. Every node access goes
// through resolve, which follows aliases and counts visits against a budget
// proportional to the document's size: a document whose aliases would make
// hoplint visit far more nodes than it contains (a "billion laughs" bomb) is
// refused instead of walked.
type reader struct {
	f      *parsers.File
	base   int // line offset of the document inside the file
	budget int
	blown  bool
}

// errBudget is reported when a document's aliases expand beyond the budget.
const budgetMessage = "YAML aliases expand this document to far more nodes than it contains (an alias bomb?); hoplint does not read it"

func (r *reader) resolve(n *yaml.Node) *yaml.Node {
	for n != nil {
		r.budget--
		if r.budget < 0 {
			r.blown = true
			return nil
		}
		if n.Kind != yaml.AliasNode {
			return n
		}
		n = n.Alias
	}
	return nil
}

// each calls fn for every key/value pair of mapping m, merge keys ("<<")
// included: merged entries come after the mapping's own and never override
// them.
func (r *reader) each(m *yaml.Node, fn func(k, v *yaml.Node)) {
	r.eachDepth(m, fn, map[string]bool{}, 0)
}

func (r *reader) eachDepth(m *yaml.Node, fn func(k, v *yaml.Node), seen map[string]bool, depth int) {
	m = r.resolve(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > 8 {
		return
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := r.resolve(m.Content[i]), m.Content[i+1]
		if k == nil {
			return
		}
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode || seen[k.Value] {
			continue
		}
		seen[k.Value] = true
		fn(k, v)
	}
	for _, mv := range merges {
		mv = r.resolve(mv)
		if mv == nil {
			return
		}
		if mv.Kind == yaml.SequenceNode {
			for _, it := range mv.Content {
				r.eachDepth(it, fn, seen, depth+1)
			}
		} else {
			r.eachDepth(mv, fn, seen, depth+1)
		}
	}
}

// get returns the key and value nodes of key in mapping m, or nils.
func (r *reader) get(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = r.resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		if kn.Kind == yaml.ScalarNode && kn.Value == key {
			return kn, r.resolve(m.Content[i+1])
		}
	}
	// Not written directly: look through merge keys.
	var fk, fv *yaml.Node
	r.eachDepth(m, func(kk, vv *yaml.Node) {
		if fk == nil && kk.Value == key {
			fk, fv = kk, r.resolve(vv)
		}
	}, map[string]bool{}, 0)
	return fk, fv
}

// path follows mapping keys.
func (r *reader) path(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		_, m = r.get(m, k)
		if m == nil {
			return nil
		}
	}
	return m
}

// items returns the elements of sequence s, resolved.
func (r *reader) items(s *yaml.Node) []*yaml.Node {
	s = r.resolve(s)
	if s == nil || s.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(s.Content))
	for _, it := range s.Content {
		if it = r.resolve(it); it != nil {
			out = append(out, it)
		}
	}
	return out
}

// str reads a scalar into a Str; a missing or non-scalar node gives the
// zero Str.
func (r *reader) str(n *yaml.Node) Str {
	n = r.resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return Str{}
	}
	return Str{Value: intern(n.Value), Range: r.scalarRange(n), Set: true, Unknown: n.Tag == UnknownTag, Style: n.Style, Line: int32(n.Line + r.base), Col: int32(n.Column)}
}

func (r *reader) field(m *yaml.Node, key string) Str {
	_, v := r.get(m, key)
	return r.str(v)
}

// maxRangeWidth caps how far along its line a node's range may reach.
const maxRangeWidth = 1024

// at is the range of a node's first line from its column to the end of the
// text on that line (without a trailing comment), at most maxRangeWidth
// bytes.
func (r *reader) at(n *yaml.Node) parsers.Range {
	if n == nil {
		return parsers.Range{}
	}
	line := n.Line + r.base
	text := r.f.Line(line)
	// A one-line JSON manifest holds every node on one line: look only at
	// a window after the node, so that ranging every node stays linear.
	if n.Column > 0 && len(text) > n.Column-1+maxRangeWidth {
		text = text[:n.Column-1+maxRangeWidth]
	}
	end := len(text)
	if from := n.Column - 1; from >= 0 && from <= len(text) {
		if i := strings.Index(text[from:], " #"); i >= 0 {
			end = from + i
		}
	}
	for end > 0 && (text[end-1] == ' ' || text[end-1] == '\t' || text[end-1] == '\r') {
		end--
	}
	if end < n.Column {
		end = n.Column
	}
	return r.f.At(line, n.Column, line, end+1)
}

// scalarRange covers a scalar's text on its line: quoted scalars to the
// closing quote, plain ones to the end of their value.
func (r *reader) scalarRange(n *yaml.Node) parsers.Range {
	line := n.Line + r.base
	text := r.f.Line(line)
	start := n.Column - 1
	if start < 0 || start > len(text) {
		return r.f.At(line, n.Column, line, n.Column)
	}
	var end int
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := text[start]
		end = start + 1
		for end < len(text) {
			if text[end] == '\\' && q == '"' {
				end += 2
				continue
			}
			if text[end] == q {
				if q == '\'' && end+1 < len(text) && text[end+1] == '\'' {
					end += 2
					continue
				}
				end++
				break
			}
			end++
		}
		if end > len(text) {
			end = len(text)
		}
	case yaml.LiteralStyle, yaml.FoldedStyle:
		end = len(text)
	default:
		if strings.ContainsRune(n.Value, '\n') {
			end = len(text)
		} else {
			end = start + len(n.Value)
			if end > len(text) || text[start:end] != n.Value {
				// Flow context or escapes: up to a separator.
				end = start
				for end < len(text) && !strings.ContainsRune(",]}#", rune(text[end])) {
					end++
				}
			}
		}
	}
	for end > start && (text[end-1] == ' ' || text[end-1] == '\t') {
		end--
	}
	return r.f.At(line, n.Column, line, end+1)
}

// span covers key k and everything under value v, to the last line of v's
// subtree (aliases are not followed: they add no lines).
func (r *reader) span(k, v *yaml.Node) parsers.Range {
	start := k
	if start == nil {
		start = v
	}
	if start == nil {
		return parsers.Range{}
	}
	last := lastLine(v, 0)
	if last < start.Line {
		last = start.Line
	}
	line := last + r.base
	return r.f.At(start.Line+r.base, start.Column, line, len(r.f.Line(line))+1)
}

func lastLine(n *yaml.Node, depth int) int {
	if n == nil || depth > 200 {
		return 0
	}
	l := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
		l += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	if len(n.Content) > 0 {
		if c := lastLine(n.Content[len(n.Content)-1], depth+1); c > l {
			l = c
		}
	}
	return l
}

// stringMap reads a mapping of scalars (labels, annotations, data).
func (r *reader) stringMap(m *yaml.Node) StrMap {
	var out []StrEntry
	r.each(m, func(k, v *yaml.Node) {
		if out == nil {
			// Exactly the pairs written (more only through merge keys).
			out = make([]StrEntry, 0, len(r.resolve(m).Content)/2)
		}
		s := r.str(v)
		s.Key = r.at(k)
		out = append(out, StrEntry{Name: intern(k.Value), Str: s})
	})
	return NewStrMap(out)
}
