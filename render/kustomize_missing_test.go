package render

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

const missingDeploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"

// TestKustomizeMissingGeneratorInput: a generator input that is not in
// the tree (a gitignored .env) no longer loses every overlay: kustomize
// builds with an empty stand-in, hoplint says so once on the line that
// names the file, and a files: key from it is left out rather than empty.
func TestKustomizeMissingGeneratorInput(t *testing.T) {
	dir := t.TempDir()
	files := writeFiles(t, dir, map[string]string{
		"base/kustomization.yaml": "resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: web\n  files:\n  - nginx.conf\n  - extra.conf\n  envs:\n  - .env\nsecretGenerator:\n- name: creds\n  env: secret.env\n",
		"base/deploy.yaml":        missingDeploy,
		"base/nginx.conf":         "events {}\n",
		"prod/kustomization.yaml": "resources:\n- ../base\nnamePrefix: prod-\n",
		"uat/kustomization.yaml":  "resources:\n- ../base\nnamePrefix: uat-\nsecretGenerator:\n- name: more\n  envs: [.env]\n",
	})
	out, problems := Render(files, Options{WorkDir: dir})
	want := map[string]int{"extra.conf": 7, ".env": 9, "secret.env": 12}
	got := map[string]int{}
	for _, p := range problems {
		switch {
		case p.Kind == parsers.ProblemParse:
			t.Errorf("parse error: %s:%d %s", p.Range.File, p.Range.Start.Line, p.Message)
		case p.Kind == parsers.ProblemUnfollowed && strings.Contains(p.Message, "does not exist in the tree"):
			name, _, _ := strings.Cut(p.Message, " ")
			if p.Range.File == "base/kustomization.yaml" {
				got[name] = p.Range.Start.Line
			} else if p.Range.File != "uat/kustomization.yaml" || name != ".env" || p.Range.Start.Line != 6 {
				t.Errorf("unexpected: %s:%d %s", p.Range.File, p.Range.Start.Line, p.Message)
			}
		default:
			t.Errorf("unexpected: %s:%d %s", p.Range.File, p.Range.Start.Line, p.Message)
		}
	}
	for name, line := range want {
		if got[name] != line {
			t.Errorf("%s: finding on line %d, want one on line %d; all: %+v", name, got[name], line, problems)
		}
	}
	if len(problems) != 4 {
		t.Errorf("%d problems, want 4 (one per missing file, not per overlay): %+v", len(problems), problems)
	}
	builds := 0
	for _, f := range out {
		if !strings.HasSuffix(f.Path, "#build") {
			continue
		}
		builds++
		text := string(f.Bytes())
		if !strings.Contains(text, "kind: Deployment") || !strings.Contains(text, "nginx.conf: |") && !strings.Contains(text, "nginx.conf: 'events") {
			t.Errorf("%s lacks the Deployment or the nginx.conf key:\n%s", f.Path, text)
		}
		if strings.Contains(text, "extra.conf") {
			t.Errorf("%s holds a made-up empty extra.conf:\n%s", f.Path, text)
		}
	}
	if builds != 2 {
		t.Errorf("%d builds, want prod and uat", builds)
	}
}

// TestKustomizeOneRootFailure: a base that does not build is reported
// once, at the entry in the base that breaks it, with the overlays it
// stops as related locations, not once per overlay.
func TestKustomizeOneRootFailure(t *testing.T) {
	dir := t.TempDir()
	files := writeFiles(t, dir, map[string]string{
		"base/kustomization.yaml": "resources:\n- deploy.yaml\npatches:\n- path: gone.yaml\n",
		"base/deploy.yaml":        missingDeploy,
		"a/kustomization.yaml":    "resources:\n- ../base\nnamePrefix: a-\n",
		"b/kustomization.yaml":    "resources:\n- ../base\nnamePrefix: b-\n",
		"c/kustomization.yaml":    "resources:\n- ../base\nnamePrefix: c-\n",
	})
	_, problems := Render(files, Options{WorkDir: dir})
	if len(problems) != 1 {
		t.Fatalf("%d problems, want one: %+v", len(problems), problems)
	}
	p := problems[0]
	if p.Range.File != "base/kustomization.yaml" || p.Range.Start.Line != 4 || !strings.Contains(p.Message, "kustomize build fails here, so nothing of a, which includes it, is linted") {
		t.Errorf("got %s:%d %s", p.Range.File, p.Range.Start.Line, p.Message)
	}
	if len(p.Related) != 2 || p.Related[0].Range.File != "b/kustomization.yaml" || p.Related[1].Range.File != "c/kustomization.yaml" {
		t.Errorf("related: %+v", p.Related)
	}
}
