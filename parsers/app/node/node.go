// Package node reads the HTTP server settings that a Node.js application
// writes in its JavaScript or TypeScript source: the servers it creates
// (http.createServer, Express/Koa app.listen, Fastify, NestJS), the
// keep-alive and header timeouts it assigns to them, and the body limits
// of its body parsers, each with the range it is written at.
//
// Source is parsed, never executed. TypeScript and JSX are first turned into
// JavaScript by esbuild (a text transform, with a source map back to the
// file); the JavaScript is parsed by tdewolff/parse. Values are folded from
// literals and the file's own constants; a value read from the environment
// with a literal fallback is kept as the variable's name and the fallback;
// anything else is Unknown, with the reason.
package node

import (
	"bytes"
	"fmt"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/tdewolff/parse/v2/js"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/app/internal/srcguard"
)

// MaxSize is the largest source file read. Server setup is written by
// hand; a larger file is a bundle or generated code, where a match of the
// prefilter says nothing about the app's own server.
const MaxSize = 1 << 20

// Kind is what created a server.
type Kind string

// Kinds of servers.
const (
	KindHTTP    Kind = "http.createServer"
	KindHTTPS   Kind = "https.createServer"
	KindExpress Kind = "express"
	KindKoa     Kind = "koa"
	KindFastify Kind = "fastify"
	KindNest    Kind = "nestjs"
	// KindUnseen is an object the file assigns server settings to
	// (server.keepAliveTimeout = …) without creating it: a server made in
	// another file or passed in.
	KindUnseen Kind = "unseen"
)

// Server is one HTTP server of the file.
type Server struct {
	Kind Kind
	// Range is the expression that creates the server (for KindUnseen, the
	// first assignment to it).
	Range parsers.Range
	// Target is the expression settings are assigned to for KindUnseen
	// ("this.server"), else the variable holding the server, if any.
	Target string
	// Listen is the listen call, nil when the file does not call it.
	Listen *Listen
	// Note states an assumption made to link a setting to this server, for
	// the message ("assumed stoppable() returns the server it is given").
	Note string
	// Settings as written, in source order; a later one of the same name
	// wins at run time. Names are Node's property names (keepAliveTimeout,
	// headersTimeout, requestTimeout) or Fastify's options (keepAliveTimeout,
	// connectionTimeout, requestTimeout, bodyLimit).
	Settings []Setting
}

// Setting returns the last setting called name, or nil: the server keeps
// its default.
func (s *Server) Setting(name string) *Setting {
	for i := len(s.Settings) - 1; i >= 0; i-- {
		if s.Settings[i].Name == name {
			return &s.Settings[i]
		}
	}
	return nil
}

// Listen is a server's listen call.
type Listen struct {
	Range parsers.Range
	Port  *Value // nil: no argument (a random port)
}

// Setting is one assignment or option.
type Setting struct {
	Name  string
	Value Value
	// Range covers the whole assignment or property.
	Range parsers.Range
}

// BodyParser is an Express or body-parser middleware that reads request
// bodies, with its limit.
type BodyParser struct {
	// Kind is the call as written in canonical form: "express.json",
	// "bodyParser.urlencoded", "nestjs useBodyParser(json)".
	Kind  string
	Range parsers.Range
	// Limit is nil when the call sets none: body-parser's default applies.
	Limit *Value
}

// SocketIO is a Socket.IO server the file creates (require('socket.io')(server),
// new Server(httpServer, {…}) from "socket.io"), with the options hoplint
// reads: pingInterval and pingTimeout, in milliseconds.
type SocketIO struct {
	Range    parsers.Range
	Settings []Setting
}

// Setting returns the last option called name, or nil.
func (s *SocketIO) Setting(name string) *Setting {
	for i := len(s.Settings) - 1; i >= 0; i-- {
		if s.Settings[i].Name == name {
			return &s.Settings[i]
		}
	}
	return nil
}

// Result is what one file says.
type Result struct {
	Servers     []*Server
	SocketIO    []*SocketIO
	BodyParsers []BodyParser
	// Problems: a file that cannot be parsed, or one too large to read.
	Problems []parsers.Problem
	// Imports are the relative module specifiers ("./app", "../lib/server.js")
	// the file imports, requires or re-exports, in source order; filled by
	// ParseModule only. Packages ("express") are not listed.
	Imports []string
}

