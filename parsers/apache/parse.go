// Package apache reads Apache httpd 2.4 configuration the way httpd does:
// one directive per line, backslash continuation, comments only at the start
// of a line, quoted words, case-insensitive names, nested sections,
// Include/IncludeOptional with wildcards, Define and ${VAR}, and the
// read-time conditionals (<IfModule>, <IfDefine>, <IfVersion>, …). No Go
// library parses httpd.conf; this one follows server/config.c and
// server/util.c of httpd 2.4 closely enough that `apache2 -t` is its test
// oracle.
//
// The package knows nothing about other formats or about hoplint's rules:
// it returns a tree of directives with their ranges, the problems httpd
// would have with them, and (model.go) the effective settings of the main
// server and each virtual host.
package apache

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Directive is one directive or section as httpd would see it after
// conditionals, Define and Include are applied.
type Directive struct {
	// Name is as written, without "<" for a section.
	Name string
	// Args are the words after the name, unquoted, with ${VAR} replaced. For
	// a section they are the words before the closing ">".
	Args    []string
	Section bool
	// Children of a section, in order; included files and active
	// conditional sections are flattened into it.
	Children []*Directive
	// Parent is the enclosing section (never a conditional one), or nil.
	Parent *Directive
	File   *parsers.File
	// Line is the first line in File (unshifted).
	Line  int
	Range parsers.Range
	// Assumed lists conditions hoplint took as true to read this directive
	// ("<IfModule mod_proxy.c> is taken as active: no LoadModule line is in
	// the linted files").
	Assumed []string
	// Unresolved is set when a ${VAR} in the line is not defined by any
	// Define: httpd would read it from its environment, which hoplint
	// cannot see, so the value is unknown.
	Unresolved bool
	// IncludedBy is the Include directive whose file holds this directive,
	// for the outermost file nil.
	IncludedBy *Directive

	argRanges []parsers.Range
}

// Is reports whether the directive has the given name (case-insensitive).
func (d *Directive) Is(name string) bool { return strings.EqualFold(d.Name, name) }

// ArgRange is the range of argument i, or the directive's range when the
// argument's position is not known (it came from a ${VAR}).
func (d *Directive) ArgRange(i int) parsers.Range {
	if i >= 0 && i < len(d.argRanges) {
		return d.argRanges[i]
	}
	return d.Range
}

// Arg returns argument i or "".
func (d *Directive) Arg(i int) string {
	if i < len(d.Args) {
		return d.Args[i]
	}
	return ""
}

// In returns the nearest enclosing section with one of the names, or nil.
func (d *Directive) In(names ...string) *Directive {
	for p := d.Parent; p != nil; p = p.Parent {
		for _, n := range names {
			if p.Is(n) {
				return p
			}
		}
	}
	return nil
}

// String renders the directive as written (name and words).
func (d *Directive) String() string {
	s := d.Name
	if d.Section {
		s = "<" + s
	}
	for _, a := range d.Args {
		if a == "" || strings.ContainsAny(a, " \t") {
			a = `"` + a + `"`
		}
		s += " " + a
	}
	if d.Section {
		s += ">"
	}
	return s
}

// Issue is a problem with its weight: Fatal problems make httpd refuse the
// configuration (apache2 -t fails); the others are values httpd accepts but
// reads differently from what is written.
type Issue struct {
	parsers.Problem
	Fatal bool
}

// Unfollowed is an include hoplint did not read.
type Unfollowed struct {
	D      *Directive
	Reason string
}

// Config is one configuration tree: a file that is not included by any
// other, with everything it includes.
type Config struct {
	File *parsers.File
	// Files lists every file read, the root first.
	Files      []*parsers.File
	Directives []*Directive
	Issues     []Issue
	// Comments of every file read, by file path.
	Comments map[string][]parsers.Comment
	// LoadModules is true when the tree has LoadModule lines; without any,
	// every <IfModule> is taken as active.
	LoadModules bool
	Modules     map[string]bool
	Defines     map[string]string
	Unfollowed  []Unfollowed
	// ServerRoot is the last ServerRoot directive, or nil.
	ServerRoot *Directive
	// Version is the httpd version assumed ("" unknown).
	Version string

	model *Server
}

