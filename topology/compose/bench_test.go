package compose_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/topology"
)

// BenchmarkProjects loads a generated tree of compose projects, each an
// nginx service built from a Dockerfile that COPYs a directory of
// configs and bind-mounts another, beside an app service. Every project
// costs the same, so B/op and allocs/op per project must stay flat from
// one size to the next (compare with -benchmem), and so should ns/op per
// project on a quiet machine: work repeated per project over the whole
// tree (a scan of every linted file per COPY or bind mount of a
// directory, as put did) shows as a per-project cost growing with it.
func BenchmarkProjects(b *testing.B) {
	for _, n := range []int{25, 100} {
		dir := b.TempDir()
		writeProjects(b, dir, n)
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := topology.Load([]string{dir}, nil, dir); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "projects/op")
		})
	}
}

func writeProjects(b *testing.B, dir string, n int) {
	b.Helper()
	files := map[string]string{
		"compose.yaml": `services:
  proxy:
    build: ./proxy
    ports: ["80:80"]
    volumes:
      - ./conf.d:/etc/nginx/conf.d:ro
  web:
    image: python:3.12
    command: gunicorn --keep-alive 2 app:app
    env_file: .env
`,
		".env":             "WORKERS=4\n",
		"proxy/Dockerfile": "FROM nginx:1.27-alpine\nCOPY nginx/ /etc/nginx/\n",
		"proxy/nginx/nginx.conf": `events {}
http { include /etc/nginx/conf.d/*.conf; }
`,
		"conf.d/web.conf": `server {
  listen 80;
  location / { proxy_pass http://web:8000; }
}
`,
		"conf.d/extra.conf": "client_max_body_size 10m;\n",
	}
	for i := range n {
		for name, data := range files {
			p := filepath.Join(dir, fmt.Sprintf("p%d", i), filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
}
