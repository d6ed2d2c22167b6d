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

// TestConfinedFSLinkedRoot checks that a root reached through a symlink
// (macOS /tmp, a linked checkout) still reads its own files in the resolved
// form kustomize hands back, and still refuses what lies outside.
func TestConfinedFSLinkedRoot(t *testing.T) {
	top := t.TempDir()
	real := filepath.Join(top, "real")
	must(t, os.MkdirAll(filepath.Join(real, "app"), 0o755))
	must(t, os.WriteFile(filepath.Join(real, "app", "ok.yaml"), []byte("kind: ConfigMap\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(top, "secret.yaml"), []byte("kind: Secret\n"), 0o644))
	link := filepath.Join(top, "link")
	must(t, os.Symlink(real, link))
	c := newConfinedFS(link, nil)
	d, f, err := c.CleanedAbs(filepath.Join(link, "app"))
	if err != nil {
		t.Fatalf("CleanedAbs through the linked root: %v", err)
	}
	if data, err := c.ReadFile(filepath.Join(string(d), f, "ok.yaml")); err != nil || string(data) != "kind: ConfigMap\n" {
		t.Errorf("resolved path inside the linked root: %q, %v", data, err)
	}
	if _, err := c.ReadFile(filepath.Join(top, "secret.yaml")); !errors.Is(err, parsers.ErrOutsideRoot) {
		t.Errorf("outside the linked root: read %v, want outside the root", err)
	}
}

// TestRemoteBasesStripped checks that kustomize never sees a remote
// resource (it would run git or fetch a URL).
func TestRemoteBasesStripped(t *testing.T) {
	in := "resources:\n- https://example.com/app.yaml\n- git@github.com:o/r//base\n- github.com/o/r/base?ref=v1\n- ../base\nhelmCharts:\n- name: redis\n"
	b, _ := neutralize([]byte(in))
	out := string(b)
	for _, bad := range []string{"example.com", "git@", "github.com", "helmCharts", "redis"} {
		if strings.Contains(out, bad) {
			t.Errorf("rewritten kustomization still holds %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "../base") {
		t.Errorf("rewritten kustomization lost the local base:\n%s", out)
	}
	// Origins come from tagOrigins: kustomize's own tracking costs
	// patches² × objects.
	if strings.Contains(out, "buildMetadata") {
		t.Errorf("rewritten kustomization switches on kustomize's build metadata:\n%s", out)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
