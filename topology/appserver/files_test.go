package appserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/setting"
)

// tree writes files under a temporary root and returns the root.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestMonorepoEachContainerItsOwnApp(t *testing.T) {
	root := tree(t, map[string]string{
		"apps/web/package.json":   `{"scripts": {"start": "node index.js"}}`,
		"apps/web/index.js":       "const http = require('http');\nconst s = http.createServer();\ns.keepAliveTimeout = 61000;\ns.listen(3000);\n",
		"apps/admin/package.json": `{"scripts": {"start": "node index.js"}}`,
		"apps/admin/index.js":     "const express = require('express');\nexpress().listen(3000);\n",
	})
	v := NewFiles(root, root)
	web := Identify(Process{Command: cmd("npm", "start"), Context: "apps/web", Files: v})
	if web.KeepAlive.Prov != setting.Set || web.KeepAlive.Value != 61*time.Second || web.KeepAlive.Range.File != "apps/web/index.js" || web.KeepAlive.Range.Start.Line != 3 {
		t.Errorf("web: %+v", web.KeepAlive)
	}
	admin := Identify(Process{Command: cmd("npm", "start"), Context: "apps/admin", Files: v})
	if admin.KeepAlive.Prov != setting.Default || admin.KeepAlive.Value != 5*time.Second || admin.KeepAlive.Range.File != "apps/admin/index.js" {
		t.Errorf("admin: %+v", admin.KeepAlive)
	}
	// Without a context, two applications: neither is read.
	none := Identify(Process{Command: cmd("node", "index.js"), Files: v})
	if none.KeepAlive.Known() || none.Label != "Node.js" {
		t.Errorf("no context: %+v", none)
	}
}

func TestShellEntrypointGunicorn(t *testing.T) {
	root := tree(t, map[string]string{
		"backend/docker-entrypoint.sh": "#!/bin/sh\nset -e\npython manage.py migrate --noinput\nexec gunicorn app.wsgi \\\n  --threads 4 --keep-alive 75 \\\n  --bind 0.0.0.0:8000\n",
	})
	v := NewFiles(root, root)
	info := Identify(Process{Command: cmd("/docker-entrypoint.sh"), Context: "backend", Files: v})
	if info.Label != "gunicorn (gthread)" || info.KeepAlive.Value != 75*time.Second || info.KeepAlive.Range.File != "backend/docker-entrypoint.sh" || info.KeepAlive.Range.Start.Line != 4 {
		t.Fatalf("got %q %+v", info.Label, info.KeepAlive)
	}
	if len(info.Notes) == 0 || !strings.Contains(info.Notes[0], "/docker-entrypoint.sh") {
		t.Errorf("notes %q: the path mapping is an assumption", info.Notes)
	}
	// "$@" stands for the arguments the container gives the script.
	root2 := tree(t, map[string]string{"ctx/entrypoint.sh": "#!/bin/sh\nwait-for db:5432\nexec \"$@\"\n"})
	info = Identify(Process{Command: cmd("./entrypoint.sh", "uvicorn", "main:app", "--timeout-keep-alive", "30"), Context: "ctx", Files: NewFiles(root2, root2)})
	if info.Label != "uvicorn" || info.KeepAlive.Value != 30*time.Second {
		t.Errorf("exec \"$@\": got %q %+v", info.Label, info.KeepAlive)
	}
}

