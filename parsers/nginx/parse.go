// Package nginx reads nginx configuration with
// github.com/nginxinc/nginx-go-crossplane, follows includes the way nginx
// does (but never out of the linted root), and computes effective values
// per server and location with nginx's inheritance rules.
package nginx

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	crossplane "github.com/nginxinc/nginx-go-crossplane"

	"github.com/hoplint/hoplint/parsers"
)

// Directive is one nginx directive with its position. Block is non-nil for
// block directives (http, server, location, upstream, …). Directives pulled
// in by include replace the include in their parent's Block, so walking a
// Config sees the configuration as nginx does.
type Directive struct {
	Name  string
	Args  []string
	Range parsers.Range
	Block []*Directive
	// File is the file the directive is written in.
	File *parsers.File
	// Via is the chain of include directives that pulled the file in,
	// outermost first; empty for directives of the main file.
	Via []*Directive
	// IsBlock and Unresolved sit side by side so that a Directive fits
	// the allocator's 160-byte class (a large config holds hundreds of
	// thousands).
	IsBlock bool
	// Unresolved marks an include hoplint did not follow; it stays in the
	// tree so that lookups know the level may set things hoplint cannot see.
	Unresolved bool
	// Conditional marks a directive inside a template's conditional or
	// loop: whether it is rendered is unknown, so its arguments are made
	// unknown ("$"-prefixed, as nginx variables are) and Shadowed says its
	// name's value at its level is unknown.
	Conditional bool
}

// Arg returns argument i, or "".
func (d *Directive) Arg(i int) string {
	if i < len(d.Args) {
		return d.Args[i]
	}
	return ""
}

// ArgRange returns the range of argument i on the directive's line (the
// whole directive when the argument cannot be located).
func (d *Directive) ArgRange(i int) parsers.Range {
	if i >= len(d.Args) || d.File == nil {
		return d.Range
	}
	line := d.File.Line(d.Range.Start.Line - d.File.Shift.Line)
	from := d.Range.Start.Col - 1 - d.File.Shift.Col + len(d.Name)
	if from < 0 || from > len(line) {
		return d.Range
	}
	for k := 0; k <= i; k++ {
		idx := strings.Index(line[from:], d.Args[k])
		if idx < 0 {
			return d.Range
		}
		from += idx
		if k < i {
			from += len(d.Args[k])
		}
	}
	r := d.Range
	r.Start.Col = from + 1 + d.File.Shift.Col
	r.End = r.Start
	r.End.Col += len(d.Args[i])
	return r
}

// Opener returns the file at an absolute path, reading it only when it is
// inside the linted root. Implementations reuse files already discovered.
type Opener func(abs string) (*parsers.File, error)

// Config is one nginx configuration: a main file (or a fragment meant to be
// included somewhere) with its includes expanded.
type Config struct {
	Main *parsers.File
	// Directives are the top-level directives, includes expanded.
	Directives []*Directive
	// Files lists every file read for this configuration, main first.
	Files []*parsers.File
	// Fragment is true when the file has no http, events or stream block at
	// its top level: a file written to be included somewhere.
	Fragment bool
	Problems []parsers.Problem
	Comments map[string][]parsers.Comment
	// Notes are assumptions made while reading, e.g. an absolute include
	// read from the linted tree.
	Notes []string
	// Includes lists the absolute paths of every file included.
	Includes []string
	// EmptyGlobs are the include directives whose pattern matched no file
	// in the linted tree. nginx accepts that, but when the configuration
	// then has no server, its servers live in files hoplint was not given.
	EmptyGlobs []EmptyGlob
}

// EmptyGlob is an include whose pattern matched no file in the linted tree.
type EmptyGlob struct {
	Include *Directive
	// Looked is the pattern hoplint matched, relative to the main file's
	// directory ("conf.d/*.conf" for /etc/nginx/conf.d/*.conf).
	Looked string
}

