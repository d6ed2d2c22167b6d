// Package dockerfile reads Dockerfiles with BuildKit's own parser
// (github.com/moby/buildkit/frontend/dockerfile/parser, what docker build
// runs) into stages: the image each starts FROM, and what each sets that
// can matter on the request path: CMD and ENTRYPOINT, ENV, EXPOSE, COPY and
// ADD (configuration put into the image), USER and WORKDIR, each with its
// lines.
//
// Values are what the Dockerfile alone gives: ARG defaults are substituted
// where they are written literally; a value that needs a build argument
// with no default is unknown (Known false). A build may override an ARG
// with --build-arg; callers that know the build arguments (a compose
// build.args) say so themselves.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/hoplint/hoplint/parsers"
)

// Dockerfile is one parsed Dockerfile.
type Dockerfile struct {
	File *parsers.File
	// Args are the ARGs declared before the first FROM (usable in FROM
	// lines only, and in stages that declare them again).
	Args     []Arg
	Stages   []*Stage
	Comments []parsers.Comment
	Problems []parsers.Problem
}

// Arg is one ARG.
type Arg struct {
	Name       string
	Default    string
	HasDefault bool
	Range      parsers.Range
}

// Stage is one FROM and what follows it.
type Stage struct {
	Index int
	// Name is the AS name ("" when none).
	Name string
	// Image is the FROM argument as written; ImageResolved has the ARG
	// defaults substituted (Known false when one has none).
	Image         string
	ImageResolved string
	ImageKnown    bool
	// Base is the earlier stage this one starts FROM, nil for an image.
	Base     *Stage
	Platform string
	Range    parsers.Range

	// Cmd and Entrypoint are nil when neither the stage nor a base stage
	// sets them (the image's own then applies).
	Cmd        *Command
	Entrypoint *Command
	// Env in order of writing, inherited from a base stage first.
	Env     []EnvVar
	Expose  []Value
	Copies  []Copy
	User    *Value
	Workdir *Value
	// Instructions are every instruction of the stage, FROM included.
	Instructions []Instruction
}

// Command is a CMD or ENTRYPOINT.
type Command struct {
	// Args is what runs: the exec form's list, or ["/bin/sh", "-c", Raw]
	// for the shell form.
	Args []string
	Exec bool
	// Raw is the instruction's arguments as written.
	Raw   string
	Range parsers.Range
}

// EnvVar is one ENV key and value.
type EnvVar struct {
	Key   string
	Value string
	Known bool
	Range parsers.Range
}

// Value is an instruction's argument (EXPOSE port, USER, WORKDIR).
type Value struct {
	Value string
	Known bool
	Range parsers.Range
}

// Copy is a COPY or ADD.
type Copy struct {
	Add bool
	// Sources are relative to the build context, or to the stage named by
	// From.
	Sources []string
	Dest    string
	// From is the --from value; FromStage the stage it names (nil for an
	// image or a build context).
	From      string
	FromStage *Stage
	// Heredoc: the sources are inline text, not files.
	Heredoc bool
	Known   bool
	Range   parsers.Range
}

// Instruction is one instruction as written.
type Instruction struct {
	// Cmd is the lower-case instruction name ("copy").
	Cmd      string
	Original string
	Range    parsers.Range
}

// Final returns the last stage (what `docker build` builds without
// --target), or nil.
func (d *Dockerfile) Final() *Stage {
	if len(d.Stages) == 0 {
		return nil
	}
	return d.Stages[len(d.Stages)-1]
}

// Target returns the stage a build with --target name builds (the final
// stage for ""), or nil when no stage has that name. Stage names are
// case-insensitive, as BuildKit compares them.
func (d *Dockerfile) Target(name string) *Stage {
	if name == "" {
		return d.Final()
	}
	for _, s := range d.Stages {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// EnvMap returns the stage's environment, later ENV over earlier.
func (s *Stage) EnvMap() map[string]EnvVar {
	out := map[string]EnvVar{}
	for _, e := range s.Env {
		out[e.Key] = e
	}
	return out
}

// maxInstructions caps the instructions typed per file; a real Dockerfile
// has tens.
const maxInstructions = 100000

// maxValue caps a value after variable expansion; beyond it the value is
// unknown.
const maxValue = 1 << 20

// Parse parses f.
func Parse(f *parsers.File) (d *Dockerfile) {
	d = &Dockerfile{File: f}
	if len(f.Bytes()) > parsers.MaxFileSize {
		d.problem(f.LineRange(1), fmt.Sprintf("file is over hoplint's limit of %d bytes; not read", parsers.MaxFileSize))
		return d
	}
	defer func() {
		// BuildKit's parser is trusted to be total, but a bad file must
		// never take hoplint down with it.
		if r := recover(); r != nil {
			d.Stages = nil
			d.problem(f.LineRange(1), fmt.Sprintf("BuildKit's parser failed on this file (%v)", r))
		}
	}()
	res, err := parser.Parse(bytes.NewReader(f.Bytes()))
	if err != nil {
		r := f.LineRange(1)
		var le *parser.LocationError
		if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
			r = lines(f, le.Locations[0][0].Start.Line, le.Locations[0][0].End.Line)
		}
		d.problem(r, "docker build would not read this Dockerfile: "+err.Error())
		return d
	}
	d.comments()
	b := &builder{d: d, f: f, escape: res.EscapeToken}
	for i, n := range res.AST.Children {
		if i >= maxInstructions {
			d.problem(f.LineRange(n.StartLine), fmt.Sprintf("this Dockerfile has more than %d instructions; hoplint reads the first %d", maxInstructions, maxInstructions))
			break
		}
		b.instruction(n)
	}
	return d
}

func (d *Dockerfile) problem(r parsers.Range, msg string) {
	d.Problems = append(d.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: r, Message: msg})
}

