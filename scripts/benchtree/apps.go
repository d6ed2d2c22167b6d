package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/app/goserver"
	"github.com/hoplint/hoplint/parsers/app/node"
)

// appFiles is how many files one generated application holds: its server
// file, a handful of modules it imports, and many that it does not (the
// shape of a real service: routes, models, tests, generated clients).
const appFiles = 50

// writeApps writes an application-source tree of about n files (issue 22):
// services of three kinds in turn, an Express app in JavaScript, a NestJS
// app in TypeScript and a Go net/http program, each with a Dockerfile, all
// behind one nginx in a compose file, so that hoplint follows every
// service's command to its source. One file in fifty creates a server; the
// others are ordinary modules, some imported by the server file (so they
// are read to follow imports), most not.
func writeApps(dst string, n int) (int, error) {
	apps := max(n/appFiles, 1)
	var compose, nginx strings.Builder
	compose.WriteString("services:\n  proxy:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n")
	nginx.WriteString("server {\n    listen 80;\n    client_max_body_size 20m;\n")
	files := 2
	for i := range apps {
		name := fmt.Sprintf("svc%03d", i)
		var fs map[string]string
		port := 3000
		switch i % 3 {
		case 0:
			fs = expressApp(i)
		case 1:
			fs = nestApp(i)
		default:
			fs, port = goApp(i), 8080
		}
		for p, data := range fs {
			if err := writeFile(filepath.Join(dst, name, filepath.FromSlash(p)), data); err != nil {
				return 0, err
			}
		}
		files += len(fs)
		fmt.Fprintf(&compose, "  %s:\n    build: ./%s\n", name, name)
		fmt.Fprintf(&nginx, "    location /%s/ {\n        proxy_pass http://%s:%d;\n    }\n", name, name, port)
	}
	nginx.WriteString("}\n")
	if err := writeFile(filepath.Join(dst, "compose.yaml"), compose.String()); err != nil {
		return 0, err
	}
	return files, writeFile(filepath.Join(dst, "nginx.conf"), nginx.String())
}

func writeFile(p, data string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(data), 0o644)
}

// jsModule is an ordinary module: functions and a class, no server. With
// imp it requires another module of the app.
func jsModule(i, j int, imp string) string {
	var b strings.Builder
	if imp != "" {
		fmt.Fprintf(&b, "const dep = require('%s');\n", imp)
	}
	fmt.Fprintf(&b, "'use strict';\n\nclass Repo%d_%d {\n  constructor(db) { this.db = db; this.cache = new Map(); }\n", i, j)
	for k := range 12 {
		fmt.Fprintf(&b, "  async find%d(id, opts = {}) {\n    const key = `%d:${id}`;\n    if (this.cache.has(key)) return this.cache.get(key);\n    const row = await this.db.query('SELECT * FROM t%d WHERE id = $1', [id]);\n    const out = { ...row, at: Date.now(), tags: (row.tags || []).map((t) => t.trim()) };\n    this.cache.set(key, out);\n    return opts.raw ? row : out;\n  }\n", k, k, k)
	}
	fmt.Fprintf(&b, "}\n\nmodule.exports = { Repo%d_%d };\n", i, j)
	return b.String()
}

func tsModule(i, j int, imp string) string {
	var b strings.Builder
	if imp != "" {
		fmt.Fprintf(&b, "import { helper } from '%s';\n", imp)
	}
	fmt.Fprintf(&b, "import { Injectable } from '@nestjs/common';\n\nexport interface Item%d { id: string; name: string; tags?: string[] }\n\n@Injectable()\nexport class Service%d_%d {\n  private readonly items = new Map<string, Item%d>();\n", j, i, j, j)
	for k := range 12 {
		fmt.Fprintf(&b, "  async get%d(id: string): Promise<Item%d | undefined> {\n    const it = this.items.get(id);\n    if (!it) { return undefined; }\n    return { ...it, tags: (it.tags ?? []).filter((t: string) => t.length > %d) };\n  }\n", k, j, k)
	}
	b.WriteString("}\n\nexport function helper(x: number): number { return x * 2; }\n")
	return b.String()
}