// ParseFile parses one file on its own, without following includes. It is
// what Load uses for each file, exported so that callers can find out which
// files include which before deciding which ones are main files.
func ParseFile(f *parsers.File) (*File, []parsers.Problem) {
	fatal, pre := preParse(f)
	if fatal != nil {
		return &File{Src: f, Fragment: true}, []parsers.Problem{*fatal}
	}
	data, tpl := neutralise(f)
	out := &File{Src: f, Template: tpl}
	parsed, problems, err := parseRecovering(f, data)
	if tpl != nil {
		// A template is never a parse error: what its markup leaves
		// behind either parses, or the file is skipped naming the engine.
		kept := problems[:0]
		for _, p := range problems {
			switch {
			case p.Kind != parsers.ProblemParse:
				kept = append(kept, p)
			case dropsOnMarkup(tpl, p, p.Range.Start.Line-f.Shift.Line):
			default:
				return &File{Src: f, Fragment: true, Template: tpl}, []parsers.Problem{templateSkipped(tpl, p)}
			}
		}
		problems = kept
		if err != nil {
			return &File{Src: f, Fragment: true, Template: tpl}, []parsers.Problem{templateSkipped(tpl, parsers.Problem{Range: f.At(1, 1, 1, 1), Message: err.Error()})}
		}
	}
	problems = append(pre, problems...)
	if err != nil {
		return out, append(problems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1), Message: "cannot parse: " + err.Error()})
	}
	out.Directives = convert(f, parsed, out)
	if tpl != nil {
		markConditional(tpl, out.Directives, func(d *Directive) int { return d.Range.Start.Line - f.Shift.Line }, func(d *Directive) {
			problems = append(problems, parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: d.Range,
				Message: "include " + writtenArgs(d) + " sits inside a conditional of this " + tpl.Engine + " template, so whether nginx reads it depends on how the template is rendered; hoplint did not read it, and what it sets is unknown to hoplint"})
		})
	}
	out.Fragment = true
	for _, d := range out.Directives {
		switch d.Name {
		case "http", "events", "stream", "mail":
			out.Fragment = false
		}
	}
	return out, problems
}

// parseSafely shields the run from a panic inside the parsing library on
// hostile input: the file becomes a parse error instead.
func parseSafely(f *parsers.File, opts *crossplane.ParseOptions) (p *crossplane.Payload, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, errors.New("the nginx parser failed on this input")
		}
	}()
	return crossplane.Parse(f.Path, opts)
}

// errorText turns crossplane's "X in FILE:LINE" into X; the position is
// already in the finding.
func errorText(err error) string {
	var pe *crossplane.ParseError
	if errors.As(err, &pe) {
		return pe.What
	}
	return err.Error()
}

// File is one parsed file, includes not yet expanded.
type File struct {
	Src        *parsers.File
	Directives []*Directive
	Comments   []parsers.Comment
	Fragment   bool
	// Template is the template markup hoplint set aside, nil for a plain
	// nginx file.
	Template *Template
}

func convert(f *parsers.File, ds crossplane.Directives, pf *File) []*Directive {
	var out []*Directive
	for _, d := range ds {
		if d.IsComment() {
			line := f.Line(d.Line)
			col := strings.Index(line, "#") + 1
			if col <= 0 {
				col = 1
			}
			r := f.At(d.Line, col, d.Line, col)
			pf.Comments = append(pf.Comments, parsers.Comment{Line: r.Start.Line, Col: r.Start.Col, Text: *d.Comment})
			continue
		}
		nd := &Directive{Name: d.Directive, Args: d.Args, File: f, IsBlock: d.IsBlock(), Range: directiveRange(f, d)}
		if pf.Template != nil && strings.HasPrefix(d.Directive, "$") {
			// Text a template inserts (an expression alone on its line):
			// the level may set anything, as behind an unread include.
			nd.Unresolved = true
		}
		if d.IsBlock() {
			nd.Block = convert(f, d.Block, pf)
		}
		out = append(out, nd)
	}
	return out
}

// directiveRange locates a directive on its line: crossplane reports lines
// only, so the columns are found by searching the name.
func directiveRange(f *parsers.File, d *crossplane.Directive) parsers.Range {
	line := f.Line(d.Line)
	col := strings.Index(line, d.Directive)
	if col < 0 {
		return f.LineRange(d.Line)
	}
	end := len(line)
	if semi := strings.IndexAny(line[col:], ";{"); semi >= 0 {
		end = col + semi + 1
	}
	return f.At(d.Line, col+1, d.Line, end+1)
}

