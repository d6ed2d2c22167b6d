package nginx

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Templates: nginx files that a template engine renders before nginx reads
// them (Jinja/Liquid in Ansible and Salt, ERB in Chef, Go templates in
// dockerize/gomplate/confd, Kong's Penlight, sed placeholders). Parsed as
// written they give a cascade of errors about text nginx never sees, so
// hoplint neutralises the engine's markup before parsing, byte for byte in
// place so that every line and column still points at the file as written:
//
//   - a tag that only steers the engine ({% if %}, {{ end }}, <% end %>,
//     "> if … then") becomes spaces;
//   - an expression ({{ domain }}, <%= @port %>, {PORT}, ${{VAR}}) becomes
//     an nginx variable of the same length ($domain…), which every reader
//     of values already takes as unknown;
//   - an expression alone on its line, which may stand for any number of
//     directives, becomes a directive nginx does not have, marked
//     unresolved: what its level sets is then unknown, as behind an
//     include hoplint could not read.
//
// Lines inside a conditional or a loop are kept, but the values they set
// are unknown (Directive.Conditional): hoplint cannot tell which branch is
// rendered. listen, server_name and an upstream's server lines are kept
// as alternatives, since each is one of the addresses the file may give.
// When the neutralised text still does not parse, the file gets one
// skipped-file information naming the engine, never parse errors.

// Template describes the markup found in an nginx file.
type Template struct {
	// Engine names the template engine ("Jinja/Liquid", "ERB", …).
	Engine string
	// First is the first placeholder or tag as written, and FirstRange
	// where it is.
	First      string
	FirstRange parsers.Range
	// Placeholders counts the expressions replaced by unknown values.
	Placeholders int
	// conditional[n] is true for line n (1-based) when it lies inside a
	// conditional or loop of the template; marked[n] when it holds markup.
	conditional, marked []bool
}

// Marked reports whether line n holds template markup.
func (t *Template) Marked(n int) bool {
	return t != nil && n > 0 && n < len(t.marked) && t.marked[n]
}

// Conditional reports whether line n lies inside a conditional or loop.
func (t *Template) Conditional(n int) bool {
	return t != nil && n > 0 && n < len(t.conditional) && t.conditional[n]
}

var (
	// {HTTP_INDEX_FILE}: a placeholder a script replaces with sed.
	bareBraces = regexp.MustCompile(`^\{[A-Z][A-Z0-9_]*\}`)
	// $(expr): Kong's Penlight substitutions.
	penlightExpr = regexp.MustCompile(`^\$\([A-Za-z_][^)\n]*\)`)
	identRe      = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	quotedIdent  = regexp.MustCompile(`["']([A-Za-z_][A-Za-z0-9_]*)["']`)
)

type tagKind uint8

const (
	tagExpr    tagKind = iota + 1 // a value: {{ x }}, <%= x %>
	tagOpen                       // opens a conditional or loop
	tagMid                        // else, elif
	tagClose                      // ends one
	tagNeutral                    // steers the engine only: {% set %}, comments
	tagInsert                     // inserts text hoplint cannot see: {% include %}
)

type tag struct {
	start, end int
	kind       tagKind
	engine     string
	// ops, when set, are the structural steps of a tag that holds several
	// statements (an ERB tag over lines: "<% @opts.each do |k, v|\n if
	// v -%>" opens two blocks, "<%\n end\n end\n -%>" closes two), in
	// order; kind is then the first of them.
	ops []tagKind
}