// Fatal reports whether httpd would refuse to start with this tree.
func (c *Config) Fatal() bool {
	for _, is := range c.Issues {
		if is.Fatal {
			return true
		}
	}
	return false
}

// Options tune Parse.
type Options struct {
	// Version is the httpd version to assume ("2.4.58"), "" when unknown.
	Version string
	// Open returns the file at an absolute path, reading it if need be. It
	// must refuse paths outside the root. nil means parsers.ReadWithin.
	Open func(abs string) (*parsers.File, error)
	// NoIncludes leaves every Include unfollowed: the file is embedded in
	// another (a ConfigMap) and its paths name files in a container.
	NoIncludes bool
	// Run, when set, is shared by the configurations of one run, parsed
	// one after another: it caps the lines they read through Include
	// together (maxRunIncludedLines).
	Run *RunBudget
	// Mounted maps the container paths of the files a pod mounts (its
	// ConfigMap entries) to them: an Include is resolved against these,
	// relative paths against MountRoot (the image's ServerRoot), and a
	// path none of them provides comes from the image and is not read.
	Mounted   map[string]*parsers.File
	MountRoot string
}

// MaxFiles caps how many files one tree may read, so that a wildcard over
// a huge directory cannot stall a run.
const MaxFiles = 2000

// builtinModules are compiled into Debian's and most distributions' httpd
// (apache2 -l), so <IfModule> finds them without a LoadModule line.
var builtinModules = []string{
	"core.c", "http_core.c", "mod_so.c", "mod_watchdog.c", "mod_log_config.c",
	"mod_logio.c", "mod_version.c", "mod_unixd.c",
	"core_module", "http_module", "so_module", "watchdog_module", "log_config_module",
	"logio_module", "version_module", "unixd_module",
}

// Parse reads the tree rooted at f.
func Parse(f *parsers.File, opt Options) *Config {
	if opt.Open == nil {
		opt.Open = func(abs string) (*parsers.File, error) { return openWithin(f, abs) }
	}
	// First pass: every <IfModule> active, to learn whether any LoadModule
	// is reachable at all. If one is, read again evaluating them.
	var before int
	if opt.Run != nil {
		before = opt.Run.lines
	}
	r := newReader(f, opt, true)
	r.run()
	if r.cfg.LoadModules {
		if opt.Run != nil {
			opt.Run.lines = before // the second reading replaces the first
		}
		r = newReader(f, opt, false)
		r.run()
	}
	r.cfg.check()
	return r.cfg
}

func openWithin(root *parsers.File, abs string) (*parsers.File, error) {
	data, err := parsers.ReadWithin(root.Root, abs)
	if err != nil {
		return nil, err
	}
	return parsers.NewFile(relTo(root, abs), abs, root.Root, parsers.FormatApache, data), nil
}

