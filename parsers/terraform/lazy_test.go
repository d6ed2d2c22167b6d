package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// hasModuleBlock reports whether the parse of src has a top-level module
// block, which is what decides the root modules.
func hasModuleBlock(src []byte) bool {
	f := Parse(parsers.NewFile("main.tf", "/x/main.tf", "/x", parsers.FormatTerraform, src))
	if f.Body == nil {
		return false
	}
	content, _, _ := f.Body.PartialContent(topSchema)
	if content == nil {
		return false
	}
	for _, b := range content.Blocks {
		if b.Type == "module" {
			return true
		}
	}
	return false
}

// TestMayCallModules: LoadFiles parses up front only the files
// mayCallModules says yes for, so it must say yes for every file whose
// parse has a module block, however it is written; and no for files that
// only mention modules, or nothing is saved.
func TestMayCallModules(t *testing.T) {
	for _, src := range []string{
		"module \"a\" {\n  source = \"./a\"\n}\n",
		"  \tmodule \"a\" {\n  source = \"./a\"\n}\n",
		"# x\nmodule \"a\" {\n  source = \"./a\"\n}\n",
		"locals {\n  a = 1\n}\n/* a\ncomment */ module \"a\" {\n  source = \"./a\"\n}\n",
		"/* one */ /* two */ module a {\n  source = \"./a\"\n}\n",
		"module a { source = \"./a\" }\n",
		"\xEF\xBB\xBFmodule \"a\" {\n  source = \"./a\"\n}\n",
		"locals {\n  a = 1\n}\r\nmodule \"a\" {\r\n  source = \"./a\"\r\n}\r\n",
		"resource \"x\" \"y\" {\n}\nmodule \"a\" {\n  source = \"./a\"\n}",
		"locals { a = \"*/\" }\nmodule \"a\" {\n  source = \"./a\"\n}\n",
	} {
		if !hasModuleBlock([]byte(src)) {
			t.Errorf("%q: the parse has no module block; the case tests nothing", src)
		}
		if !mayCallModules([]byte(src)) {
			t.Errorf("mayCallModules(%q) = false; the file has a module block", src)
		}
	}
	for _, src := range []string{
		"resource \"x\" \"y\" {\n  path = path.module\n}\n",
		"variable \"v\" {\n  description = \"the module name\"\n}\n",
		"# module \"a\" {\n",
		"locals { a = 1 } module \"a\" {\n  source = \"./a\"\n}\n",
		"modules = 1\n",
	} {
		if hasModuleBlock([]byte(src)) {
			t.Errorf("%q: the parse has a module block", src)
		}
		if mayCallModules([]byte(src)) && !strings.HasPrefix(src, "modules") {
			t.Errorf("mayCallModules(%q) = true; the file has no module block, so its parse could wait", src)
		}
	}
}

// FuzzMayCallModules: no input whose parse has a module block is one
// mayCallModules says no for.
func FuzzMayCallModules(f *testing.F) {
	f.Add([]byte("/* a\n*/ module \"a\" {\n  source = \"./a\"\n}\n"))
	f.Add([]byte("x = 1\nmodule \"a\" {\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<12 {
			return
		}
		if hasModuleBlock(data) && !mayCallModules(data) {
			t.Errorf("mayCallModules(%q) = false; its parse has a module block", data)
		}
	})
}

// TestReleasedModuleReadAgain: a module whose trees were dropped once the
// root module that calls it was evaluated is read again when the pass
// over module call cycles reaches it, with the same result, its problems
// reported once (load compares with a run that keeps every tree).
func TestReleasedModuleReadAgain(t *testing.T) {
	res := load(t, map[string]string{
		"root/main.tf": "module \"s\" {\n  source = \"../s\"\n}\n",
		"s/main.tf": `resource "aws_lb" "lb" {
  name         = "s"
  idle_timeout = 4001
}
resource "aws_lb" {
}
`,
		"a/main.tf": "module \"b\" {\n  source = \"../b\"\n}\nmodule \"s\" {\n  source = \"../s\"\n}\n",
		"b/main.tf": "module \"a\" {\n  source = \"../a\"\n}\n",
	})
	// One from the root module, one from the cycle through a.
	var roots []string
	for _, lb := range res.LoadBalancers {
		roots = append(roots, lb.Root+" "+lb.Module)
	}
	if strings.Join(roots, ",") != "root module.s,a module.s" {
		t.Errorf("load balancers from %q, want root's module.s and a's", roots)
	}
	n := 0
	for _, p := range res.Problems {
		if p.Range.File == "s/main.tf" && strings.Contains(p.Message, "Terraform syntax") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d problems on s/main.tf's resource without a name, want 1: %v", n, res.Problems)
	}
}

// TestLoadFilesPanicReachesCaller: a panic while parsing on one of
// LoadFiles' goroutines is raised in the caller's, where topology turns a
// loader's panic into a problem instead of losing the run.
func TestLoadFilesPanicReachesCaller(t *testing.T) {
	files := []*parsers.File{
		parsers.NewFile("a/main.tf", "/x/a/main.tf", "/x", parsers.FormatTerraform, []byte("module \"b\" {\n  source = \"../b\"\n}\n")),
		parsers.NewFile("b/main.tf", "/x/b/main.tf", "/x", parsers.FormatTerraform, []byte("locals {\n  a = 1\n}\n")),
		parsers.NewFile("a/prod.tfvars", "/x/a/prod.tfvars", "/x", parsers.FormatTerraform, []byte("a = 1\n")),
	}
	// a/main.tf is parsed up front, b/main.tf when a calls it, prod.tfvars
	// up front only.
	for _, bad := range []string{"a/main.tf", "b/main.tf", "a/prod.tfvars"} {
		func() {
			defer func() {
				if r := recover(); r != "parse "+bad {
					t.Errorf("recovered %v, want the panic parsing %s", r, bad)
				}
			}()
			LoadFiles(files, Options{Parse: func(f *parsers.File) *File {
				if f.Path == bad {
					panic("parse " + f.Path)
				}
				return Parse(f)
			}})
		}()
	}
}

// TestRootsOpeningModulesInParallel: root modules evaluated in parallel
// that call module directories outside the discovered files (read
// through Open, which adds them to the shared directories) while other
// root modules start; run with -race, it fails if a root module's
// directory is looked up without the lock.
func TestRootsOpeningModulesInParallel(t *testing.T) {
	dir := t.TempDir()
	var raw []*parsers.File
	write := func(name, src string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 40 {
		name := fmt.Sprintf("env%02d/main.tf", i)
		src := fmt.Sprintf("module \"m\" {\n  source = \"../hidden%02d\"\n}\n", i)
		write(name, src)
		write(fmt.Sprintf("hidden%02d/main.tf", i), "resource \"aws_lb\" \"lb\" {\n  name = \"x\"\n}\n")
		raw = append(raw, parsers.NewFile(name, filepath.Join(dir, filepath.FromSlash(name)), dir, parsers.FormatTerraform, []byte(src)))
	}
	res := LoadFiles(raw, Options{Open: openWithin(dir)})
	if len(res.LoadBalancers) != 40 {
		t.Errorf("%d load balancers, want 40, one per root module", len(res.LoadBalancers))
	}
}