var (
	jinjaOpen  = map[string]bool{"if": true, "for": true, "unless": true, "case": true, "with": true, "block": true, "macro": true, "call": true, "filter": true, "capture": true, "tablerow": true, "raw": true, "autoescape": true}
	jinjaMid   = map[string]bool{"elif": true, "else": true, "elsif": true, "when": true}
	goOpen     = map[string]bool{"if": true, "range": true, "with": true, "define": true, "block": true}
	rubyOpen   = map[string]bool{"if": true, "unless": true, "case": true, "while": true, "until": true, "for": true, "begin": true}
	rubyMid    = map[string]bool{"else": true, "elsif": true, "when": true, "rescue": true, "ensure": true}
	luaOpen    = map[string]bool{"if": true, "for": true, "while": true, "repeat": true}
	luaMid     = map[string]bool{"else": true, "elseif": true}
	goKeywords = map[string]bool{"if": true, "else": true, "end": true, "range": true, "with": true, "define": true, "block": true, "template": true, "not": true, "and": true, "or": true, "eq": true, "ne": true, "default": true, "Env": true, "getenv": true, "env": true, "index": true, "node": true}
)

// firstWord is the first identifier of s, after trim markers and spaces.
func firstWord(s string) string {
	s = strings.TrimLeft(s, "-+~= \t\r\n")
	return identRe.FindString(s)
}

// scanTags finds the template markup of data (Lua bodies already blanked).
func scanTags(data []byte, penlight bool) []tag {
	var tags []tag
	lineStart := true
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			lineStart = true
			continue
		}
		if lineStart && (c == ' ' || c == '\t' || c == '\r') {
			continue
		}
		atLineStart := lineStart
		lineStart = false
		if c == '#' && (i+1 >= len(data) || data[i+1] != '}') {
			// An nginx comment: only engines that read everything (the
			// {% %} and <% %> families) may have tags in it, found below
			// when the comment is skipped to its end of line.
			end := bytes.IndexByte(data[i:], '\n')
			if end < 0 {
				end = len(data) - i
			}
			tags = append(tags, scanComment(data, i, i+end)...)
			i += end - 1
			continue
		}
		if penlight && atLineStart && c == '>' {
			end := bytes.IndexByte(data[i:], '\n')
			if end < 0 {
				end = len(data) - i
			}
			w := firstWord(string(data[i+1 : i+end]))
			k := tagNeutral
			switch {
			case luaOpen[w]:
				k = tagOpen
			case luaMid[w]:
				k = tagMid
			case w == "end" || w == "until":
				k = tagClose
			}
			tags = append(tags, tag{i, i + end, k, "Kong Penlight", nil})
			i += end - 1
			continue
		}
		if t, ok := tagAt(data, i); ok {
			tags = append(tags, t)
			i = t.end - 1
		}
	}
	return tags
}

// scanComment finds tags of whole-text engines inside an nginx comment
// (from..to): they are rendered there too and may open a conditional.
func scanComment(data []byte, from, to int) []tag {
	var out []tag
	for i := from; i < to; i++ {
		if data[i] != '{' && data[i] != '<' {
			continue
		}
		if t, ok := tagAt(data, i); ok && t.end <= to && t.kind != tagExpr {
			out = append(out, t)
			i = t.end - 1
		}
	}
	return out
}

// rubyOps returns the blocks the Ruby code of one ERB tag opens, continues
// and closes, statement by statement (lines and ";" separate them): "if",
// "unless", a "do" block open one, "elsif"/"else" continue one, "end" closes
// one. A modifier ("x if y") is not a statement of its own.
func rubyOps(code string) []tagKind {
	var ops []tagKind
	for _, line := range strings.Split(code, "\n") {
		for _, st := range strings.Split(line, ";") {
			trim := strings.TrimSpace(st)
			switch w := firstWord(trim); {
			case rubyOpen[w], strings.HasSuffix(trim, " do"), strings.Contains(trim, " do |"):
				ops = append(ops, tagOpen)
			case rubyMid[w]:
				ops = append(ops, tagMid)
			case w == "end" || trim == "}":
				ops = append(ops, tagClose)
			}
		}
	}
	return ops
}

// closeOf returns the end (exclusive) of a tag opened at i whose closing
// delimiter is end, searching at most a few lines on.
func closeOf(data []byte, i, open int, end string) int {
	rest := data[i+open:]
	if len(rest) > 4096 {
		rest = rest[:4096]
	}
	k := bytes.Index(rest, []byte(end))
	if k < 0 {
		return -1
	}
	return i + open + k + len(end)
}

