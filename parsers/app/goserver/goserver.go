// Package goserver reads the HTTP server settings of a Go program from its
// source: net/http.Server composite literals and the fields assigned to
// them later (IdleTimeout, ReadTimeout, ReadHeaderTimeout, WriteTimeout,
// MaxHeaderBytes, Addr), the package-level http.ListenAndServe family (no
// limits at all), gin's router.Run (the same) and echo's Start (a bare
// http.Server that the code may configure through e.Server).
//
// Files are parsed with go/parser and never type-checked or run. Values
// fold from literals, time units (30 * time.Second) and constants or
// never-reassigned variables of the same package; a value returned by a
// call is Unknown, with the call written down so that a caller can look
// for the option behind it (see OptionDefault).
package goserver

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/app/internal/srcguard"
)

// MaxSize is the largest Go file read: generated code (bindata, protobuf
// tables) is larger and holds no server setup worth the parse.
const MaxSize = 2 << 20

// Kind is how a server is started.
type Kind string

// Kinds of servers.
const (
	// KindServer is an http.Server written as a composite literal (or
	// new(http.Server), or echo's e.Server).
	KindServer Kind = "http.Server"
	// KindListenAndServe is http.ListenAndServe, ListenAndServeTLS or
	// Serve: an http.Server with every timeout zero (none).
	KindListenAndServe Kind = "http.ListenAndServe"
	// KindGinRun is gin's Engine.Run / RunTLS, which calls
	// http.ListenAndServe.
	KindGinRun Kind = "gin.Run"
	// KindEchoStart is echo's Start / StartTLS on its own e.Server.
	KindEchoStart Kind = "echo.Start"
)

// Fields are the http.Server fields read.
var Fields = map[string]bool{"IdleTimeout": true, "ReadTimeout": true, "ReadHeaderTimeout": true,
	"WriteTimeout": true, "MaxHeaderBytes": true, "Addr": true}

// Server is one HTTP server of the package.
type Server struct {
	Kind  Kind
	Range parsers.Range // the literal or call
	// Var is the variable holding it, when there is one.
	Var string
	// Settings in source order; the last of a name wins.
	Settings []Setting
}

// Setting returns the last setting called name, or nil (the zero value:
// no timeout, or DefaultMaxHeaderBytes).
func (s *Server) Setting(name string) *Setting {
	for i := len(s.Settings) - 1; i >= 0; i-- {
		if s.Settings[i].Name == name {
			return &s.Settings[i]
		}
	}
	return nil
}

// Setting is one field, in a literal or assigned.
type Setting struct {
	Name  string
	Value Value
	Range parsers.Range // key: value, or the assignment
}

// ValueKind says what is known about a Value.
type ValueKind int

// Kinds of values.
const (
	Unknown ValueKind = iota
	Duration
	Int
	String
)

// Value is a field's value.
type Value struct {
	Kind     ValueKind
	Duration time.Duration
	Int      int64
	Str      string
	// Reason says why a value is Unknown.
	Reason string
	// Call is the function a value is returned by ("config.Opts.HTTPServerTimeout"),
	// when it is a call without arguments: an option accessor, perhaps.
	Call  string
	Text  string
	Range parsers.Range
}

// Result is what the files of one package say.
type Result struct {
	Servers  []*Server
	Problems []parsers.Problem
}

var needles = [][]byte{[]byte("net/http"), []byte("gin-gonic/gin"), []byte("labstack/echo")}

// Interesting reports, by a byte search, whether a Go file can start or
// configure a server this package reads.
func Interesting(data []byte) bool {
	for _, n := range needles {
		if bytes.Contains(data, n) {
			return true
		}
	}
	return false
}

// maxNesting bounds bracket nesting: go/parser allows 100,000 levels and
// takes seconds to refuse them; real code nests a few dozen.
const maxNesting = 500

// global is a package-level constant or variable: its value and the name
// its file gives the time package.
type global struct {
	expr ast.Expr
	time string
}

// pkg is the package being read.
type pkg struct {
	fset  *token.FileSet
	files map[*token.File]*parsers.File
	// globals maps a package-level constant, or a variable never assigned
	// after its declaration, to its value expression.
	globals map[string]global
	res     *Result
}

// Parse reads the Go files of one package (one directory). Files of other
// packages must be parsed apart: constants are looked up by name within
// the files given.
func Parse(files []*parsers.File) *Result {
	p := &pkg{fset: token.NewFileSet(), files: map[*token.File]*parsers.File{}, globals: map[string]global{}, res: &Result{}}
	var parsed []*ast.File
	for _, f := range files {
		if len(f.Bytes()) > MaxSize {
			p.res.Problems = append(p.res.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: f.At(1, 1, 1, 1),
				Message: fmt.Sprintf("this Go file is %d bytes, over the %d that hoplint reads for server settings (generated code?); settings in it are not seen", len(f.Bytes()), MaxSize)})
			continue
		}
		if line, ok := srcguard.Nesting(f.Bytes(), maxNesting); !ok {
			p.res.Problems = append(p.res.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: f.At(line, 1, line, 1),
				Message: fmt.Sprintf("brackets here nest more than %d deep; hoplint did not parse this file for server settings", maxNesting)})
			continue
		}
		af, err := parser.ParseFile(p.fset, f.Path, f.Bytes(), parser.SkipObjectResolution)
		if err != nil {
			p.res.Problems = append(p.res.Problems, parseProblem(f, err))
			continue
		}
		p.files[p.fset.File(af.Pos())] = f
		parsed = append(parsed, af)
	}
	assigned := map[string]bool{}
	for _, af := range parsed {
		ast.Inspect(af, func(n ast.Node) bool {
			if a, ok := n.(*ast.AssignStmt); ok && a.Tok == token.ASSIGN {
				for _, l := range a.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						assigned[id.Name] = true
					}
				}
			}
			return true
		})
	}
	for _, af := range parsed {
		p.collectGlobals(af, assigned)
	}
	for _, af := range parsed {
		p.file(af)
	}
	return p.res
}

func parseProblem(f *parsers.File, err error) parsers.Problem {
	line, col, msg := 1, 1, err.Error()
	var el scanner.ErrorList
	if errors.As(err, &el) && len(el) > 0 {
		line, col, msg = el[0].Pos.Line, el[0].Pos.Column, el[0].Msg
	}
	return parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(line, col, line, col),
		Message: "hoplint cannot parse this Go file (" + msg + "); server settings in it are not seen"}
}

func (p *pkg) collectGlobals(af *ast.File, assigned map[string]bool) {
	timeName := ""
	for _, im := range af.Imports {
		if im.Path.Value == `"time"` {
			timeName = "time"
			if im.Name != nil {
				timeName = im.Name.Name
			}
		}
	}
	for _, d := range af.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST && gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok || len(vs.Values) != len(vs.Names) {
				// iota blocks and multi-value calls are left unknown.
				continue
			}
			for i, n := range vs.Names {
				if gd.Tok == token.VAR && assigned[n.Name] {
					continue
				}
				p.globals[n.Name] = global{expr: vs.Values[i], time: timeName}
			}
		}
	}
}