// absolutePrefixes are where distributions keep nginx's configuration. An
// absolute include under one of them is read from the linted tree when the
// main file's directory holds the same relative path: repositories keep
// /etc/nginx's content, not the machine's /etc.
var absolutePrefixes = []string{"/etc/nginx/", "/usr/local/nginx/conf/", "/usr/local/etc/nginx/", "/opt/homebrew/etc/nginx/"}

// Load expands main's includes the way nginx does: a relative path is
// resolved against the main file's directory (nginx's conf prefix), a glob
// matches in alphabetical order and may match nothing, a plain path that
// does not exist is an error. Includes outside the linted root are not
// read; include cycles are reported and broken.
func Load(main *File, parsed func(abs string) (*File, error)) *Config {
	return LoadWithin(main, parsed, nil)
}

// LoadWithin is Load charging what includes pull in to run, shared with
// the other configurations of the run (nil: no run-wide limit).
func LoadWithin(main *File, parsed func(abs string) (*File, error), run *RunBudget) *Config {
	c := &Config{Main: main.Src, Fragment: main.Fragment, Comments: map[string][]parsers.Comment{}}
	l := &loader{c: c, parsed: parsed, base: confPrefix(main), root: main.Src.Root, run: run}
	c.Files = append(c.Files, main.Src)
	c.Comments[main.Src.Path] = main.Comments
	l.stack = []string{main.Src.Abs}
	if main.Template != nil {
		l.note(templateNote(main.Src, main.Template))
		l.template = true
	}
	if what := sampleWords(main.Src.Path); what != "" {
		l.note(main.Src.Path + " is " + what + ", which users copy and run as it is: hoplint linted it as such")
	}
	c.Directives = l.expand(main.Directives, nil)
	return c
}

type loader struct {
	c      *Config
	parsed func(abs string) (*File, error)
	base   string
	root   string
	stack  []string
	// includes and included count the include directives followed and the
	// directives they pulled in; capped says the limit was reported.
	includes, included int
	capped             bool
	run                *RunBudget
	// template is set while a template's directives are expanded: its
	// includes name files rendered with it, not files nginx lacks.
	template bool
}

// confPrefix is the directory nginx resolves relative includes against:
// the directory of the main configuration file. A fragment (a file meant to
// be included) is resolved against the nearest enclosing directory of the
// linted tree that holds an nginx.conf, the main file that would include it;
// failing that, its own directory.
func confPrefix(main *File) string {
	dir := filepath.Dir(main.Src.Abs)
	if !main.Fragment {
		return dir
	}
	for d := dir; parsers.Within(main.Src.Root, d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "nginx.conf")); err == nil {
			return d
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return dir
}

func (l *loader) expand(ds []*Directive, via []*Directive) []*Directive {
	out, _ := l.expandChanged(ds, via)
	return out
}

// expandChanged expands ds and says whether the result differs from ds. A
// block with no include below it, in the main file, is kept as parsed
// rather than copied: a file of 100,000 locations would otherwise be held
// twice.
func (l *loader) expandChanged(ds []*Directive, via []*Directive) ([]*Directive, bool) {
	var out []*Directive
	changed := false
	for i, d := range ds {
		keep := false // d stays as parsed
		var repl []*Directive
		switch {
		case d.Name == "include" && len(d.Args) == 1 && !d.IsBlock && !d.Unresolved:
			// An include the caller already marked unresolved (one naming
			// a file of a container image) stays so and is not looked up
			// here.
			got, ok := l.include(d, via)
			repl = got
			if !ok {
				cp := *d
				cp.Via, cp.Unresolved = via, true
				repl = append(repl, &cp)
			}
		case len(via) > 0 || d.IsBlock:
			if len(via) > 0 {
				l.included++
				if l.run != nil {
					l.run.included++
				}
			}
			block, blockChanged := d.Block, false
			if d.IsBlock {
				block, blockChanged = l.expandChanged(d.Block, via)
			}
			if len(via) == 0 && !blockChanged {
				keep = true
				break
			}
			cp := *d
			cp.Via, cp.Block = via, block
			repl = []*Directive{&cp}
		default:
			keep = true
		}
		if keep {
			if changed {
				out = append(out, d)
			}
			continue
		}
		if !changed {
			changed = true
			out = make([]*Directive, 0, len(ds)+len(repl))
			out = append(out, ds[:i]...)
		}
		out = append(out, repl...)
	}
	if !changed {
		return ds, false
	}
	return out, true
}