// tagAt recognises a template tag starting at data[i].
func tagAt(data []byte, i int) (tag, bool) {
	rest := data[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("{%")):
		e := closeOf(data, i, 2, "%}")
		if e < 0 {
			return tag{}, false
		}
		w := firstWord(string(data[i+2 : e-2]))
		k := tagNeutral
		switch {
		case jinjaOpen[w]:
			k = tagOpen
		case jinjaMid[w]:
			k = tagMid
		case strings.HasPrefix(w, "end"):
			k = tagClose
		case w == "include" || w == "render" || w == "import":
			k = tagInsert
		}
		return tag{i, e, k, "Jinja/Liquid", nil}, true
	case bytes.HasPrefix(rest, []byte("{#")):
		e := closeOf(data, i, 2, "#}")
		if e < 0 || bytes.Contains(data[i:e], []byte("\n\n")) {
			return tag{}, false
		}
		return tag{i, e, tagNeutral, "Jinja/Liquid", nil}, true
	case bytes.HasPrefix(rest, []byte("${{")):
		e := closeOf(data, i, 3, "}}")
		if e < 0 {
			return tag{}, false
		}
		return tag{i, e, tagExpr, "Kong Penlight", nil}, true
	case bytes.HasPrefix(rest, []byte("{{")):
		e := closeOf(data, i, 2, "}}")
		if e < 0 {
			return tag{}, false
		}
		inner := strings.TrimSpace(strings.Trim(string(data[i+2:e-2]), "-~"))
		engine := "Go"
		if !strings.HasPrefix(inner, ".") && !strings.HasPrefix(inner, "$") && !goKeywords[firstWord(inner)] {
			engine = "Jinja/Liquid"
		}
		k := tagExpr
		switch {
		case strings.HasPrefix(inner, "/*"), strings.HasPrefix(inner, "!"):
			k = tagNeutral
		case strings.HasPrefix(inner, "$") && (strings.Contains(inner, ":=") || strings.Contains(inner, " = ")):
			k = tagNeutral // {{ $x := .Env.X }} assigns and renders nothing
		case strings.HasPrefix(inner, "#"), strings.HasPrefix(inner, "^"):
			k, engine = tagOpen, "Mustache"
		case strings.HasPrefix(inner, "/"):
			k, engine = tagClose, "Mustache"
		default:
			switch w := firstWord(inner); {
			case goOpen[w] && inner != w+"}":
				k, engine = tagOpen, "Go"
			case w == "else":
				k, engine = tagMid, "Go"
			case w == "end":
				k, engine = tagClose, "Go"
			case w == "template":
				k, engine = tagInsert, "Go"
			}
		}
		return tag{i, e, k, engine, nil}, true
	case bytes.HasPrefix(rest, []byte("<%")):
		e := closeOf(data, i, 2, "%>")
		if e < 0 {
			return tag{}, false
		}
		inner := strings.Trim(string(data[i+2:e-2]), "-")
		if strings.HasPrefix(inner, "=") {
			return tag{i, e, tagExpr, "ERB", nil}, true
		}
		if strings.HasPrefix(inner, "#") {
			return tag{i, e, tagNeutral, "ERB", nil}, true
		}
		ops := rubyOps(inner)
		t := tag{start: i, end: e, kind: tagNeutral, engine: "ERB"}
		if len(ops) > 0 {
			t.kind = ops[0]
		}
		if len(ops) > 1 {
			t.ops = ops
		}
		return t, true
	case bytes.HasPrefix(rest, []byte("$(")):
		if loc := penlightExpr.FindIndex(head(rest)); loc != nil {
			return tag{i, i + loc[1], tagExpr, "Kong Penlight", nil}, true
		}
	case rest[0] == '{' && (i == 0 || !isWordByte(data[i-1]) && data[i-1] != '$'):
		if loc := bareBraces.FindIndex(head(rest)); loc != nil {
			return tag{i, i + loc[1], tagExpr, "sed-style placeholder", nil}, true
		}
	}
	return tag{}, false
}

