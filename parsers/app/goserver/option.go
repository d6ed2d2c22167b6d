package goserver

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Option is the setting behind an accessor method: the key it reads and
// the default written in a table of options.
type Option struct {
	// Key is the string the accessor indexes its options with. Programs
	// that read options from the environment (miniflux) name the variable
	// so.
	Key string
	// Default is the value of the table entry's field that the accessor
	// returns; Unknown when it is not written as a literal.
	Default Value
	// Accessor is where the method is defined.
	Accessor Value
}

// OptionDefault follows an accessor call found in a server's value
// (Value.Call, "config.Opts.HTTPServerTimeout") into the files of the
// package that defines it: a method of that name whose body is
// `return x.options["KEY"].field`, and an entry `"KEY": {field: value, …}`
// in a composite literal of the same files. It returns nil when the
// package does not have that shape. Nothing is run.
func OptionDefault(pkgFiles []*parsers.File, call string) *Option {
	method := call[strings.LastIndex(call, ".")+1:]
	p := &pkg{fset: token.NewFileSet(), files: map[*token.File]*parsers.File{}, globals: map[string]global{}, res: &Result{}}
	var parsed []*ast.File
	for _, f := range pkgFiles {
		if len(f.Bytes()) > MaxSize {
			continue
		}
		af, err := parser.ParseFile(p.fset, f.Path, f.Bytes(), parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		p.files[p.fset.File(af.Pos())] = f
		parsed = append(parsed, af)
	}
	for _, af := range parsed {
		p.collectGlobals(af, map[string]bool{})
	}
	var key, field string
	var accessor ast.Node
	for _, af := range parsed {
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Name.Name != method || fd.Body == nil || len(fd.Body.List) != 1 {
				continue
			}
			ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			sel, ok := ret.Results[0].(*ast.SelectorExpr)
			if !ok {
				continue
			}
			idx, ok := sel.X.(*ast.IndexExpr)
			if !ok {
				continue
			}
			lit, ok := idx.Index.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			k, err := strconv.Unquote(lit.Value)
			if err != nil {
				continue
			}
			key, field, accessor = k, sel.Sel.Name, fd
		}
	}
	if key == "" {
		return nil
	}
	opt := &Option{Key: key, Accessor: Value{Kind: Unknown, Text: method, Range: p.rangeOf(accessor)}}
	found := false
	for _, af := range parsed {
		if found {
			break
		}
		imports := &fileReader{p: p}
		for _, im := range af.Imports {
			if path, _ := strconv.Unquote(im.Path.Value); path == "time" {
				imports.time = "time"
				if im.Name != nil {
					imports.time = im.Name.Name
				}
			}
		}
		ast.Inspect(af, func(n ast.Node) bool {
			if found {
				return false
			}
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			lit, ok := kv.Key.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || lit.Value != strconv.Quote(key) {
				return true
			}
			entry, ok := kv.Value.(*ast.CompositeLit)
			if !ok {
				return true
			}
			for _, el := range entry.Elts {
				fkv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				if id, ok := fkv.Key.(*ast.Ident); ok && id.Name == field {
					sc := &scope{locals: map[string][]ast.Expr{}}
					opt.Default = imports.value(sc, fkv.Value)
					found = true
				}
			}
			return !found
		})
	}
	if !found {
		opt.Default = Value{Kind: Unknown, Reason: "no literal default found for " + key}
	}
	return opt
}
