// Package ecs reads Amazon ECS container definitions: the JSON array a
// task definition's containerDefinitions holds, or a whole task-definition
// JSON object, as written in a task-definition file, a Terraform heredoc,
// a file read by file() or templatefile(), or the value jsonencode()
// builds. Every value keeps the source line it came from.
//
// Templates are the rule, not the exception: a task-definition file for
// CodeDeploy writes `"hostPort": <SERVICE_PORT>` unquoted, a Terraform
// heredoc `"containerPort": ${var.port}`. Such placeholders are unknown
// values, never errors that drop the file.
package ecs

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hoplint/hoplint/parsers"
)

// Kind says what a Node holds.
type Kind uint8

// Node kinds.
const (
	Map Kind = iota + 1
	List
	Scalar
	// Unknown is a placeholder (${var.port}, <SERVICE_PORT>, {{ .Port }})
	// or, from Terraform, a value known only at apply time.
	Unknown
)

// Node is one JSON value with the place it is written.
type Node struct {
	Kind  Kind
	Keys  []Key   // Map entries, in source order
	Items []*Node // List elements
	// Value is a scalar as written: a string's text, a number's literal,
	// "true", "false" or "null"; for Unknown, the placeholder as written
	// (or a description of the unknown value).
	Value string
	// Quoted: the scalar was a JSON string.
	Quoted bool
	Range  parsers.Range
}

// Key is one entry of a Map.
type Key struct {
	Name  string
	Range parsers.Range
	Value *Node
}

// Get returns the value of key in a Map, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Map {
		return nil
	}
	var out *Node
	for _, k := range n.Keys {
		if k.Name == key {
			out = k.Value // JSON: the last of duplicate keys wins
		}
	}
	return out
}

// Source is JSON text to parse and where its lines come from.
type Source struct {
	// Path names the file positions point into.
	Path string
	Data []byte
	// Lines maps a line of Data (index line-1) to the line of Path it
	// came from; nil when Data is the file itself. A heredoc's text maps
	// to the lines of the .tf file that hold it.
	Lines []int
	// LineShift is added to every line when Lines is nil.
	LineShift int
}

// Limits on what one document may hold. ECS itself accepts at most 10
// containers per task definition and a 64 KiB definition; the caps only
// keep a hostile file from costing time and memory without bound.
const (
	maxDepth = 128
	maxNodes = 1 << 20
)

