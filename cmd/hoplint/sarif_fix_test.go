package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// TestSARIFFixesApply: the SARIF fixes of findings whose fix is one value
// validate, and applying them as an editor or code scanning would leaves
// those findings gone. A value a Helm template computes gets no fix.
func TestSARIFFixesApply(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"k8s/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: example/api:1.0
      resources:
        limits:
          memory: 512m
        requests:
          memory: "256m"
`,
		"nginx/nginx.conf": "events {}\nhttp {\n    lingering_close   off;\n    server {\n        listen 80;\n        client_max_body_size 1m;\n    }\n}\n",
	})
	sarifFile := filepath.Join(t.TempDir(), "out.sarif")
	if code, _, errs := runIn(t, dir, "--fail-on", "never", "--format", "sarif="+sarifFile); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(sarifFile)
	if err != nil {
		t.Fatal(err)
	}
	log, err := sarif.FromBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Validate(); err != nil {
		t.Fatalf("SARIF with fixes does not validate: %v", err)
	}
	fixed := 0
	for _, res := range log.Runs[0].Results {
		for _, fx := range res.Fixes {
			for _, ch := range fx.ArtifactChanges {
				p := filepath.Join(dir, filepath.FromSlash(*ch.ArtifactLocation.URI))
				src, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(string(src), "\n")
				for _, rep := range ch.Replacements {
					reg := rep.DeletedRegion
					// ASCII files: UTF-16 columns are byte columns.
					l := lines[*reg.StartLine-1]
					lines[*reg.StartLine-1] = l[:*reg.StartColumn-1] + *rep.InsertedContent.Text + l[*reg.EndColumn-1:]
					fixed++
				}
				if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if fixed != 3 {
		t.Errorf("%d fixes applied, want 3 (two memory quantities, one lingering_close)", fixed)
	}
	code, out, errs := runIn(t, dir, "--fail-on", "info", "--no-color")
	if strings.Contains(out, "memory-quantity-typo") || strings.Contains(out, "lingering-close-off") {
		t.Errorf("the fixes left findings (exit %d):\n%s%s", code, out, errs)
	}
	pod, _ := os.ReadFile(filepath.Join(dir, "k8s", "pod.yaml"))
	ngx, _ := os.ReadFile(filepath.Join(dir, "nginx", "nginx.conf"))
	if !strings.Contains(string(pod), "memory: 512Mi\n") || !strings.Contains(string(pod), `memory: "256Mi"`) || !strings.Contains(string(ngx), "lingering_close   on;") {
		t.Errorf("fixed files:\n%s\n%s", pod, ngx)
	}
}

// TestSARIFNoFixOnTemplate: a finding on a Helm template line that
// computes the value gets no fix: the value is not written there, and
// replacing text on that line would break the template.
func TestSARIFNoFixOnTemplate(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"chart/Chart.yaml":  "apiVersion: v2\nname: web\nversion: 0.1.0\n",
		"chart/values.yaml": "memory: 512m\n",
		"chart/templates/pod.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: example/api:1.0
      resources:
        limits:
          memory: {{ .Values.memory }}
        requests:
          memory: {{ printf "%dm" 256 }}
`,
	})
	code, out, errs := runIn(t, dir, "--fail-on", "never", "--format", "sarif")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	log, err := sarif.FromBytes([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, res := range log.Runs[0].Results {
		if *res.RuleID != "memory-quantity-typo" {
			continue
		}
		n++
		uri := *res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if strings.HasSuffix(uri, "templates/pod.yaml") && len(res.Fixes) != 0 {
			t.Errorf("a template line got a fix: %s", *res.Message.Text)
		}
	}
	if n != 2 {
		t.Errorf("%d memory-quantity-typo results, want 2:\n%s", n, out)
	}
}