func TestProcfileAndEnvFallback(t *testing.T) {
	root := tree(t, map[string]string{
		"svc/Procfile":     "release: node migrate.js\nweb: node server.js\n",
		"svc/package.json": `{"name": "svc"}`,
		"svc/server.js":    "const http = require('http');\nconst s = http.createServer();\ns.keepAliveTimeout = Number(process.env.KA ?? 65000);\ns.listen(3000);\n",
	})
	v := NewFiles(root, root)
	info := Identify(Process{Context: "svc", Files: v})
	if info.KeepAlive.Value != 65*time.Second || !strings.Contains(info.KeepAlive.Note, "KA") {
		t.Errorf("fallback: %+v", info.KeepAlive)
	}
	env := map[string]Str{"KA": {Value: "4000", Range: parsers.Range{File: "deploy.yaml", Start: parsers.Pos{Line: 7}}}}
	info = Identify(Process{Context: "svc", Files: v, Env: env})
	if info.KeepAlive.Value != 4*time.Second || len(info.KeepAlive.Via) != 1 || info.KeepAlive.Via[0].Range.File != "deploy.yaml" {
		t.Errorf("from the environment: %+v", info.KeepAlive)
	}
	env["KA"] = Str{Value: "${KA}", Unknown: true}
	if info = Identify(Process{Context: "svc", Files: v, Env: env}); info.KeepAlive.Known() {
		t.Errorf("unknown variable: %+v", info.KeepAlive)
	}
}

func TestFilesStayInsideTheRoot(t *testing.T) {
	outside := tree(t, map[string]string{"server.js": "const http = require('http');\nhttp.createServer().listen(1);\n"})
	root := tree(t, map[string]string{
		"app/package.json": `{"scripts": {"start": "node ../../server.js"}}`,
		"app/index.js":     "require('../../outside/server.js');\n",
	})
	if err := os.Symlink(filepath.Join(outside, "server.js"), filepath.Join(root, "app", "link.js")); err != nil {
		t.Skip("no symlinks:", err)
	}
	v := NewFiles(root, root)
	if _, err := v.Read("app/link.js"); err == nil {
		t.Error("a symlink out of the root was read")
	}
	if _, err := v.Read("../" + filepath.Base(outside) + "/server.js"); err == nil {
		t.Error("a path out of the root was read")
	}
	for _, c := range [][]string{{"node", "link.js"}, {"npm", "start"}, {"node", "index.js"}} {
		if info := Identify(Process{Command: cmd(c...), Context: "app", Files: v}); info.KeepAlive.Known() {
			t.Errorf("%v: read a server outside the root: %+v", c, info.KeepAlive)
		}
	}
}

func TestCompiledEntryAndVersion(t *testing.T) {
	root := tree(t, map[string]string{
		"package.json":  `{"dependencies": {"fastify": "^4"}}`,
		"src/server.ts": "import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\napp.listen({ port: 3000 });\n",
	})
	v := NewFiles(root, root)
	info := Identify(Process{Command: cmd("node", "dist/server.js"), Image: Str{Value: "node:22"}, Files: v})
	if info.Label != "Fastify (Node.js)" || info.KeepAlive.Value != 72*time.Second || info.KeepAlive.Prov != setting.Default {
		t.Errorf("fastify: %q %+v", info.Label, info.KeepAlive)
	}
	joined := strings.Join(info.Notes, "; ")
	if !strings.Contains(joined, "built from src/server.ts") || !strings.Contains(joined, "the only one in the repository") {
		t.Errorf("notes %q", joined)
	}
	// A Node.js version whose default hoplint does not vouch for.
	root2 := tree(t, map[string]string{"package.json": `{"scripts": {"start": "node s.js"}}`, "s.js": "require('http').createServer().listen(1);\n"})
	if info := Identify(Process{Command: cmd("npm", "start"), Image: Str{Value: "node:27"}, Files: NewFiles(root2, root2)}); info.KeepAlive.Known() {
		t.Errorf("node 27: %+v", info.KeepAlive)
	}
	if info := Identify(Process{Command: cmd("npm", "start"), Image: Str{Value: "node:20.11"}, Files: NewFiles(root2, root2)}); info.KeepAlive.Value != 5*time.Second || info.KeepAlive.Default.Version != "20.11" {
		t.Errorf("node 20.11: %+v", info.KeepAlive)
	}
}

