package sources_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
	_ "github.com/hoplint/hoplint/topology/sources"
)

// renderInputs are the formats discovery returns that no loader reads:
// the render stage builds them into the manifests they deploy
// (parsers/file.go).
var renderInputs = map[parsers.Format]bool{
	parsers.FormatKustomization: true,
	parsers.FormatHelmChart:     true,
}

// pendingLoaders are formats discovery names so that nothing else misreads
// them, whose source is not built yet. Remove an entry when its loader
// lands: the test then checks it like the others.
var pendingLoaders = map[parsers.Format]bool{}

// TestEveryFormatHasALoader: every Format constant the parsers package
// declares (read from its source, so that a format added later is
// checked too) has a loader once this package is imported. A source
// package missing from sources.go would make Build drop its files
// without a word.
func TestEveryFormatHasALoader(t *testing.T) {
	formats := formatConstants(t)
	if len(formats) < 5 {
		t.Fatalf("found only %d Format constants in ../../parsers: %v", len(formats), formats)
	}
	for _, f := range formats {
		if renderInputs[f] || pendingLoaders[f] {
			continue
		}
		if !topology.HasLoader(f) {
			t.Errorf("format %q has no loader registered: its package is not imported by topology/sources (add its blank import to sources.go), or it needs one", f)
		}
	}
}

// TestEverySourcePackageIsImported: every package under topology/ that
// registers a loader or a linker is imported by sources.go, and its
// linkers are registered (a linker-only source, such as the Gateway API,
// has no format that the test above would miss).
func TestEverySourcePackageIsImported(t *testing.T) {
	imported := map[string]bool{}
	f, err := parser.ParseFile(token.NewFileSet(), "sources.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		imported[p] = true
	}
	dirs, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		linkers, registers := registrations(t, filepath.Join("..", d.Name()))
		if !registers {
			continue
		}
		found++
		path := "github.com/hoplint/hoplint/topology/" + d.Name()
		if !imported[path] {
			t.Errorf("topology/%s registers with topology but sources.go does not import it: add _ %q", d.Name(), path)
		}
		for _, name := range linkers {
			if !slices.Contains(topology.LinkerNames(), name) {
				t.Errorf("linker %q of topology/%s is not registered", name, d.Name())
			}
		}
	}
	if found < 2 {
		t.Errorf("found %d source packages under topology/, want at least gateway and openapi", found)
	}
}

// formatConstants reads the values of the parsers.Format constants from
// the package's source.
func formatConstants(t *testing.T) []parsers.Format {
	t.Helper()
	var out []parsers.Format
	for _, file := range goFiles(t, "../../parsers") {
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Format" {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("a Format constant whose value is not a string literal: %T", v)
					}
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, parsers.Format(s))
				}
			}
		}
	}
	return out
}

// registrations reports whether the package in dir calls
// topology.RegisterLoader or RegisterLinker, and the names of its linkers.
func registrations(t *testing.T, dir string) (linkers []string, registers bool) {
	t.Helper()
	for _, file := range goFiles(t, dir) {
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "topology" {
				return true
			}
			switch sel.Sel.Name {
			case "RegisterLoader":
				registers = true
			case "RegisterLinker":
				registers = true
				lit, ok := call.Args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: RegisterLinker with a name that is not a string literal; this test cannot check it", dir)
					return true
				}
				name, _ := strconv.Unquote(lit.Value)
				linkers = append(linkers, name)
			}
			return true
		})
	}
	return linkers, registers
}

// goFiles parses the non-test Go files of dir.
func goFiles(t *testing.T, dir string) []*ast.File {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}
