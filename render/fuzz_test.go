package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// FuzzKustomize builds an arbitrary kustomization over a small base and
// an arbitrary patch: nothing may panic or hang, and every rendered line
// maps to a source position. Each execution runs kustomize in a fresh
// directory, so the fuzzer's minimization of a new input shows as long
// stretches of "0/sec"; that is not a hang.
func FuzzKustomize(f *testing.F) {
	f.Add([]byte("resources:\n- base\npatches:\n- path: patch.yaml\n"), []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        resources: {limits: {memory: 1Mi}}\n"))
	f.Add([]byte("namePrefix: x-\nresources: [base]\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\n"), []byte("- op: add\n  path: /spec/replicas\n  value: 3\n"))
	f.Add([]byte("resources:\n- https://example.com/x\n- base\n"), []byte("{{ x }}"))
	f.Fuzz(func(t *testing.T, kust, patch []byte) {
		fuzzbound.Check(t, func() {
			dir := t.TempDir()
			write := func(p string, data []byte) {
				p = filepath.Join(dir, p)
				_ = os.MkdirAll(filepath.Dir(p), 0o755)
				_ = os.WriteFile(p, data, 0o644)
			}
			write("kustomization.yaml", kust)
			write("patch.yaml", patch)
			write("base/kustomization.yaml", []byte("resources:\n- app.yaml\n"))
			write("base/app.yaml", []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"))
			files, _, err := parsers.Discover([]string{"."}, parsers.DiscoverOptions{WorkDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			out, _ := Render(files, Options{WorkDir: dir})
			for _, o := range out {
				if o.Map == nil {
					continue
				}
				for l := 1; l <= o.NumLines(); l++ {
					if r := o.At(l, 1, l, 2); r.File == "" || r.Start.Line < 1 {
						t.Fatalf("rendered line %d maps nowhere: %+v", l, r)
					}
				}
			}
		})
	})
}