func (l *loader) problem(kind parsers.ProblemKind, d *Directive, msg string) {
	l.c.Problems = append(l.c.Problems, parsers.Problem{Kind: kind, Range: d.Range, Message: msg})
}

// contentOnly are the files every nginx package and the official image
// ship in the conf prefix, holding only MIME types, CGI parameters or
// charset maps: when they are not in the linted tree nothing the rules read
// is lost, so hoplint neither reports them (nginx finds them at run time)
// nor treats their level as unknown. When they are in the tree they are
// read like any include.
var contentOnly = map[string]bool{
	"mime.types": true, "fastcgi_params": true, "fastcgi.conf": true, "uwsgi_params": true, "scgi_params": true, "koi-utf": true, "koi-win": true, "win-utf": true,
}

// include returns the directives an include pulls in; ok is false when it
// could not be followed, so the level it stands in may set things hoplint
// cannot see.
func (l *loader) include(d *Directive, via []*Directive) (out []*Directive, ok bool) {
	pattern := d.Args[0]
	abs := path.IsAbs(filepath.ToSlash(pattern))
	unfollowed := func(msg string) ([]*Directive, bool) {
		if contentOnly[path.Base(filepath.ToSlash(pattern))] {
			return nil, true
		}
		l.problem(parsers.ProblemUnfollowed, d, msg)
		return nil, false
	}
	if l.template && strings.Contains(pattern, "$") {
		return unfollowed("include " + writtenArgs(d) + " names its file through a placeholder of the template, so hoplint did not read it; what it sets is unknown to hoplint")
	}
	if strings.Contains(pattern, "$") {
		return unfollowed("include " + pattern + " uses a variable, which nginx does not expand here; hoplint did not read it")
	}
	resolved, prefix := "", ""
	switch {
	case abs:
		for _, p := range absolutePrefixes {
			if strings.HasPrefix(pattern, p) {
				resolved, prefix = filepath.Join(l.base, filepath.FromSlash(strings.TrimPrefix(pattern, p))), p
				break
			}
		}
		if resolved == "" {
			if !parsers.Within(l.root, filepath.Clean(pattern)) {
				return unfollowed("include " + pattern + " is outside the linted root; hoplint did not read it, so the settings it holds are unknown")
			}
			resolved = filepath.Clean(pattern)
		}
	default:
		resolved = filepath.Join(l.base, filepath.FromSlash(pattern))
	}
	if !parsers.Within(l.root, resolved) {
		return unfollowed("include " + pattern + " leaves the linted root; hoplint does not read files outside the directory it was given")
	}
	matches := []string{resolved}
	isGlob := strings.ContainsAny(pattern, "*?[")
	if isGlob && tooManyWildcards(pattern) {
		return unfollowed(wildcardMessage(pattern))
	}
	if isGlob {
		m, err := filepath.Glob(resolved)
		if err != nil {
			l.problem(parsers.ProblemParse, d, "include "+pattern+": bad pattern")
			return nil, false
		}
		sort.Strings(m) // nginx reads glob matches in alphabetical order
		matches = m     // and a glob that matches nothing is not an error
		if len(m) == 0 {
			l.c.EmptyGlobs = append(l.c.EmptyGlobs, EmptyGlob{d, filepath.ToSlash(parsers.RelPath(filepath.Dir(l.c.Main.Abs), resolved))})
		}
	}
	ok = true
	for _, m := range matches {
		if !l.budget(d) {
			return out, false
		}
		l.includes++
		for _, s := range l.stack {
			if s == m {
				l.problem(parsers.ProblemParse, d, "include cycle: "+l.cycle(m)+"; nginx would fail to start")
				return out, false
			}
		}
		f, err := l.parsed(m)
		if err != nil {
			switch {
			case !isGlob && contentOnly[path.Base(filepath.ToSlash(pattern))]:
				// Every nginx package and image ships it beside nginx.conf;
				// a repository need not carry it.
				return nil, true
			case isGlob:
				continue // a directory matched by the glob; nothing to read
			case l.template:
				// A template's includes are often rendered with it (Kong's
				// nginx-inject.conf) or come from the distribution
				// (proxy_params): missing here says nothing about nginx.
				return unfollowed("include " + pattern + " is not in the linted tree, and this file is a template whose includes are usually written when it is rendered, so hoplint did not read it; what it sets is unknown to hoplint")
			case abs:
				return unfollowed("include " + pattern + " is not in the linted tree; hoplint did not read it, so the settings it holds are unknown")
			case l.c.Fragment:
				// Linted on its own, a fragment's includes resolve against a
				// guessed prefix; a miss says nothing about nginx.
				// The directory is named as the user sees it (from the
				// working directory), not relative to this file ("."), and
				// the advice is the run that knows the including nginx.conf.
				where := path.Join(path.Dir(l.c.Main.Path), parsers.RelPath(filepath.Dir(l.c.Main.Abs), l.base))
				if where == "." {
					where = "the current directory"
				} else {
					where += "/"
				}
				return unfollowed("include " + pattern + " was not found under " + where + "; this file is a fragment and hoplint does not know which nginx.conf includes it, so what that include sets is unknown to hoplint. Lint the directory that holds the nginx.conf including this file")
			}
			l.problem(parsers.ProblemParse, d, "include "+pattern+": "+err.Error()+"; nginx would fail to start")
			return out, false
		}
		if prefix != "" {
			l.note("assuming " + path.Dir(l.c.Main.Path) + "/ is deployed as " + prefix + ", so include " + pattern + " was read from the linted tree")
		}
		wasTemplate := l.template
		if f.Template != nil {
			l.note(templateNote(f.Src, f.Template))
			l.template = true
		}
		l.c.Includes = append(l.c.Includes, m)
		if _, seen := l.c.Comments[f.Src.Path]; !seen {
			l.c.Files = append(l.c.Files, f.Src)
			l.c.Comments[f.Src.Path] = f.Comments
		}
		l.stack = append(l.stack, m)
		chain := append(append([]*Directive(nil), via...), d)
		out = append(out, l.expand(f.Directives, chain)...)
		l.stack = l.stack[:len(l.stack)-1]
		l.template = wasTemplate
	}
	return out, ok
}