// head bounds what an anchored pattern looks at: a placeholder is short,
// and matching against the whole rest of a large file at every "{" would
// cost time quadratic in its size.
func head(b []byte) []byte {
	if len(b) > 256 {
		return b[:256]
	}
	return b
}

func isWordByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// neutralise returns f's data with its template markup made nginx (see
// the comment at the top of this file), and what it found; nil when the
// file has none.
func neutralise(f *parsers.File) ([]byte, *Template) {
	data := f.Bytes()
	penlight := false
	lower := strings.ToLower(f.Path)
	scan := blankLuaCode(data)
	first := firstStatement(scan)
	wrapped := bytes.HasPrefix(bytes.TrimSpace(scan[first:]), []byte("return [["))
	if wrapped || strings.HasSuffix(lower, ".template") || strings.HasSuffix(lower, ".lua") || bytes.Contains(scan, []byte("${{")) {
		penlight = true
	}
	tags := scanTags(scan, penlight)
	if len(tags) == 0 && !wrapped {
		return data, nil
	}
	out := append([]byte(nil), data...)
	t := &Template{}
	engines := map[string]bool{}
	if wrapped {
		// Kong's .lua templates: `return [[` … `]]` wraps the text.
		k := first + bytes.Index(scan[first:], []byte("return [["))
		blank(out, k, k+len("return [["))
		p := rawPos(f, k)
		t.First, t.FirstRange = "return [[", f.At(p.Line, p.Col, p.Line, p.Col+len("return [["))
		if e := bytes.LastIndex(scan, []byte("]]")); e > k {
			blank(out, e, e+2)
		}
		engines["Kong Penlight"] = true
	}
	lines := bytes.Count(data, []byte("\n")) + 2
	t.conditional = make([]bool, lines+1)
	t.marked = make([]bool, lines+1)
	depth := 0
	pos := 0
	// groups are the conditionals, innermost first (in closing order),
	// each as its branches' [start, end) offsets.
	var groups, open [][][2]int
	mark := func(from, to int) {
		if depth == 0 {
			return
		}
		line := rawPos(f, from).Line
		for k := from; k < to; k++ {
			switch out[k] {
			case '\n':
				line++
			case ' ', '\t', '\r':
			default:
				if line < len(t.conditional) {
					t.conditional[line] = true
				}
			}
		}
	}
	for _, tg := range tags {
		mark(pos, tg.start)
		engines[tg.engine] = true
		if t.First == "" || tg.kind == tagExpr && t.Placeholders == 0 {
			// The first placeholder names the file's engine best; the
			// first tag stands in when there is none.
			t.First = clip(string(data[tg.start:tg.end]))
			s, e := rawPos(f, tg.start), rawPos(f, tg.end)
			t.FirstRange = f.At(s.Line, s.Col, e.Line, e.Col)
		}
		for l := rawPos(f, tg.start).Line; l <= rawPos(f, tg.end).Line && l < len(t.marked); l++ {
			t.marked[l] = true
		}
		switch tg.kind {
		case tagOpen, tagClose, tagMid:
			blank(out, tg.start, tg.end)
			ops := tg.ops
			if ops == nil {
				ops = []tagKind{tg.kind}
			}
			for _, op := range ops {
				switch op {
				case tagOpen:
					depth++
					open = append(open, [][2]int{{tg.end, -1}})
				case tagClose:
					if depth > 0 {
						depth--
					}
					if n := len(open); n > 0 {
						g := open[n-1]
						g[len(g)-1][1] = tg.start
						groups = append(groups, g)
						open = open[:n-1]
					}
				case tagMid:
					if n := len(open); n > 0 {
						g := open[n-1]
						g[len(g)-1][1] = tg.start
						open[n-1] = append(g, [2]int{tg.end, -1})
					}
				}
			}
		case tagNeutral:
			blank(out, tg.start, tg.end)
		case tagInsert:
			standalone(out, tg.start, tg.end)
		case tagExpr:
			t.Placeholders++
			if aloneOnLine(out, tg.start, tg.end) {
				standalone(out, tg.start, tg.end)
			} else {
				unknownValue(out, tg.start, tg.end, data[tg.start:tg.end])
			}
		}
		pos = tg.end
	}
	mark(pos, len(out))
	for _, g := range groups {
		keepFirstBranch(out, g)
	}
	t.Engine = engineName(engines)
	return out, t
}

