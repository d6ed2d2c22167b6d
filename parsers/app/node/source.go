package node

import (
	"bytes"
	"strings"
	"unsafe"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"

	"github.com/hoplint/hoplint/parsers"
)

// source is the text that the JavaScript parser read and the way back from
// it to the file a user edits. For JavaScript that text is the file itself;
// for TypeScript and JSX it is esbuild's output, whose source map leads back.
type source struct {
	file  *parsers.File
	gen   []byte // what js.Parse read
	lines []int  // start offset of each line of gen
	smap  *sourceMap
}

// loaderFor picks esbuild's loader from the file name; ok is false for plain
// JavaScript, which is parsed as it is.
func loaderFor(name string) (api.Loader, bool) {
	switch {
	case strings.HasSuffix(name, ".tsx"):
		return api.LoaderTSX, true
	case strings.HasSuffix(name, ".ts"), strings.HasSuffix(name, ".mts"), strings.HasSuffix(name, ".cts"):
		return api.LoaderTS, true
	case strings.HasSuffix(name, ".jsx"):
		return api.LoaderJSX, true
	}
	return api.LoaderNone, false
}

// tsconfig asks esbuild for TypeScript's legacy decorators, which NestJS
// and most TypeScript servers use: esbuild then lowers them to plain calls
// that the JavaScript parser reads (it does not parse decorators).
const tsconfig = `{"compilerOptions":{"experimentalDecorators":true}}`

// strip turns TypeScript or JSX into JavaScript with esbuild. esbuild only
// transforms text here: it resolves no import, reads no file, runs nothing.
func strip(f *parsers.File, loader api.Loader) (*source, error) {
	opts := api.TransformOptions{
		Loader:      loader,
		Sourcemap:   api.SourceMapExternal,
		Target:      api.ESNext,
		Format:      api.FormatDefault,
		LogLevel:    api.LogLevelSilent,
		TsconfigRaw: tsconfig,
		Sourcefile:  f.Path,
	}
	r := api.Transform(string(f.Bytes()), opts)
	if len(r.Errors) > 0 && loader != api.LoaderJSX {
		// Standard (TC39) decorators, which legacy decorators refuse in
		// some positions: esbuild lowers them below ES2023.
		opts.TsconfigRaw, opts.Target = "", api.ES2022
		if r2 := api.Transform(string(f.Bytes()), opts); len(r2.Errors) == 0 {
			r = r2
		}
	}
	if len(r.Errors) > 0 {
		return nil, transformError(f, r.Errors[0])
	}
	m, err := parseSourceMap(r.Map)
	if err != nil {
		return nil, &parseError{Msg: "esbuild gave a source map hoplint cannot read: " + err.Error()}
	}
	return newSource(f, r.Code, m), nil
}

func newSource(f *parsers.File, gen []byte, m *sourceMap) *source {
	// js.Parse appends a NUL after the input; with room for it the input is
	// not copied, so the byte slices in the tree point into gen.
	buf := make([]byte, len(gen), len(gen)+1)
	copy(buf, gen)
	s := &source{file: f, gen: buf, smap: m, lines: []int{0}}
	for i, b := range buf {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// parseError is a syntax error with its position in the user's file.
type parseError struct {
	Pos parsers.Pos // zero when unknown
	Msg string
}

func (e *parseError) Error() string { return e.Msg }

func transformError(f *parsers.File, m api.Message) error {
	e := &parseError{Msg: m.Text}
	if m.Location != nil {
		line := m.Location.Line
		lineText := []byte(f.Line(line))
		e.Pos = parsers.Pos{Line: line, Col: byteCol(lineText, m.Location.Column) + 1}
	}
	return e
}

func (s *source) parse() (*js.AST, error) {
	ast, err := js.Parse(parse.NewInputBytes(s.gen), js.Options{})
	if err != nil {
		e := &parseError{Msg: err.Error()}
		var pe *parse.Error
		if asParseError(err, &pe) {
			e.Msg = pe.Message
			if off, ok := s.genOffset(pe.Line, pe.Column); ok {
				if o, ok := s.orig(off); ok {
					p := s.file.PosAt(o)
					e.Pos = parsers.Pos{Line: p.Line - s.file.Shift.Line, Col: p.Col - s.file.Shift.Col}
				}
			}
		}
		return nil, e
	}
	return ast, nil
}

func asParseError(err error, pe **parse.Error) bool {
	p, ok := err.(*parse.Error) //nolint:errorlint // js.Parse returns it unwrapped
	if ok {
		*pe = p
	}
	return ok
}

// genOffset turns the parser's 1-based line and column into an offset.
func (s *source) genOffset(line, col int) (int, bool) {
	if line < 1 || line > len(s.lines) || col < 1 {
		return 0, false
	}
	off := s.lines[line-1] + col - 1
	return off, off <= len(s.gen)
}

// offsetOf finds where b lies in gen. The parser's tree holds slices of its
// input for names, numbers and strings but no positions; a slice's address
// is its position. A slice that is not within gen (a copy the parser made)
// has none.
func (s *source) offsetOf(b []byte) (int, bool) {
	if len(b) == 0 || len(s.gen) == 0 {
		return 0, false
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(s.gen)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if p < base || p+uintptr(len(b)) > base+uintptr(len(s.gen)) {
		return 0, false
	}
	return int(p - base), true
}

// orig maps an offset of gen to an offset of the user's file.
func (s *source) orig(off int) (int, bool) {
	if s.smap == nil {
		return off, off >= 0 && off <= len(s.file.Bytes())
	}
	line := lineOf(s.lines, off)
	lineText := s.gen[s.lines[line]:]
	if i := bytes.IndexByte(lineText, '\n'); i >= 0 {
		lineText = lineText[:i]
	}
	col16 := utf16Col(lineText, off-s.lines[line])
	ol, oc, ok := s.smap.lookup(line, col16)
	if !ok || ol+1 > s.file.NumLines() {
		return 0, false
	}
	otext := []byte(s.file.Line(ol + 1))
	return s.file.Offset(parsers.Pos{Line: ol + 1, Col: byteCol(otext, oc) + 1}), true
}

func lineOf(starts []int, off int) int {
	lo, hi := 0, len(starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// tokenEnd is the end of the token that starts at off in the user's file:
// a string, a template, a number or a name.
func tokenEnd(data []byte, off int) int {
	if off >= len(data) {
		return len(data)
	}
	switch q := data[off]; q {
	case '\'', '"', '`':
		for i := off + 1; i < len(data); i++ {
			switch data[i] {
			case '\\':
				i++
			case q:
				return i + 1
			case '\n':
				if q != '`' {
					return i
				}
			}
		}
		return len(data)
	}
	i := off
	number := data[off] >= '0' && data[off] <= '9' || data[off] == '.'
	for i < len(data) && (isIdent(data[i]) || data[i] >= 0x80 || number && data[i] == '.') {
		i++
	}
	if i == off {
		return off + 1
	}
	return i
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