func (l *loader) note(n string) {
	for _, o := range l.c.Notes {
		if o == n {
			return
		}
	}
	l.c.Notes = append(l.c.Notes, n)
}

func (l *loader) cycle(abs string) string {
	var names []string
	start := 0
	for i, s := range l.stack {
		if s == abs {
			start = i
		}
	}
	for _, s := range l.stack[start:] {
		names = append(names, parsers.RelPath(l.base, s))
	}
	return strings.Join(append(names, parsers.RelPath(l.base, abs)), " → ")
}

// sampleWords says what a sample configuration's name makes it
// ("a sample configuration (.example)"), or "" for any other file.
func sampleWords(p string) string {
	lower := strings.ToLower(path.Base(p))
	for _, ext := range []string{".sample", ".example", ".dist", ".default", ".orig"} {
		if strings.HasSuffix(lower, ext) {
			return "a sample configuration (its name ends in " + ext + ")"
		}
	}
	return ""
}

// writtenArgs is a directive's arguments as the file writes them, template
// placeholders and all (include <%= @status_conf %>), for messages; its
// parsed arguments hold the neutralised text.
func writtenArgs(d *Directive) string {
	if d.File == nil || d.Range.Start.Line != d.Range.End.Line {
		return strings.Join(d.Args, " ")
	}
	line := d.File.Line(d.Range.Start.Line - d.File.Shift.Line)
	from := d.Range.Start.Col - 1 - d.File.Shift.Col + len(d.Name)
	to := d.Range.End.Col - 1 - d.File.Shift.Col
	if from < 0 || to > len(line) || from >= to {
		return strings.Join(d.Args, " ")
	}
	return strings.TrimSpace(strings.TrimSuffix(line[from:to], ";"))
}
