package render

import (
	"fmt"
	"strings"
	"testing"
)

// TestRunBudget: builds are charged objects² in path order, and once the
// run's budget is spent the rest are refused, each with a problem on its
// own kustomization; the same tree always gets the same refusals.
func TestRunBudget(t *testing.T) {
	defer func(w int) { runObjectWork = w }(runObjectWork)
	runObjectWork = 100 // six objects cost 36: two builds fit, the third does not
	dir := t.TempDir()
	tree := map[string]string{}
	var objs strings.Builder
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&objs, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\n", i)
	}
	tree["base/all.yaml"] = objs.String()
	tree["base/kustomization.yaml"] = "resources:\n- all.yaml\nconfigMapGenerator:\n- name: g\n  literals: [a=b]\n"
	for _, o := range []string{"a", "b", "c", "d"} {
		tree[o+"/kustomization.yaml"] = "resources:\n- ../base\nnamePrefix: " + o + "-\n"
	}
	files := writeFiles(t, dir, tree)
	for run := 0; run < 2; run++ {
		out, problems := Render(files, Options{WorkDir: dir})
		var built, refused []string
		for _, f := range out {
			if strings.HasSuffix(f.Path, "#build") {
				built = append(built, strings.TrimSuffix(f.Path, "/kustomization.yaml#build"))
			}
		}
		for _, p := range problems {
			if !strings.Contains(p.Message, "budget for kustomize is spent") {
				t.Errorf("unexpected problem: %s", p.Message)
			}
			refused = append(refused, p.Range.File)
		}
		if strings.Join(built, " ") != "a b" || strings.Join(refused, " ") != "c/kustomization.yaml d/kustomization.yaml" {
			t.Errorf("run %d: built %v, refused %v; want a b built, c and d refused", run, built, refused)
		}
	}
}