func goModuleFile(j int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "package p%d\n\nimport (\n\t\"errors\"\n\t\"strings\"\n)\n\n// Store%d keeps records.\ntype Store%d struct{ m map[string]string }\n\n", j, j, j)
	for k := range 12 {
		fmt.Fprintf(&b, "func (s *Store%d) Get%d(id string) (string, error) {\n\tv, ok := s.m[strings.ToLower(id)]\n\tif !ok {\n\t\treturn \"\", errors.New(\"not found: \" + id)\n\t}\n\treturn v, nil\n}\n\n", j, k)
	}
	return b.String()
}

func expressApp(i int) map[string]string {
	fs := map[string]string{
		"package.json": fmt.Sprintf(`{"name": "svc%d", "scripts": {"start": "node src/server.js"}, "dependencies": {"express": "^4.19.2"}}`, i),
		"Dockerfile":   "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]\n",
		"src/server.js": "const express = require('express');\nconst { Repo0_0 } = require('./lib/m0');\nconst app = express();\napp.use(express.json({ limit: '5mb' }));\napp.get('/', (req, res) => res.send('ok'));\n" +
			"const server = app.listen(process.env.PORT || 3000);\nserver.keepAliveTimeout = 65 * 1000;\nserver.headersTimeout = 66 * 1000;\n",
	}
	for j := 0; len(fs) < appFiles; j++ {
		imp := ""
		if j < 4 {
			imp = fmt.Sprintf("./m%d", j+1) // a chain of four imports
		}
		fs[fmt.Sprintf("src/lib/m%d.js", j)] = jsModule(i, j, imp)
	}
	return fs
}

func nestApp(i int) map[string]string {
	fs := map[string]string{
		"package.json": fmt.Sprintf(`{"name": "svc%d", "scripts": {"build": "nest build", "start:prod": "node dist/main"}, "dependencies": {"@nestjs/core": "^10.0.0"}}`, i),
		"Dockerfile":   "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/main.js\"]\n",
		"src/main.ts": "import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\n\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n" +
			"  app.getHttpServer().keepAliveTimeout = 61_000;\n  await app.listen(3000);\n}\nbootstrap();\n",
		"src/app.module.ts": "import { Module } from '@nestjs/common';\nimport { Service0_0 } from './items/s0';\n\n@Module({ providers: [Service0_0] })\nexport class AppModule {}\n",
	}
	for j := 0; len(fs) < appFiles; j++ {
		imp := ""
		if j < 4 {
			imp = fmt.Sprintf("./s%d", j+1)
		}
		fs[fmt.Sprintf("src/items/s%d.ts", j)] = tsModule(i, j, imp)
	}
	return fs
}

func goApp(i int) map[string]string {
	mod := fmt.Sprintf("example.com/svc%d", i)
	fs := map[string]string{
		"go.mod":                    "module " + mod + "\n\ngo 1.23\n",
		"Dockerfile":                "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/api ./cmd/api\n\nFROM gcr.io/distroless/base\nCOPY --from=build /out/api /api\nCMD [\"/api\"]\n",
		"cmd/api/main.go":           "package main\n\nimport (\n\t\"" + mod + "/internal/p0\"\n\t\"" + mod + "/internal/server\"\n)\n\nfunc main() {\n\t_ = &p0.Store0{}\n\tserver.Run()\n}\n",
		"internal/server/server.go": "package server\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nconst idle = 75 * time.Second\n\n// Run serves until it fails.\nfunc Run() {\n\tsrv := &http.Server{Addr: \":8080\", IdleTimeout: idle, ReadTimeout: 30 * time.Second}\n\t_ = srv.ListenAndServe()\n}\n",
	}
	for j := 0; len(fs) < appFiles; j++ {
		fs[fmt.Sprintf("internal/p%d/store.go", j)] = goModuleFile(j)
	}
	return fs
}

// appFloor is the least work a reader of application source can do on
// dir: read every JavaScript, TypeScript and Go file once, search its bytes
// for the names (the parsers' own prefilters), and parse with the parsers
// hoplint uses (tdewolff/parse, esbuild for TypeScript, go/parser) only the
// files that name one. No discovery of other formats, no import
// following, no linking.
func appFloor(dir string) (read, parsed int, err error) {
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := filepath.Ext(p)
		if ext != ".js" && ext != ".ts" && ext != ".go" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		read++
		f := parsers.NewFile(p, p, dir, "", data)
		switch {
		case ext == ".go" && goserver.Interesting(data):
			parsed++
			goserver.Parse([]*parsers.File{f})
		case ext != ".go" && node.Interesting(data):
			parsed++
			node.Parse(f)
		}
		return nil
	})
	return read, parsed, err
}
