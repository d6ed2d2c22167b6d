package main

import (
	"os"
	"path/filepath"
	"testing"
)

// source-floor reads the files hoplint discovers (not a README, not a
// file in node_modules) and parses each but the Apache ones, which have no
// library of their own.
func TestSourceFloorReadsWhatHoplintDiscovers(t *testing.T) {
	dir := floorTree(t)
	got, err := sourceFloor(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := (floorCounts{files: 6, parsed: 5}); got != want {
		t.Errorf("sourceFloor = %+v, want %+v", got, want)
	}
}

// compose-floor loads the discovered compose file with compose-go (and
// counts one that compose-go refuses apart), not the one in node_modules.
func TestComposeFloorLoadsTheComposeFiles(t *testing.T) {
	dir := floorTree(t)
	bad := filepath.Join(dir, "broken", "docker-compose.yml")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("services:\n  web:\n    image: nginx\n    ports: {not: a list}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok, failed, err := composeFloor(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || failed != 1 {
		t.Errorf("composeFloor = %d loaded, %d refused; want 1 and 1", ok, failed)
	}
}

func floorTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"app/compose.yaml":            "services:\n  web:\n    image: nginx\n",
		"app/Dockerfile":              "FROM nginx\nCOPY nginx.conf /etc/nginx/nginx.conf\n",
		"app/nginx.conf":              "events {}\nhttp {\n  server {\n    listen 80;\n    location / { proxy_pass http://web:8000; }\n  }\n}\n",
		"infra/main.tf":               "resource \"aws_lb\" \"front\" {\n  name = \"front\"\n}\n",
		"infra/task.json":             `{"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx", "portMappings": [{"containerPort": 80}]}]}`,
		"apache/httpd.conf":           "Listen 80\n<VirtualHost *:80>\n  ServerName example.com\n  ProxyPass / http://web:8000/\n</VirtualHost>\n",
		"README.md":                   "# not configuration\n",
		"node_modules/x/compose.yaml": "services:\n  skipped:\n    image: x\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