// keepFirstBranch blanks every branch but the first of a conditional whose
// branches each open (or close) the same number of blocks: "{% if %}
// location /a { {% else %} location /b { {% endif %}" is one block in
// either rendering, but two opening braces when both are kept. Branches
// that balance are all kept, as alternatives.
func keepFirstBranch(out []byte, branches [][2]int) {
	if len(branches) < 2 {
		return
	}
	net := func(b [2]int) int {
		return bytes.Count(out[b[0]:b[1]], []byte("{")) - bytes.Count(out[b[0]:b[1]], []byte("}"))
	}
	first := net(branches[0])
	if first == 0 {
		return
	}
	for _, b := range branches[1:] {
		if net(b) != first {
			return
		}
	}
	for _, b := range branches[1:] {
		blank(out, b[0], b[1])
	}
}

// rawPos is the position of byte off in f's own data (PosAt shifts it
// into the host file of an embedded configuration; At shifts again).
func rawPos(f *parsers.File, off int) parsers.Pos {
	p := f.PosAt(off)
	p.Line -= f.Shift.Line
	p.Col -= f.Shift.Col
	return p
}

// firstStatement is the offset of the first line that is not blank or a
// comment.
func firstStatement(data []byte) int {
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		line := bytes.TrimSpace(data[off : off+end])
		if len(line) > 0 && line[0] != '#' {
			return off
		}
		off += end + 1
	}
	return 0
}

func engineName(engines map[string]bool) string {
	// The engines whose markup is unmistakable name the file first.
	for _, e := range []string{"ERB", "Kong Penlight", "Jinja/Liquid", "Go", "Mustache", "sed-style placeholder"} {
		if engines[e] {
			return e
		}
	}
	return "template"
}

// blank replaces data[from:to] with spaces, keeping line breaks.
func blank(data []byte, from, to int) {
	for k := from; k < to; k++ {
		if data[k] != '\n' && data[k] != '\r' {
			data[k] = ' '
		}
	}
}

// aloneOnLine reports whether data[from:to] is all that its line holds
// (blanked tags aside).
func aloneOnLine(data []byte, from, to int) bool {
	if bytes.IndexByte(data[from:to], '\n') >= 0 {
		return false
	}
	s := bytes.LastIndexByte(data[:from], '\n') + 1
	e := bytes.IndexByte(data[to:], '\n')
	if e < 0 {
		e = len(data) - to
	}
	return len(bytes.TrimSpace(data[s:from])) == 0 && len(bytes.TrimSpace(data[to:to+e])) == 0
}

// standaloneName prefixes the directive that stands for text a template
// inserts (an expression alone on its line, an include of the engine).
const standaloneName = "$template"

// standalone replaces data[from:to] with a directive nginx does not have
// ("$template_…;"), which the parser marks unresolved: it may set anything.
// A tag spanning lines keeps its line breaks.
func standalone(data []byte, from, to int) {
	blank(data, from, to)
	n := to - from
	if bytes.IndexByte(data[from:to], '\n') >= 0 {
		n = bytes.IndexByte(data[from:to], '\n')
	}
	tok := standaloneName
	switch {
	case n >= len(tok)+1:
		tok += strings.Repeat("_", n-len(tok)-1) + ";"
	case n >= 3:
		tok = "$" + strings.Repeat("_", n-2) + ";"
	default:
		return // too short to stand for anything ("{}" is not a tag)
	}
	copy(data[from:], tok)
}