// lines covers lines start to end from the first to the last non-blank
// byte.
func lines(f *parsers.File, start, end int) parsers.Range {
	if start < 1 {
		start = 1
	}
	if end < start {
		end = start
	}
	s, e := f.LineRange(start), f.LineRange(end)
	s.End = e.End
	return s
}

// comments collects # comments (Dockerfiles have no other kind) for
// suppressions.
func (d *Dockerfile) comments() {
	f := d.File
	if !bytes.Contains(f.Bytes(), []byte(parsers.DirectiveMarker)) {
		return
	}
	for i := 1; i <= f.NumLines(); i++ {
		t := f.Line(i)
		trimmed := strings.TrimLeft(t, " \t")
		if strings.HasPrefix(trimmed, "#") {
			d.Comments = append(d.Comments, parsers.Comment{Line: i + f.Shift.Line, Col: len(t) - len(trimmed) + 1 + f.Shift.Col, Text: strings.TrimPrefix(trimmed, "#")})
		}
	}
}

// env is what ${VAR} can name at one point of the Dockerfile.
type env map[string]string

func (e env) Get(k string) (string, bool) {
	v, ok := e[k]
	return v, ok
}

func (e env) Keys() []string {
	out := make([]string, 0, len(e))
	for k := range e {
		out = append(out, k)
	}
	return out
}

type builder struct {
	d      *Dockerfile
	f      *parsers.File
	escape rune
	global env // ARG defaults before the first FROM
	stage  *Stage
	vars   env // ARG defaults and ENV of the current stage
}

// expand substitutes variables in word as BuildKit does; known is false
// when it names a variable with no value.
func (b *builder) expand(word string, vars env) (string, bool) {
	if !strings.ContainsAny(word, "$\"'") && !strings.ContainsRune(word, b.escape) {
		return word, true
	}
	lex := shell.NewLex(b.escape)
	res, err := lex.ProcessWordWithMatches(word, vars)
	if err != nil {
		return word, false
	}
	if len(res.Result) > maxValue {
		// ENV A=${A}${A}, again and again: the value doubles each time.
		return "", false
	}
	return res.Result, len(res.Unmatched) == 0
}

