package topology_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

func TestKubernetesCases(t *testing.T) {
	linttest.RunDir(t, "../testdata/kubernetes")
}

// A manifest's text is released once the Kubernetes loader has parsed
// it (the model holds copies of what it read), so a tree of manifests is
// not held in memory to the end of the run; a finding's line reads it
// again. A file the loader does not parse keeps its text.
func TestLoadReleasesManifestText(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("web.yaml", `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`)
	write("nginx.conf", "events {}\nhttp {\n  server {\n    listen 80;\n  }\n}\n")
	g, err := topology.Load([]string{"."}, &config.Config{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	var manifest, conf *parsers.File
	for _, f := range g.Files {
		switch f.Path {
		case "web.yaml":
			manifest = f
		case "nginx.conf":
			conf = f
		}
	}
	if manifest == nil || conf == nil {
		t.Fatalf("files not discovered: %v", g.Files)
	}
	if manifest.Held() {
		t.Error("the manifest's text is still held after loading")
	}
	if !conf.Held() {
		t.Error("nginx.conf's text was released; only manifests are")
	}
	if got := manifest.Line(14); got != "          image: nginx:1.27" {
		t.Errorf("Line(14) read again = %q", got)
	}
}
