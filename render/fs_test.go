package render

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// TestConfinedFS checks that kustomize, reading through confinedFS,
// cannot reach a file outside the linted root, directly or by symlink.
func TestConfinedFS(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "repo")
	secret := filepath.Join(top, "secret.yaml")
	must(t, os.MkdirAll(filepath.Join(root, "app"), 0o755))
	must(t, os.WriteFile(secret, []byte("kind: Secret\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "app", "ok.yaml"), []byte("kind: ConfigMap\n"), 0o644))
	must(t, os.Symlink(secret, filepath.Join(root, "app", "link.yaml")))
	must(t, os.Symlink(top, filepath.Join(root, "app", "up")))
	c := newConfinedFS(root, nil)

	if data, err := c.ReadFile(filepath.Join(root, "app", "ok.yaml")); err != nil || string(data) != "kind: ConfigMap\n" {
		t.Errorf("inside: %q, %v", data, err)
	}
	for _, p := range []string{secret, filepath.Join(root, "..", "secret.yaml"), filepath.Join(root, "app", "link.yaml"), filepath.Join(root, "app", "up", "secret.yaml")} {
		if _, err := c.ReadFile(p); !errors.Is(err, parsers.ErrOutsideRoot) {
			t.Errorf("%s: read %v, want outside the root", p, err)
		}
		if c.Exists(p) {
			t.Errorf("%s: exists through the confined filesystem", p)
		}
		if _, err := c.Open(p); err == nil {
			t.Errorf("%s: opened", p)
		}
	}
	if names, _ := c.ReadDir(filepath.Join(root, "app")); strings.Contains(strings.Join(names, ","), "link.yaml") {
		t.Errorf("ReadDir lists the escaping symlink: %v", names)
	}
	if err := c.WriteFile(filepath.Join(root, "x"), nil); err == nil {
		t.Error("write allowed")
	}
}

// TestRemoteBasesStripped checks that kustomize never sees a remote
// resource (it would run git or fetch a URL).
func TestRemoteBasesStripped(t *testing.T) {
	in := "resources:\n- https://example.com/app.yaml\n- git@github.com:o/r//base\n- github.com/o/r/base?ref=v1\n- ../base\nhelmCharts:\n- name: redis\n"
	out := string(rewriteKustomization([]byte(in)))
	for _, bad := range []string{"example.com", "git@", "github.com", "helmCharts", "redis"} {
		if strings.Contains(out, bad) {
			t.Errorf("rewritten kustomization still holds %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "../base") || !strings.Contains(out, "originAnnotations") {
		t.Errorf("rewritten kustomization lost the local base or origin tracking:\n%s", out)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
