package compose_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"
)

// workflowCase is testdata/ecs/workflow_render_uvicorn.txtar split into
// its tree and its workflow: an ALB in front of container api of a
// task-definition file; only the workflow says that api runs
// app/Dockerfile (uvicorn).
func workflowCase(t *testing.T) (tree string, workflow []byte) {
	t.Helper()
	a, err := txtar.ParseFile("../../testdata/ecs/workflow_render_uvicorn.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var kept []txtar.File
	for _, f := range a.Files {
		switch {
		case f.Name == ".github/workflows/deploy.yml":
			workflow = f.Data
		case f.Name != "want":
			kept = append(kept, f)
		}
	}
	if workflow == nil {
		t.Fatal("the case has no workflow")
	}
	// The case's # want and # related comments are for the txtar runner.
	return string(txtar.Format(&txtar.Archive{Files: kept})), workflow
}

// A workflow is read only inside the root: one linked in from outside is
// not, and the container's server stays unknown (no finding); the same
// workflow inside the root gives the finding, so the test can fail.
func TestWorkflowOutsideRootNotRead(t *testing.T) {
	workflowTree, renderWorkflow := workflowCase(t)
	outside := filepath.Join(t.TempDir(), "deploy.yml")
	if err := os.WriteFile(outside, renderWorkflow, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		symlink bool
		want    int
	}{{"inside", false, 1}, {"symlink outside the root", true, 0}} {
		t.Run(c.name, func(t *testing.T) {
			fs := lintTree(t, workflowTree, func(root string) {
				dir := filepath.Join(root, ".github", "workflows")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(dir, "deploy.yml")
				if c.symlink {
					if err := os.Symlink(outside, p); err != nil {
						t.Skip("no symlinks here:", err)
					}
					return
				}
				if err := os.WriteFile(p, renderWorkflow, 0o644); err != nil {
					t.Fatal(err)
				}
			})
			if got := len(findings(fs, "keepalive-order")); got != c.want {
				t.Fatalf("%d keepalive-order findings, want %d: %v", got, c.want, fs)
			}
		})
	}
}