// relTo names abs for findings, relative to the directory root's path is
// relative to.
func relTo(root *parsers.File, abs string) string {
	rel, err := filepath.Rel(filepath.Dir(root.Abs), abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return path.Clean(path.Join(path.Dir(root.Path), filepath.ToSlash(rel)))
}

type reader struct {
	opt       Options
	cfg       *Config
	assumeAll bool
	stack     []string // files being read, for cycle detection
	seen      map[string]bool
	nfiles    int
	srvRoot   string // absolute ServerRoot inside the linted root, or ""
	srvRootOK bool   // ServerRoot set (inside or outside the root)
	overflow  bool   // the current line's ${VAR} expansion was over maxResolvedLine
	deepNoted bool   // the section depth limit was reported
	listed    int    // directories listed for Include wildcards and directories
	// unknown are variables whose expansion was refused (maxResolvedLine).
	unknown map[string]bool
	// incl is the Include being expanded; loopNoted the included
	// directories whose symlink loop was reported.
	incl      *Directive
	loopNoted map[string]bool
	runNoted  bool // the run-wide include limit was reported
}

func newReader(f *parsers.File, opt Options, assumeAll bool) *reader {
	cfg := &Config{File: f, Comments: map[string][]parsers.Comment{}, Modules: map[string]bool{}, Defines: map[string]string{}, Version: opt.Version}
	for _, m := range builtinModules {
		cfg.Modules[m] = true
	}
	return &reader{opt: opt, cfg: cfg, assumeAll: assumeAll, seen: map[string]bool{}}
}

func (r *reader) run() {
	f := r.cfg.File
	r.readFile(f, nil, nil, nil, &r.cfg.Directives)
}

func (r *reader) issue(rg parsers.Range, format string, args ...any) {
	r.cfg.Issues = append(r.cfg.Issues, Issue{Problem: parsers.Problem{Kind: parsers.ProblemParse, Range: rg, Message: fmt.Sprintf(format, args...)}, Fatal: true})
}

// frame is an open section while a file is read.
type frame struct {
	name   string     // as written, without "<"
	d      *Directive // nil for a conditional section
	line   *logical
	assume string // condition taken as true, for the directives inside
}

// readFile reads f, appending its directives under parent, or to top when
// parent is nil. assumed are the conditions of the sections around the
// Include that reads it.
func (r *reader) readFile(f *parsers.File, parent *Directive, incl *Directive, assumed []string, top *[]*Directive) {
	r.nfiles++
	r.stack = append(r.stack, f.Abs)
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()
	if !r.seen[f.Abs] {
		r.seen[f.Abs] = true
		r.cfg.Files = append(r.cfg.Files, f)
	}
	if r.tooLong(f) {
		return
	}
	lines := splitLogical(f.Bytes())
	firstRead := r.cfg.Comments[f.Path] == nil
	var frames []*frame
	cur := func() *Directive {
		for i := len(frames) - 1; i >= 0; i-- {
			if frames[i].d != nil {
				return frames[i].d
			}
		}
		return parent
	}
	curAssumed := func() []string {
		as := append([]string(nil), assumed...)
		for _, fr := range frames {
			if fr.assume != "" {
				as = append(as, fr.assume)
			}
		}
		return as
	}
	add := func(d *Directive) {
		p := cur()
		d.Parent = p
		if p != nil {
			p.Children = append(p.Children, d)
		} else {
			*top = append(*top, d)
		}
	}
	lineRange := func(l *logical) parsers.Range {
		sl, sc := l.pos(l.from)
		el, ec := l.pos(l.to)
		return f.At(sl, sc, el, ec)
	}

	for i := 0; i < len(lines); i++ {
		l := lines[i]
		text := l.content()
		if text[0] == '#' {
			if firstRead {
				ln, col := l.pos(l.from)
				p := f.At(ln, col, ln, col)
				r.cfg.Comments[f.Path] = append(r.cfg.Comments[f.Path], parsers.Comment{Line: p.Start.Line, Col: p.Start.Col, Text: text[1:]})
			}
			continue
		}
		resolved, unresolved := r.resolve(lineRange(l), text)
		toks := tokenize(resolved)
		if len(toks) == 0 {
			continue
		}
		name := toks[0].val
		rng := lineRange(l)

		// Closing tag.
		if strings.HasPrefix(name, "</") {
			if !strings.HasSuffix(name, ">") || len(name) < 4 {
				r.issue(rng, "%s directive missing closing '>'; write %s>", name, name)
				continue
			}
			cname := name[2 : len(name)-1]
			if len(frames) == 0 {
				r.issue(rng, "</%s> without matching <%s> section", cname, cname)
				continue
			}
			top := frames[len(frames)-1]
			if strings.EqualFold(top.name, cname) {
				frames = frames[:len(frames)-1]
				continue
			}
			// Mismatch: report as httpd does, then recover by closing up to
			// the matching section if there is one.
			if top.d == nil {
				r.issue(rng, "</%s> without matching <%s> section (the <%s> opened on line %d is still open)", cname, cname, top.name, top.line.firstLine()+f.Shift.Line)
			} else {
				r.issue(rng, "expected </%s> but saw </%s>; the <%s> opened on line %d is still open", top.name, cname, top.name, top.line.firstLine()+f.Shift.Line)
			}
			for j := len(frames) - 1; j >= 0; j-- {
				if strings.EqualFold(frames[j].name, cname) {
					frames = frames[:j]
					break
				}
			}
			continue
		}

		d := &Directive{File: f, Line: l.firstLine(), Range: rng, Unresolved: unresolved, IncludedBy: incl}
		if strings.HasPrefix(name, "<") && len(name) > 1 {
			// Section: "<Name args>".
			d.Section = true
			d.Name = strings.TrimSuffix(name[1:], ">")
			argText := strings.TrimSpace(resolved[toks[0].end:])
			if strings.HasSuffix(name, ">") {
				argText = ""
			}
			if !strings.HasSuffix(name, ">") && argText == "" {
				argText = ">"
			}
			end := strings.LastIndexByte(argText, '>')
			if end < 0 && !strings.HasSuffix(name, ">") {
				r.issue(rng, "<%s> directive missing closing '>'", d.Name)
			} else if end >= 0 {
				argText = argText[:end]
			}
			for _, t := range tokenize(argText) {
				d.Args = append(d.Args, t.val)
			}
			d.argRanges = r.argRanges(f, l, text, resolved, toks)
			if d.Name == "" {
				r.issue(rng, "a section without a name")
				continue
			}
			if isConditional(d.Name) {
				active, assume, err := r.evalCond(d)
				if err != "" {
					r.issue(rng, "%s", err)
				}
				if active && r.tooDeep(rng, len(frames)) {
					i = r.soak(f, lines, i, d.Name)
					continue
				}
				if active {
					frames = append(frames, &frame{name: d.Name, line: l, assume: assume})
					continue
				}
				i = r.soak(f, lines, i, d.Name)
				continue
			}
			if strings.EqualFold(d.Name, "Macro") {
				// mod_macro bodies are templates, read only where Use
				// expands them; hoplint does not expand them.
				i = r.soak(f, lines, i, d.Name)
				continue
			}
			if r.tooDeep(rng, len(frames)) {
				i = r.soak(f, lines, i, d.Name)
				continue
			}
			d.Assumed = curAssumed()
			add(d)
			frames = append(frames, &frame{name: d.Name, d: d, line: l})
			continue
		}

		d.Name = name
		for _, t := range toks[1:] {
			d.Args = append(d.Args, t.val)
		}
		d.argRanges = r.argRanges(f, l, text, resolved, toks)
		d.Assumed = curAssumed()
		if r.readTime(d, cur(), curAssumed(), top) {
			continue
		}
		add(d)
	}
	for _, fr := range frames {
		if fr.d == nil {
			// httpd ends an active conditional section silently at the end
			// of a file; only an inactive one is an error (see soak).
			continue
		}
		r.issue(fr.d.Range, "<%s> was not closed: add </%s> in the same file", fr.name, fr.name)
	}
}

// argRanges maps the words of a line to ranges, when ${VAR} replacement
// kept their number (otherwise positions are unknown).
func (r *reader) argRanges(f *parsers.File, l *logical, text, resolved string, toks []token) []parsers.Range {
	raw := toks
	if text != resolved {
		raw = tokenize(text)
		if len(raw) != len(toks) {
			return nil
		}
	}
	out := make([]parsers.Range, 0, len(raw)-1)
	for _, t := range raw[1:] {
		sl, sc := l.pos(l.from + t.start)
		el, ec := l.pos(l.from + t.end)
		out = append(out, f.At(sl, sc, el, ec))
	}
	return out
}

// soak skips an inactive section the way ap_soak_end_container does: only
// "<" words open and close nested sections, and the first closing word must
// match. It returns the index of the closing line.
func (r *reader) soak(f *parsers.File, lines []*logical, i int, name string) int {
	open := lines[i]
	var names []string
	names = append(names, name)
	for j := i + 1; j < len(lines); j++ {
		toks := tokenize(lines[j].content())
		if len(toks) == 0 || !strings.HasPrefix(toks[0].val, "<") {
			continue
		}
		w := toks[0].val
		if strings.HasPrefix(w, "</") {
			// httpd drops the last character, whatever it is.
			got := ""
			if len(w) > 2 {
				got = w[2 : len(w)-1]
			}
			want := names[len(names)-1]
			if !strings.EqualFold(got, want) {
				sl, sc := lines[j].pos(lines[j].from)
				el, ec := lines[j].pos(lines[j].to)
				r.issue(f.At(sl, sc, el, ec), "expected </%s> but saw %s", want, w)
				return j
			}
			names = names[:len(names)-1]
			if len(names) == 0 {
				return j
			}
			continue
		}
		if len(toks) == 1 {
			w = strings.TrimSuffix(w, ">")
		}
		names = append(names, w[1:])
	}
	sl, sc := open.pos(open.from)
	el, ec := open.pos(open.to)
	r.issue(f.At(sl, sc, el, ec), "expected </%s> before the end of the file: <%s> was not closed", names[0], names[0])
	return len(lines) - 1
}

func isConditional(name string) bool {
	switch strings.ToLower(name) {
	case "ifmodule", "ifdefine", "ifversion", "iffile", "ifdirective", "ifsection":
		return true
	}
	return false
}

// evalCond decides a read-time conditional section. assume is the note to
// attach when the answer is a guess.
func (r *reader) evalCond(d *Directive) (active bool, assume string, err string) {
	args := d.Args
	if len(args) == 0 {
		return false, "", fmt.Sprintf("<%s> needs an argument", d.Name)
	}
	not := false
	arg := args[0]
	if strings.HasPrefix(arg, "!") {
		not = true
		arg = arg[1:]
		if arg == "" && len(args) > 1 {
			arg = args[1]
		}
	}
	if arg == "" {
		return false, "", fmt.Sprintf("<%s> needs an argument", d.Name)
	}
	var res bool
	where := fmt.Sprintf("%s:%d", d.File.Path, d.Range.Start.Line)
	switch strings.ToLower(d.Name) {
	case "ifmodule":
		if r.assumeAll {
			if not {
				return false, "", ""
			}
			return true, fmt.Sprintf("<IfModule %s> (%s) is taken as active because no LoadModule line is in the linted files", arg, where), ""
		}
		res = r.cfg.Modules[arg] || r.cfg.Modules[strings.ToLower(arg)]
	case "ifdefine":
		_, res = r.cfg.Defines[arg]
	case "ifversion":
		ok, known := matchVersion(r.cfg.Version, d.Args)
		if !known {
			return true, fmt.Sprintf("<IfVersion %s> (%s) is taken as active because the httpd version is unknown (set versions.apache in .hoplint.yml)", strings.Join(d.Args, " "), where), ""
		}
		return ok, "", ""
	default: // IfFile, IfDirective, IfSection: decided on the server
		return true, fmt.Sprintf("<%s %s> (%s) is taken as active: it depends on the server hoplint cannot see", d.Name, strings.Join(d.Args, " "), where), ""
	}
	return res != not, "", ""
}

// readTime runs the directives httpd executes while reading (Include,
// Define, UnDefine, LoadModule, ServerRoot). It returns true when the
// directive was replaced by what it read (Include).
func (r *reader) readTime(d *Directive, parent *Directive, assumed []string, top *[]*Directive) bool {
	switch strings.ToLower(d.Name) {
	case "define":
		if len(d.Args) >= 1 {
			v := ""
			if len(d.Args) > 1 {
				v = d.Args[1]
			}
			if strings.Contains(d.Args[0], ":") {
				r.issue(d.Range, "Define: the variable name %q must not contain ':'", d.Args[0])
			}
			if r.overflow {
				// Too long to expand: the value is unknown from here on.
				r.defineUnknown(d.Args[0])
				break
			}
			delete(r.unknown, d.Args[0])
			r.cfg.Defines[d.Args[0]] = v
		}
	case "undefine":
		if len(d.Args) >= 1 {
			delete(r.cfg.Defines, d.Args[0])
		}
	case "loadmodule":
		r.cfg.LoadModules = true
		if len(d.Args) >= 1 {
			id := d.Args[0]
			r.cfg.Modules[id] = true
			r.cfg.Modules[strings.ToLower(id)] = true
			r.cfg.Modules["mod_"+strings.TrimSuffix(id, "_module")+".c"] = true
			if len(d.Args) >= 2 {
				base := path.Base(filepath.ToSlash(d.Args[1]))
				src := strings.TrimSuffix(base, path.Ext(base)) + ".c"
				r.cfg.Modules[src] = true
				if strings.HasPrefix(src, "mod_mpm_") {
					r.cfg.Modules[strings.TrimPrefix(src, "mod_mpm_")] = true
				}
			}
		}
	case "serverroot":
		r.cfg.ServerRoot = d
		r.srvRootOK, r.srvRoot = true, ""
		if len(d.Args) == 1 && !d.Unresolved && !r.opt.NoIncludes {
			root := d.Args[0]
			if !filepath.IsAbs(root) {
				root = filepath.Join(r.cfg.File.Root, root)
			}
			root = filepath.Clean(root)
			if parsers.Within(r.cfg.File.Root, root) {
				if st, err := os.Stat(root); err == nil && st.IsDir() {
					r.srvRoot = root
				}
			}
		}
	case "include", "includeoptional":
		r.include(d, parent, assumed, top)
		return true
	}
	return false
}

func hasWildcard(s string) bool { return strings.ContainsAny(s, "*?[") }

// buildPlaceholder is an autoconf substitution (@rel_sysconfdir@,
// @@ServerRoot@@) in the templates httpd's build installs (httpd.conf.in).
var buildPlaceholder = regexp.MustCompile(`@@?[A-Za-z_][A-Za-z0-9_]*@@?`)

// include reads the files an Include names, in httpd's order, into parent.
func (r *reader) include(d *Directive, parent *Directive, assumed []string, top *[]*Directive) {
	optional := d.Is("IncludeOptional")
	if len(d.Args) != 1 {
		r.issue(d.Range, "%s takes one argument, the file, directory or wildcard to include", d.Name)
		return
	}
	arg := d.Args[0]
	unfollow := func(reason string) {
		r.cfg.Unfollowed = append(r.cfg.Unfollowed, Unfollowed{D: d, Reason: reason})
	}
	switch {
	case r.opt.Mounted != nil && !d.Unresolved:
		r.includeMounted(d, arg, parent, assumed, top, unfollow)
		return
	case r.opt.NoIncludes:
		unfollow("it names a file on the server, and this configuration is embedded in another file")
		return
	case d.Unresolved:
		unfollow("its path uses a ${VAR} that no Define sets")
		return
	case buildPlaceholder.MatchString(arg):
		unfollow("its path holds " + buildPlaceholder.FindString(arg) + ", a placeholder that httpd's build replaces when it installs this file (a .in file is a template of the build), so the path is known only after the build")
		return
	}
	root := r.cfg.File.Root
	var bases []string
	known := false
	if filepath.IsAbs(arg) {
		bases = []string{""}
		known = true
		if !parsers.Within(root, filepath.Clean(arg)) {
			unfollow("it is outside the linted directory")
			return
		}
	} else if r.srvRoot != "" {
		bases = []string{r.srvRoot}
		known = true
	} else {
		// ServerRoot is not set, or not inside the linted directory: try
		// the directory of the main file, of the including file, and
		// the linted root, then their parent directories up to the root
		// (a vhost template one level below the tree it includes from).
		for _, start := range []string{filepath.Dir(r.cfg.File.Abs), filepath.Dir(d.File.Abs), root} {
			if parsers.Within(root, start) && !containsStr(bases, start) {
				bases = append(bases, start)
			}
		}
		for _, start := range []string{filepath.Dir(r.cfg.File.Abs), filepath.Dir(d.File.Abs)} {
			for b := filepath.Dir(start); parsers.Within(root, b) && b != root; b = filepath.Dir(b) {
				if !containsStr(bases, b) {
					bases = append(bases, b)
				}
			}
		}
	}
	var files []string
	matchedAny := false
	for _, b := range bases {
		p := arg
		if b != "" {
			p = filepath.Join(b, arg)
		}
		r.incl = d
		fs, matched := r.expand(filepath.Clean(p))
		r.incl = nil
		if matched {
			files, matchedAny = fs, true
			break
		}
	}
	if !matchedAny {
		switch {
		case optional && known:
		case known:
			if hasWildcard(arg) {
				r.issue(d.ArgRange(0), "Include %s matches no file, so httpd refuses to start; use IncludeOptional if that is expected", arg)
			} else {
				r.issue(d.ArgRange(0), "Include %s: no such file, so httpd refuses to start", arg)
			}
		case optional:
			unfollow("no file under the linted directory matches it (ServerRoot is not known)")
		case r.mainFile():
			// The main configuration itself is being linted: advising to
			// lint "the directory that holds the main httpd.conf" would
			// send the reader in a circle. Say where httpd looks instead.
			unfollow(r.serverRootWords() + ", so the file is on the server only, where hoplint does not look (httpd resolves a relative Include against ServerRoot)")
		default:
			// A file linted without the httpd.conf that includes it (or
			// its ServerRoot): the run that would read it is the one to name.
			unfollow("no file under the linted directory matches it, and without a ServerRoot inside the linted directory hoplint cannot tell where httpd would look (lint the directory that holds the main httpd.conf to have it read)")
		}
		return
	}
	for _, abs := range files {
		for _, s := range r.stack {
			if s == abs {
				r.issue(d.Range, "Include cycle: %s includes %s, which is already being read; httpd gives up after 128 nested includes", d.File.Path, relTo(r.cfg.File, abs))
				return
			}
		}
		if r.nfiles >= MaxFiles {
			r.issue(d.Range, "%s: more than %d files in one configuration; hoplint stopped reading includes", d.Name, MaxFiles)
			return
		}
		f, err := r.opt.Open(abs)
		if err != nil {
			if errors.Is(err, parsers.ErrOutsideRoot) {
				unfollow("it resolves outside the linted directory")
				continue
			}
			r.issue(d.Range, "%s %s: cannot read %s: %v", d.Name, arg, relTo(r.cfg.File, abs), err)
			continue
		}
		if !r.charge(d, f) {
			return
		}
		r.readFile(f, parent, d, assumed, top)
	}
}

// mainFile reports whether the configuration being read is a main httpd
// configuration (by the names httpd and the distributions give it), not a
// fragment that some other file includes.
func (r *reader) mainFile() bool {
	switch strings.ToLower(filepath.Base(r.cfg.File.Path)) {
	case "httpd.conf", "apache2.conf", "httpd.conf.in":
		return true
	}
	return false
}

// serverRootWords says why a relative Include of a main file was not
// found: its ServerRoot is outside the linted directory, or not set.
func (r *reader) serverRootWords() string {
	if d := r.cfg.ServerRoot; r.srvRootOK && d != nil && len(d.Args) == 1 {
		return "no file under the linted directory matches it, and ServerRoot " + d.Args[0] + " is outside the linted directory"
	}
	return "no file under the linted directory matches it, and this file sets no ServerRoot, so httpd uses the one it was built with or given with -d (https://httpd.apache.org/docs/2.4/mod/core.html#serverroot)"
}