// ParseJSON reads src as JSON with placeholders. A document that is not
// JSON even with its placeholders taken as values gives a problem at the
// line where reading stopped.
func ParseJSON(src Source) (*Node, *parsers.Problem) {
	p := &jparser{src: src, line: 1, col: 1}
	p.skipSpace()
	n := p.value(0)
	if p.err == nil {
		p.skipSpace()
		if p.pos < len(p.src.Data) {
			p.fail("unexpected %s after the end of the JSON value", p.describe())
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return n, nil
}

type jparser struct {
	src       Source
	pos       int
	line, col int
	nodes     int
	err       *parsers.Problem
}

func (p *jparser) rangeFrom(sl, sc int) parsers.Range {
	return parsers.Range{File: p.src.Path, Start: parsers.Pos{Line: p.mapLine(sl), Col: sc}, End: parsers.Pos{Line: p.mapLine(p.line), Col: p.col}}
}

func (p *jparser) mapLine(l int) int {
	if p.src.Lines == nil {
		return l + p.src.LineShift
	}
	if l-1 < len(p.src.Lines) && l >= 1 {
		return p.src.Lines[l-1]
	}
	if len(p.src.Lines) > 0 {
		return p.src.Lines[len(p.src.Lines)-1]
	}
	return l
}

func (p *jparser) fail(format string, args ...any) {
	if p.err != nil {
		return
	}
	at := parsers.Range{File: p.src.Path, Start: parsers.Pos{Line: p.mapLine(p.line), Col: p.col}}
	at.End = at.Start
	p.err = &parsers.Problem{Kind: parsers.ProblemParse, Range: at,
		Message: "container definitions are not valid JSON: " + fmt.Sprintf(format, args...)}
}

// describe names what stands at the current position, for messages.
func (p *jparser) describe() string {
	if p.pos >= len(p.src.Data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.src.Data[p.pos:])
	return fmt.Sprintf("%q", r)
}

func (p *jparser) advance(n int) {
	for i := 0; i < n && p.pos < len(p.src.Data); i++ {
		if p.src.Data[p.pos] == '\n' {
			p.line++
			p.col = 1
		} else if p.src.Data[p.pos]&0xC0 != 0x80 {
			p.col++
		}
		p.pos++
	}
}

func (p *jparser) skipSpace() {
	for p.pos < len(p.src.Data) {
		switch p.src.Data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.advance(1)
		default:
			return
		}
	}
}

func (p *jparser) peek() byte {
	if p.pos < len(p.src.Data) {
		return p.src.Data[p.pos]
	}
	return 0
}

func (p *jparser) value(depth int) *Node {
	if p.err != nil {
		return nil
	}
	p.nodes++
	if p.nodes > maxNodes {
		p.fail("more than %d values; hoplint does not read further", maxNodes)
		return nil
	}
	if depth > maxDepth {
		p.fail("nested deeper than %d levels", maxDepth)
		return nil
	}
	sl, sc := p.line, p.col
	switch c := p.peek(); {
	case c == '{' && p.pos+1 < len(p.src.Data) && p.src.Data[p.pos+1] == '{':
		if ph, ok := p.placeholder(); ok {
			return &Node{Kind: Unknown, Value: ph, Range: p.rangeFrom(sl, sc)}
		}
		p.fail("unexpected %s", p.describe())
		return nil
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil
		}
		return &Node{Kind: Scalar, Value: s, Quoted: true, Range: p.rangeFrom(sl, sc)}
	case c == '$' || c == '<':
		if ph, ok := p.placeholder(); ok {
			return &Node{Kind: Unknown, Value: ph, Range: p.rangeFrom(sl, sc)}
		}
		p.fail("unexpected %s", p.describe())
		return nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number(sl, sc)
	case c >= 'a' && c <= 'z':
		start := p.pos
		for p.pos < len(p.src.Data) && p.peek() >= 'a' && p.peek() <= 'z' {
			p.advance(1)
		}
		w := string(p.src.Data[start:p.pos])
		if w != "true" && w != "false" && w != "null" {
			p.fail("unexpected word %q (a string needs double quotes)", w)
			return nil
		}
		return &Node{Kind: Scalar, Value: w, Range: p.rangeFrom(sl, sc)}
	}
	p.fail("unexpected %s where a value should be", p.describe())
	return nil
}

// placeholder reads ${…} (with nested braces and quoted strings),
// {{…}} or <NAME>, and returns it as written.
func (p *jparser) placeholder() (string, bool) {
	d := p.src.Data[p.pos:]
	switch {
	case len(d) >= 2 && d[0] == '$' && d[1] == '{', len(d) >= 2 && d[0] == '{' && d[1] == '{':
		depth, i := 0, 0
		var quote byte
		for ; i < len(d) && i < 4096; i++ {
			c := d[i]
			switch {
			case quote != 0:
				switch c {
				case '\\':
					i++
				case quote:
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '{':
				depth++
			case c == '}':
				depth--
				if depth == 0 {
					s := string(d[:i+1])
					p.advance(i + 1)
					return s, true
				}
			}
		}
	case d[0] == '<':
		for i := 1; i < len(d) && i < 256; i++ {
			c := d[i]
			if c == '>' && i > 1 {
				s := string(d[:i+1])
				p.advance(i + 1)
				return s, true
			}
			if !nameByte(rune(c)) {
				break
			}
		}
	}
	return "", false
}

func (p *jparser) number(sl, sc int) *Node {
	start := p.pos
	for p.pos < len(p.src.Data) {
		c := p.peek()
		if c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9' {
			p.advance(1)
			continue
		}
		break
	}
	lit := string(p.src.Data[start:p.pos])
	var f json.Number
	if err := json.Unmarshal([]byte(lit), &f); err != nil {
		p.line, p.col = sl, sc
		p.fail("%q is not a number", lit)
		return nil
	}
	return &Node{Kind: Scalar, Value: lit, Range: p.rangeFrom(sl, sc)}
}

