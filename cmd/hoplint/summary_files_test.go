package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The summary counts the files read from disk, not the output of kustomize
// build or helm template that hoplint holds as a file of its own
// (kustomization.yaml#build, Chart.yaml#template); hoplint graph says the
// same number.
func TestSummaryCountsNoRenderedFiles(t *testing.T) {
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: example/web:1.0\n      resources: {limits: {memory: 128Mi}}\n"
	dir := writeTree(t, map[string]string{
		"app/kustomization.yaml":   "resources:\n  - pod.yaml\n",
		"app/pod.yaml":             pod,
		"chart/Chart.yaml":         "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"chart/values.yaml":        "image: example/web:1.0\n",
		"chart/templates/pod.yaml": strings.Replace(pod, "example/web:1.0", "{{ .Values.image }}", 1),
	})
	_, out, errs := runIn(t, dir, "--format", "json")
	var rep struct {
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errs)
	}
	if rep.Summary["files"] != 5 {
		t.Errorf("summary files = %d, want the 5 files on disk\n%s", rep.Summary["files"], out)
	}
	_, out, _ = runIn(t, dir, "graph")
	if !strings.Contains(out, " in 5 files\n") {
		t.Errorf("graph summary does not say 5 files:\n%s", out)
	}
}