func (b *builder) instruction(n *parser.Node) {
	cmd := strings.ToLower(n.Value)
	r := lines(b.f, n.StartLine, n.EndLine)
	args := nextValues(n)
	if cmd == "from" {
		b.from(n, args, r)
		return
	}
	if b.stage == nil {
		if cmd == "arg" {
			if b.global == nil {
				b.global = env{}
			}
			for _, a := range b.args(args, r, b.global) {
				b.d.Args = append(b.d.Args, a)
				if a.HasDefault {
					b.global[a.Name] = a.Default
				}
			}
		}
		return
	}
	s := b.stage
	s.Instructions = append(s.Instructions, Instruction{Cmd: cmd, Original: n.Original, Range: r})
	switch cmd {
	case "arg":
		for _, a := range b.args(args, r, b.vars) {
			switch {
			case a.HasDefault:
				b.vars[a.Name] = a.Default
			default:
				// ARG NAME inside a stage takes the global default.
				if v, ok := b.global[a.Name]; ok {
					b.vars[a.Name] = v
				}
			}
		}
	case "env":
		// BuildKit's parser gives key, value, separator for each pair.
		for i := 0; i+1 < len(args); i += 3 {
			v, known := b.expand(args[i+1], b.vars)
			s.Env = append(s.Env, EnvVar{Key: args[i], Value: v, Known: known, Range: r})
			if known {
				b.vars[args[i]] = v
			} else {
				delete(b.vars, args[i])
			}
		}
	case "cmd", "entrypoint":
		c := &Command{Raw: rest(n.Original), Range: r}
		if n.Attributes["json"] {
			c.Exec, c.Args = true, args
		} else if len(args) > 0 {
			c.Args = []string{"/bin/sh", "-c", args[0]}
		}
		if cmd == "cmd" {
			s.Cmd = c
		} else {
			s.Entrypoint = c
			// Setting ENTRYPOINT resets a CMD inherited from the base.
			if s.Base != nil && s.Cmd == s.Base.Cmd {
				s.Cmd = nil
			}
		}
	case "expose":
		for _, a := range args {
			v, known := b.expand(a, b.vars)
			s.Expose = append(s.Expose, Value{Value: v, Known: known, Range: r})
		}
	case "copy", "add":
		c := Copy{Add: cmd == "add", Heredoc: len(n.Heredocs) > 0, Known: true, Range: r}
		for _, fl := range n.Flags {
			if v, ok := strings.CutPrefix(fl, "--from="); ok {
				c.From = v
				c.FromStage = b.earlier(v)
			}
		}
		if len(args) > 0 {
			for _, a := range args[:len(args)-1] {
				v, known := b.expand(a, b.vars)
				c.Sources = append(c.Sources, v)
				c.Known = c.Known && known
			}
			v, known := b.expand(args[len(args)-1], b.vars)
			c.Dest, c.Known = v, c.Known && known
		}
		s.Copies = append(s.Copies, c)
	case "user", "workdir":
		if len(args) == 0 {
			return
		}
		v, known := b.expand(args[0], b.vars)
		val := &Value{Value: v, Known: known, Range: r}
		if cmd == "user" {
			s.User = val
		} else {
			s.Workdir = val
		}
	}
}

// args reads the NAME[=default] entries of one ARG instruction.
func (b *builder) args(words []string, r parsers.Range, vars env) []Arg {
	var out []Arg
	for _, w := range words {
		name, def, has := strings.Cut(w, "=")
		a := Arg{Name: name, HasDefault: has, Range: r}
		if has {
			v, known := b.expand(def, vars)
			if !known {
				has = false
			}
			a.Default, a.HasDefault = v, has
		}
		out = append(out, a)
	}
	return out
}

func (b *builder) from(n *parser.Node, args []string, r parsers.Range) {
	s := &Stage{Index: len(b.d.Stages), Range: r}
	if len(args) > 0 {
		s.Image = args[0]
	}
	if len(args) >= 3 && strings.EqualFold(args[1], "as") {
		s.Name = strings.ToLower(args[2])
	}
	for _, fl := range n.Flags {
		if v, ok := strings.CutPrefix(fl, "--platform="); ok {
			s.Platform = v
		}
	}
	s.ImageResolved, s.ImageKnown = b.expand(s.Image, b.global)
	s.Instructions = append(s.Instructions, Instruction{Cmd: "from", Original: n.Original, Range: r})
	b.vars = env{}
	if s.ImageKnown {
		if base := b.earlier(s.ImageResolved); base != nil && !strings.ContainsAny(s.ImageResolved, "/:@") {
			s.Base = base
			s.Cmd, s.Entrypoint, s.User, s.Workdir = base.Cmd, base.Entrypoint, base.User, base.Workdir
			s.Env = append(s.Env, base.Env...)
			s.Expose = append(s.Expose, base.Expose...)
			for _, e := range base.Env {
				if e.Known {
					b.vars[e.Key] = e.Value
				}
			}
		}
	}
	b.d.Stages = append(b.d.Stages, s)
	b.stage = s
}

// nextValues returns the values of an instruction's argument nodes.
func nextValues(n *parser.Node) []string {
	var out []string
	for a := n.Next; a != nil; a = a.Next {
		out = append(out, a.Value)
		if len(out) > maxInstructions {
			break
		}
	}
	return out
}

// earlier returns the stage a FROM or --from names: an earlier stage's
// name or index, or nil for an image.
func (b *builder) earlier(name string) *Stage {
	if name == "" {
		return nil
	}
	if i, err := strconv.Atoi(name); err == nil {
		if i >= 0 && i < len(b.d.Stages) {
			return b.d.Stages[i]
		}
		return nil
	}
	for _, s := range b.d.Stages {
		if s.Name != "" && strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// rest is an instruction's text after its name, continuation lines
// joined.
func rest(original string) string {
	t := strings.TrimLeft(original, " \t")
	if i := strings.IndexAny(t, " \t"); i >= 0 {
		return strings.TrimSpace(t[i:])
	}
	return ""
}