// str reads a JSON string, decoding escapes.
func (p *jparser) str() (string, bool) {
	d := p.src.Data
	i := p.pos + 1
	escaped := false
	for ; i < len(d); i++ {
		c := d[i]
		if c == '\\' {
			escaped = true
			i++
			continue
		}
		if c == '"' {
			break
		}
		if c == '\n' {
			break
		}
	}
	if i >= len(d) || d[i] != '"' {
		p.fail("a string is not closed on its line")
		return "", false
	}
	raw := d[p.pos : i+1]
	s := string(raw[1 : len(raw)-1])
	if escaped || !utf8.Valid(raw) {
		if err := json.Unmarshal(raw, &s); err != nil {
			p.fail("bad string %s: %v", truncate(string(raw)), err)
			return "", false
		}
	}
	p.advance(i + 1 - p.pos)
	return s, true
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func (p *jparser) object(depth int) *Node {
	sl, sc := p.line, p.col
	n := &Node{Kind: Map}
	p.advance(1)
	p.skipSpace()
	if p.peek() == '}' {
		p.advance(1)
		n.Range = p.rangeFrom(sl, sc)
		return n
	}
	for p.err == nil {
		p.skipSpace()
		kl, kc := p.line, p.col
		if p.peek() != '"' {
			p.fail("expected a quoted key, found %s", p.describe())
			return nil
		}
		name, ok := p.str()
		if !ok {
			return nil
		}
		kr := p.rangeFrom(kl, kc)
		p.skipSpace()
		if p.peek() != ':' {
			p.fail("expected ':' after key %q, found %s", name, p.describe())
			return nil
		}
		p.advance(1)
		p.skipSpace()
		v := p.value(depth + 1)
		if v == nil {
			return nil
		}
		n.Keys = append(n.Keys, Key{Name: name, Range: kr, Value: v})
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.advance(1)
			p.skipSpace()
			if p.peek() == '}' {
				p.fail("a comma before '}' (JSON allows no trailing comma)")
				return nil
			}
		case '}':
			p.advance(1)
			n.Range = p.rangeFrom(sl, sc)
			return n
		default:
			p.fail("expected ',' or '}' after the value of %q, found %s", name, p.describe())
			return nil
		}
	}
	return nil
}

func (p *jparser) array(depth int) *Node {
	sl, sc := p.line, p.col
	n := &Node{Kind: List}
	p.advance(1)
	p.skipSpace()
	if p.peek() == ']' {
		p.advance(1)
		n.Range = p.rangeFrom(sl, sc)
		return n
	}
	for p.err == nil {
		p.skipSpace()
		v := p.value(depth + 1)
		if v == nil {
			return nil
		}
		n.Items = append(n.Items, v)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.advance(1)
			p.skipSpace()
			if p.peek() == ']' {
				p.fail("a comma before ']' (JSON allows no trailing comma)")
				return nil
			}
		case ']':
			p.advance(1)
			n.Range = p.rangeFrom(sl, sc)
			return n
		default:
			p.fail("expected ',' or ']' in a list, found %s", p.describe())
			return nil
		}
	}
	return nil
}

// placeholderText reports a string that is a template placeholder as a
// whole or holds one (${…}, {{…}}, <NAME>): its value is not known.
func placeholderText(s string) bool {
	if strings.Contains(s, "${") || strings.Contains(s, "{{") {
		return true
	}
	if len(s) > 2 && s[0] == '<' && s[len(s)-1] == '>' {
		for _, c := range s[1 : len(s)-1] {
			if !nameByte(c) {
				return false
			}
		}
		return true
	}
	return false
}

// nameByte: a character of a <NAME> placeholder.
func nameByte(c rune) bool {
	return c == '_' || c == '-' || c == '.' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