// unknownValue replaces an expression with an nginx variable of the same
// length, named after the expression where it can be ({{ domain }} →
// "$domain     " when it is a whole argument, "$domain_____" inside one).
func unknownValue(data []byte, from, to int, orig []byte) {
	n := to - from
	if bytes.IndexByte(orig, '\n') >= 0 {
		blank(data, from, to)
		n = bytes.IndexByte(orig, '\n')
	}
	name := ""
	if m := quotedIdent.FindSubmatch(orig); m != nil {
		name = string(m[1]) // getenv "APP_DOMAIN"
	} else {
		for _, w := range identRe.FindAll(orig, -1) {
			if !goKeywords[string(w)] {
				name = string(w)
				break
			}
		}
	}
	if len(name) > n-1 {
		name = name[:n-1]
	}
	pad := byte('_')
	if before := from == 0 || isSpace(data[from-1]) || data[from-1] == '"' || data[from-1] == '\''; before && (to >= len(data) || isSpace(data[to]) || data[to] == ';') {
		pad = ' '
	}
	tok := make([]byte, n)
	tok[0] = '$'
	copy(tok[1:], name)
	for k := 1 + len(name); k < n; k++ {
		tok[k] = pad
	}
	if len(name) == 0 && n > 1 {
		tok[1] = '_'
	}
	copy(data[from:], tok)
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// keptAlternatives are directives kept as written inside a conditional:
// each is one of the addresses or names the file may give, and a link
// drawn through any of them holds when that branch is rendered.
var keptAlternatives = map[string]bool{"listen": true, "server_name": true, "server": true}

// markConditional marks the directives on conditional lines of t: their
// values are unknown. Block directives keep their structure (a location
// inside {% if %} is still a location); an include is not followed.
func markConditional(t *Template, ds []*Directive, line func(*Directive) int, unfollowed func(*Directive)) {
	for _, d := range ds {
		if d.IsBlock {
			markConditional(t, d.Block, line, unfollowed)
			continue
		}
		if !t.Conditional(line(d)) || keptAlternatives[d.Name] || strings.HasPrefix(d.Name, "$") {
			continue
		}
		if d.Name == "include" {
			d.Unresolved = true
			unfollowed(d)
			continue
		}
		// Every reader of values takes an argument holding "$" as
		// unknown (a variable): keepalive $32 is no pool size,
		// lingering_close $off no switch, proxy_pass $http://a no
		// target (the location still proxies).
		d.Conditional = true
		args := make([]string, len(d.Args))
		for i, a := range d.Args {
			if !strings.Contains(a, "$") {
				a = "$" + a
			}
			args[i] = a
		}
		d.Args = args
	}
}

func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// templateSkipped is the one finding for a template whose neutralised text
// still does not parse.
func templateSkipped(t *Template, why parsers.Problem) parsers.Problem {
	return parsers.Problem{Kind: parsers.ProblemSkipped, Range: t.FirstRange,
		Message: "this nginx file is " + t.article() + " template (it holds " + strconv.Quote(t.First) + "), and with its template markup set aside what is left is not nginx that hoplint can read (line " +
			strconv.Itoa(why.Range.Start.Line) + ": " + why.Message + "), so hoplint did not lint it. Lint the rendered configuration instead"}
}

// templateNote is the assumption a template adds to every finding on it.
func templateNote(f *parsers.File, t *Template) string {
	return f.Path + " is " + t.article() + " template (" + t.First + "): hoplint linted its literal text and took its placeholders and the values set inside its conditionals as unknown"
}

// article is the engine's name with "a" or "an" ("an ERB", "a Go").
func (t *Template) article() string {
	if strings.IndexByte("AEIOU", t.Engine[0]) >= 0 {
		return "an " + t.Engine
	}
	return "a " + t.Engine
}

// dropsOnMarkup reports a parser complaint about a value on a line with
// template markup: crossplane checks flags and argument counts, and a
// placeholder is neither "on" nor "off" (sendfile <%= @sendfile %>;).
func dropsOnMarkup(t *Template, p parsers.Problem, line int) bool {
	if !t.Marked(line) {
		return false
	}
	return strings.Contains(p.Message, "invalid value") || strings.Contains(p.Message, "invalid number of arguments") ||
		strings.Contains(p.Message, "unknown directive")
}
