package kubernetes

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// FuzzParse feeds arbitrary bytes to the manifest front end: it must never
// panic or hang, and every range it reports must lie inside the file.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/kubernetes/*.txtar")
	// The Gateway API cases, file by file, so that mutations start from
	// valid routes and policies.
	gw, _ := filepath.Glob("../../testdata/gateway/*.txtar")
	// The pod cases likewise: volumes, projected sources, node ports.
	pod, _ := filepath.Glob("../../testdata/pod/*.txtar")
	for _, s := range append(gw, pod...) {
		if ar, err := txtar.ParseFile(s); err == nil {
			for _, file := range ar.Files {
				f.Add(file.Data)
			}
		}
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n"))
	f.Add([]byte("a: &a [*a]\napiVersion: v1\nkind: Pod\nspec: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			file := parsers.NewFile("f.yaml", "/f.yaml", "/", parsers.FormatKubernetes, data)
			done := make(chan *Result, 1)
			go func() { done <- Parse(file) }()
			var res *Result
			select {
			case res = <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("Parse did not return within 5s on %q", data)
			}
			n := file.NumLines() + 1
			for _, p := range res.Problems {
				if p.Range.Start.Line < 0 || p.Range.Start.Line > n {
					t.Fatalf("problem outside the file: %v", p)
				}
			}
			for _, c := range res.Comments {
				if c.Line < 1 || c.Line > n {
					t.Fatalf("comment outside the file: %+v", c)
				}
			}
			for _, o := range res.Objects {
				m := o.Meta()
				if m.Range.Start.Line < 1 || m.Range.Start.Line > n {
					t.Fatalf("object outside the file: %v", m.Range)
				}
			}
		})
	})
}