func TestBackgroundServers(t *testing.T) {
	root := tree(t, map[string]string{
		"server/package.json":    `{"dependencies": {"express": "4"}}`,
		"server/index.js":        "const express = require('express');\nexpress().listen(3001);\n",
		"collector/package.json": `{"dependencies": {"express": "4"}}`,
		"collector/index.js":     "const express = require('express');\nconst s = express().listen(8888);\ns.keepAliveTimeout = 65000;\n",
	})
	script := "cd /app/server && npx prisma migrate deploy && node /app/server/index.js &\nnode /app/collector/index.js &\nwait -n"
	info := Identify(Process{Command: cmd("/bin/bash", "-c", script), Context: ".", Files: NewFiles(root, root)})
	if info.KeepAlive.Known() || !strings.Contains(strings.Join(info.Notes, " "), "more than one server") {
		t.Errorf("two servers in the background: %+v %q", info.KeepAlive, info.Notes)
	}
	// In sequence, the last command is the server.
	info = Identify(Process{Command: cmd("/bin/bash", "-c", "node /app/server/index.js && node /app/collector/index.js"), Context: ".", Files: NewFiles(root, root)})
	if info.KeepAlive.Value != 65*time.Second {
		t.Errorf("in sequence: %+v", info.KeepAlive)
	}
	for s, want := range map[string]bool{"a && b": false, "a 2>&1": false, "a &> log": false, "a & b": true, "echo '&' x": false} {
		if hasBackground(s) != want {
			t.Errorf("hasBackground(%q) = %v", s, !want)
		}
	}
}

func TestGoIdleTimeoutFallsBackToReadTimeout(t *testing.T) {
	root := tree(t, map[string]string{
		"go.mod":              "module example.com/shop/v2\n\ngo 1.22\n",
		"cmd/api/main.go":     "package main\n\nimport \"example.com/shop/v2/internal/web\"\n\nfunc main() { web.Serve() }\n",
		"internal/web/web.go": "package web\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nconst readLimit = 30 * time.Second\n\nfunc Serve() {\n\tsrv := &http.Server{\n\t\tAddr:        \":8080\",\n\t\tReadTimeout: readLimit,\n\t}\n\tsrv.ListenAndServe()\n}\n",
		"cmd/tool/main.go":    "package main\n\nfunc main() {}\n",
	})
	v := NewFiles(root, root)
	info := Identify(Process{Command: cmd("/usr/local/bin/api"), Files: v})
	if info.KeepAlive.Prov != setting.Set || info.KeepAlive.Value != 30*time.Second || info.KeepAlive.Range.File != "internal/web/web.go" || !strings.Contains(info.KeepAlive.Name, "ReadTimeout") {
		t.Fatalf("got %q %+v", info.Label, info.KeepAlive)
	}
	// A binary no main package is named after: not this program.
	if info := Identify(Process{Command: cmd("/usr/bin/redis-server"), Files: v}); info.Label != "" {
		t.Errorf("redis-server taken for the Go program: %+v", info)
	}
}

