package appserver

import (
	"testing"
)

// TestGoPrefilter: of a Go program's packages, only those with a file that
// names net/http (or gin, echo) are parsed. The helper package here is
// broken Go; parsing it would give a problem, so without the byte search
// first this test fails. The server package, equally broken, is parsed and
// says so: the check can fail.
func TestGoPrefilter(t *testing.T) {
	files := map[string]string{
		"go.mod":              "module example.com/shop\n\ngo 1.23\n",
		"cmd/api/main.go":     "package main\n\nimport (\n\t\"example.com/shop/internal/util\"\n\t\"example.com/shop/internal/web\"\n)\n\nfunc main() { util.Do(); web.Run() }\n",
		"internal/util/a.go":  "package util\n\nfunc Do() { x := = 1 }\n",
		"internal/util/b.go":  "package util\n\nconst c = = 2\n",
		"internal/web/web.go": "package web\n\nimport \"net/http\"\n\nfunc Run() { http.ListenAndServe(\":80\", nil) }\n",
	}
	root := tree(t, files)
	info := Identify(Process{Command: cmd("/usr/local/bin/api"), Context: ".", Files: NewFiles(root, root)})
	for _, p := range info.Problems {
		t.Errorf("a package naming no server was parsed: %s: %s", p.Range.File, p.Message)
	}
	files["internal/web/broken.go"] = "package web\n\nimport \"net/http\"\n\nvar s = = http.Server{}\n"
	root = tree(t, files)
	info = Identify(Process{Command: cmd("/usr/local/bin/api"), Context: ".", Files: NewFiles(root, root)})
	if len(info.Problems) != 1 || info.Problems[0].Range.File != "internal/web/broken.go" {
		t.Errorf("the server package must be parsed and its broken file reported: %+v", info.Problems)
	}
}
