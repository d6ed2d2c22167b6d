package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// TestOriginTags: the objects of a base, a List's items and a patched
// object all map back to their resource file's lines through the origin
// tag, and the tag never reaches the rendered text (nor an empty
// annotations mapping left where it was taken off). The tree is linted
// directly and through a symlinked directory above it (as CI reaches the
// corpus), where kustomize names files with the link resolved.
func TestOriginTags(t *testing.T) {
	top := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(top, "real", "tree"), 0o755))
	if err := os.Symlink(filepath.Join(top, "real"), filepath.Join(top, "link")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	for _, dir := range []string{filepath.Join(top, "real", "tree"), filepath.Join(top, "link", "tree")} {
		t.Run(filepath.Base(filepath.Dir(dir)), func(t *testing.T) { checkOriginTags(t, dir) })
	}
}

func checkOriginTags(t *testing.T, dir string) {
	files := map[string]string{
		"base/kustomization.yaml": "resources:\n- app.yaml\n- list.yaml\n- raw.yaml\nconfigMapGenerator:\n- name: raw\n  files: [raw.yaml]\n",
		// Both a resource and a generator's input: not tagged, or the tag
		// would end up in the ConfigMap's data.
		"base/raw.yaml":           "apiVersion: v1\nkind: Secret\nmetadata:\n  name: raw\n",
		"base/app.yaml":           "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  annotations: {team: a}\ndata: {k: v}\n",
		"base/list.yaml":          "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n",
		"prod/kustomization.yaml": "resources:\n- ../base\nnamePrefix: prod-\npatches:\n- path: svc.yaml\n",
		"prod/svc.yaml":           "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n",
	}
	discovered := writeFiles(t, dir, files)
	out, problems := Render(discovered, Options{WorkDir: dir})
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	var built *parsers.File
	for _, f := range out {
		if strings.HasSuffix(f.Path, "#build") {
			built = f
		}
	}
	if built == nil {
		t.Fatal("prod was not built")
	}
	text := string(built.Bytes())
	if strings.Contains(text, "hoplint") || strings.Contains(text, "annotations: {}") {
		t.Errorf("the origin tag shows in the build:\n%s", text)
	}
	if !strings.Contains(text, "team: a") {
		t.Errorf("the ConfigMap lost its own annotation:\n%s", text)
	}
	// Each rendered line that names an object maps to its source file.
	for line, want := range map[string]string{"name: prod-web": "base/app.yaml:4", "name: prod-cfg": "base/app.yaml:11",
		// A List item is known to come from list.yaml, but not from which
		// line: documents are matched at the top level only.
		"name: prod-s": "base/list.yaml:1", "type: NodePort": "prod/svc.yaml:6"} {
		n := 0
		for i := 1; i <= built.NumLines(); i++ {
			if strings.TrimSpace(built.Line(i)) == line {
				n = i
			}
		}
		if n == 0 {
			t.Errorf("no line %q in the build:\n%s", line, text)
			continue
		}
		r := built.At(n, 1, n, 2)
		if got := fmt.Sprintf("%s:%d", r.File, r.Start.Line); got != want {
			t.Errorf("%q maps to %s, want %s", line, got, want)
		}
	}
}