// The shape of miniflux (internal/http/server/server.go, internal/config/options.go):
// every timeout from an accessor whose default sits in a table of options keyed
// by the environment variable that overrides it.
func TestGoOptionDefault(t *testing.T) {
	root := tree(t, map[string]string{
		"go.mod":                     "module miniflux.app/v2\n",
		"main.go":                    "package main\n\nimport \"miniflux.app/v2/internal/server\"\n\nfunc main() { server.Start() }\n",
		"internal/server/server.go":  "package server\n\nimport (\n\t\"net/http\"\n\n\t\"miniflux.app/v2/internal/config\"\n)\n\nfunc Start() {\n\tsrv := &http.Server{\n\t\tReadTimeout: config.Opts.HTTPServerTimeout(),\n\t\tIdleTimeout: config.Opts.HTTPServerTimeout(),\n\t}\n\tsrv.ListenAndServe()\n}\n",
		"internal/config/options.go": "package config\n\nimport \"time\"\n\ntype option struct {\n\tparsedDuration time.Duration\n}\n\ntype configOptions struct {\n\toptions map[string]*option\n}\n\nvar Opts = &configOptions{options: map[string]*option{\n\t\"HTTP_SERVER_TIMEOUT\": {\n\t\tparsedDuration: 300 * time.Second,\n\t},\n}}\n\nfunc (c *configOptions) HTTPServerTimeout() time.Duration {\n\treturn c.options[\"HTTP_SERVER_TIMEOUT\"].parsedDuration\n}\n",
	})
	v := NewFiles(root, root)
	info := Identify(Process{Command: cmd("/usr/bin/miniflux"), Files: v})
	if info.KeepAlive.Value != 300*time.Second || info.KeepAlive.Range.File != "internal/config/options.go" || !strings.Contains(info.KeepAlive.Note, "HTTP_SERVER_TIMEOUT") {
		t.Fatalf("got %q %+v", info.Label, info.KeepAlive)
	}
	// The container sets the variable: its unit is the program's business.
	env := map[string]Str{"HTTP_SERVER_TIMEOUT": {Value: "30"}}
	if info := Identify(Process{Command: cmd("/usr/bin/miniflux"), Files: v, Env: env}); info.KeepAlive.Known() {
		t.Errorf("with HTTP_SERVER_TIMEOUT set: %+v", info.KeepAlive)
	}
}

func TestConfigFilesThroughEntrypoints(t *testing.T) {
	root := tree(t, map[string]string{
		"backend/entrypoint.sh":    "#!/bin/bash\nset -euo pipefail\n./manage.py migrate\nexec gunicorn -c gunicorn.conf.py project.wsgi\n",
		"backend/gunicorn.conf.py": "import os\nbind = '0.0.0.0:8000'\nworker_class = 'gthread'\nthreads = 4\nkeepalive = 5\n",
		"web/bin/start":            "#!/bin/sh\nexec bundle exec rails server -b 0.0.0.0\n",
		"web/config/puma.rb":       "threads 5, 5\npersistent_timeout ENV.fetch('PERSISTENT_TIMEOUT') { 75 }\n",
		"sync/gunicorn.conf.py":    "workers = 4\nkeepalive = 75\n",
	})
	v := NewFiles(root, root)
	info := Identify(Process{Command: cmd("/app/entrypoint.sh"), Context: "backend", Files: v})
	if info.Label != "gunicorn (gthread)" || info.KeepAlive.Value != 5*time.Second || info.KeepAlive.Range.File != "backend/gunicorn.conf.py" || info.KeepAlive.Range.Start.Line != 5 {
		t.Errorf("gunicorn.conf.py: %q %+v", info.Label, info.KeepAlive)
	}
	// The command line wins over the file.
	info = Identify(Process{Command: cmd("gunicorn", "--keep-alive", "90", "project.wsgi"), Context: "backend", Files: v})
	if info.KeepAlive.Value != 90*time.Second || info.KeepAlive.Range.File != "deploy.yaml" {
		t.Errorf("flag over file: %+v", info.KeepAlive)
	}
	// The sync worker (the file sets no worker_class) closes every connection.
	info = Identify(Process{Command: cmd("gunicorn", "app:app"), Context: "sync", Files: v})
	if info.Label != "gunicorn (sync)" || info.KeepAlive.Known() {
		t.Errorf("sync: %q %+v", info.Label, info.KeepAlive)
	}
	info = Identify(Process{Command: cmd("bin/start"), Context: "web", Files: v, Version: func(string) string { return "6.4" }})
	if info.Label != "Puma" || info.KeepAlive.Value != 75*time.Second || info.KeepAlive.Range.File != "web/config/puma.rb" {
		t.Errorf("puma.rb: %q %+v", info.Label, info.KeepAlive)
	}
	env := map[string]Str{"PERSISTENT_TIMEOUT": {Value: "20"}}
	if info = Identify(Process{Command: cmd("bin/start"), Context: "web", Files: v, Env: env}); info.KeepAlive.Value != 20*time.Second {
		t.Errorf("puma.rb from the environment: %+v", info.KeepAlive)
	}
}
