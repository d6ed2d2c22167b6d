package render

import (
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
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
			files := writeFiles(t, dir, map[string]string{
				"kustomization.yaml":      string(kust),
				"patch.yaml":              string(patch),
				"base/kustomization.yaml": "resources:\n- app.yaml\n",
				"base/app.yaml":           "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
			})
			out, _ := Render(files, Options{WorkDir: dir})
			checkMapped(t, out)
		})
	})
}