// needles are the names without which a file cannot create a server, set
// a server's timeouts or limit a body: a file holding none is not parsed.
var needles = [][]byte{
	[]byte("createServer"), []byte(".listen("), []byte("astify"), []byte("NestFactory"),
	[]byte("getHttpServer"), []byte("keepAliveTimeout"), []byte("headersTimeout"),
	[]byte("requestTimeout"), []byte("bodyParser"), []byte("body-parser"), []byte("useBodyParser"),
	[]byte("express"), []byte("socket.io"),
}

// Interesting reports, by a byte search, whether data can hold a setting
// this package reads. It is cheap enough to run on every source file.
func Interesting(data []byte) bool {
	for _, n := range needles {
		if bytes.Contains(data, n) {
			return true
		}
	}
	return false
}

// Parse reads one JavaScript or TypeScript file (the language from its
// name: .ts, .tsx, .mts, .cts, .jsx are TypeScript or JSX; anything else is
// JavaScript). It never fails: what cannot be read becomes a Problem.
func Parse(f *parsers.File) *Result {
	res := &Result{}
	// The prefilter first: a large vendor bundle that names no server
	// setting is not worth a word.
	if !Interesting(f.Bytes()) {
		return res
	}
	if len(f.Bytes()) > MaxSize {
		res.Problems = append(res.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: f.At(1, 1, 1, 1),
			Message: fmt.Sprintf("this source file is %d bytes, over the %d that hoplint reads for server settings (a bundle or generated code?); settings in it are not seen", len(f.Bytes()), MaxSize)})
		return res
	}
	if line, ok := srcguard.Nesting(f.Bytes(), maxNesting); !ok {
		res.Problems = append(res.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: f.At(line, 1, line, 1),
			Message: fmt.Sprintf("brackets here nest more than %d deep; hoplint did not parse this file for server settings", maxNesting)})
		return res
	}
	src, ast, err := load(f)
	if err != nil {
		res.Problems = append(res.Problems, problemOf(f, err))
		return res
	}
	newWalker(src, res).run(ast)
	return res
}

// ParseModule is Parse for a file that is part of an application being
// followed from its entry point: it also lists the file's relative imports,
// so that a caller can follow them to the file that creates the server. A
// file that holds no server setting and cannot be parsed gives no problem
// (its imports are not followed); one too large is skipped silently.
func ParseModule(f *parsers.File) *Result {
	if Interesting(f.Bytes()) {
		res := Parse(f)
		if len(res.Problems) > 0 {
			return res
		}
		if src, ast, err := load(f); err == nil {
			res.Imports = imports(src, ast)
		}
		return res
	}
	res := &Result{}
	if len(f.Bytes()) > MaxSize || !bytes.Contains(f.Bytes(), []byte("import")) && !bytes.Contains(f.Bytes(), []byte("require")) && !bytes.Contains(f.Bytes(), []byte("export")) {
		return res
	}
	if _, ok := srcguard.Nesting(f.Bytes(), maxNesting); !ok {
		return res
	}
	src, ast, err := load(f)
	if err != nil {
		return res
	}
	res.Imports = imports(src, ast)
	return res
}

// load returns the JavaScript to parse. Plain JavaScript that the parser
// rejects (JSX in a .js file, say) goes through esbuild's JSX loader once.
func load(f *parsers.File) (*source, *js.AST, error) {
	var src *source
	if loader, ok := loaderFor(f.Path); ok {
		var err error
		if src, err = strip(f, loader); err != nil {
			return nil, nil, err
		}
	} else {
		src = newSource(f, f.Bytes(), nil)
		ast, err := src.parse()
		if err == nil {
			return src, ast, nil
		}
		jsx, err2 := strip(f, api.LoaderJSX)
		if err2 != nil {
			return nil, nil, err
		}
		src = jsx
	}
	ast, err := src.parse()
	return src, ast, err
}

func problemOf(f *parsers.File, err error) parsers.Problem {
	pos := parsers.Pos{Line: 1, Col: 1}
	msg := err.Error()
	if pe, ok := err.(*parseError); ok { //nolint:errorlint // our own type, never wrapped
		if pe.Pos.Line > 0 {
			pos = pe.Pos
		}
		msg = pe.Msg
	}
	return parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(pos.Line, pos.Col, pos.Line, pos.Col),
		Message: "hoplint cannot parse this file as JavaScript or TypeScript (" + msg + "); server settings in it are not seen"}
}

// maxNesting bounds bracket nesting. Hand-written server code nests a few
// dozen levels; the JavaScript parser backtracks on parentheses (each may
// open arrow-function parameters), so deep nesting costs it seconds.
const maxNesting = 500
