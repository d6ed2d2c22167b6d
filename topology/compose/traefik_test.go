package compose_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
	"golang.org/x/tools/txtar"
)

// TestLabelProxyCases runs the Traefik and nginx-proxy cases alone, for a
// quick -run while working on them.
func TestLabelProxyCases(t *testing.T) {
	for _, pat := range []string{"traefik_*.txtar", "nginxproxy_*.txtar"} {
		files, _ := filepath.Glob(filepath.Join("../../testdata/compose", pat))
		if len(files) == 0 {
			t.Fatalf("no %s cases", pat)
		}
		for _, f := range files {
			t.Run(filepath.Base(f), func(t *testing.T) { linttest.RunFile(t, f) })
		}
	}
}

// lintTree writes files under a new root, lets prepare add what an
// archive cannot hold (symlinks), and lints the root.
func lintTree(t *testing.T, archive string, prepare func(root string)) []rules.Finding {
	t.Helper()
	root := t.TempDir()
	linttest.Extract(t, txtar.Parse([]byte(archive)), root)
	if prepare != nil {
		prepare(root)
	}
	g, err := topology.Load([]string{"."}, &config.Config{}, root)
	if err != nil {
		t.Fatal(err)
	}
	return rules.Run(g, &config.Config{}, rules.Options{})
}

func findings(fs []rules.Finding, rule string) []rules.Finding {
	var out []rules.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

const traefikLabelled = `-- compose.yaml --
services:
  traefik:
    image: traefik:v3.1
    volumes:
      - ./traefik.yml:/etc/traefik/traefik.yml:ro
  api:
    image: example/api:2
    command: ["uvicorn", "main:app", "--port", "8000"]
    labels:
      - traefik.enable=true
      - traefik.http.routers.api.rule=Host(` + "`api.example.com`" + `)
`

// A static configuration hoplint may not read (a symlink out of the root,
// broken or hostile YAML, TOML) leaves Traefik's options at their
// defaults, and the finding says it assumed so; nothing crashes and
// nothing outside the root is read.
func TestTraefikStaticUnreadable(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "traefik.yml")
	if err := os.WriteFile(secret, []byte("providers:\n  docker: {}\nserversTransport:\n  forwardingTimeouts:\n    idleConnTimeout: 1s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat("a:\n  ", 2000) + "b: 1\n"
	cases := map[string]struct {
		file    string
		symlink bool
		want    string
	}{
		"symlink outside the root": {symlink: true, want: "mounted from outside the linted tree"},
		"not YAML":                 {file: "providers: [docker\n  : {{{", want: "could not read Traefik's static configuration traefik.yml as YAML"},
		"deeply nested":            {file: deep},
		"YAML list":                {file: "- a\n- b\n", want: "as YAML"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fs := lintTree(t, traefikLabelled, func(root string) {
				p := filepath.Join(root, "traefik.yml")
				if c.symlink {
					if err := os.Symlink(secret, p); err != nil {
						t.Skip("no symlinks here:", err)
					}
					return
				}
				if err := os.WriteFile(p, []byte(c.file), 0o644); err != nil {
					t.Fatal(err)
				}
			})
			ka := findings(fs, "keepalive-order")
			if name == "deeply nested" {
				// Read as YAML: no providers.docker, no routes.
				if len(ka) != 0 {
					t.Fatalf("a static file without providers.docker still routed: %v", ka)
				}
				return
			}
			if len(ka) != 1 {
				t.Fatalf("want one keepalive-order on the assumed defaults, got %v", fs)
			}
			if !strings.Contains(ka[0].Message, "90s") || !strings.Contains(ka[0].Message, c.want) {
				t.Fatalf("message does not state the assumption %q: %s", c.want, ka[0].Message)
			}
		})
	}
}

// A vhost.d file that links out of the root is not read: the body limit
// of nginx-proxy's virtual host is unknown, so neither body-size-order
// (10G outside against 512M) nor missing-body-size-limit speaks.
func TestNginxProxyVhostOutsideRoot(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "app.example.com")
	if err := os.WriteFile(secret, []byte("client_max_body_size 10G;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := lintTree(t, `-- compose.yaml --
services:
  proxy:
    image: nginxproxy/nginx-proxy:1.7
    volumes:
      - ./vhost.d:/etc/nginx/vhost.d:ro
  app:
    image: nginx:1.27
    environment:
      VIRTUAL_HOST: app.example.com
    expose: ["80"]
    volumes:
      - ./app.conf:/etc/nginx/conf.d/default.conf:ro
-- app.conf --
server {
    listen 80;
    client_max_body_size 512M;
    location / { root /srv; }
}
-- vhost.d/.keep --
`, func(root string) {
		if err := os.Symlink(secret, filepath.Join(root, "vhost.d", "app.example.com")); err != nil {
			t.Skip("no symlinks here:", err)
		}
	})
	for _, rule := range []string{"body-size-order", "missing-body-size-limit"} {
		for _, f := range findings(fs, rule) {
			if strings.Contains(f.Message, "nginx-proxy") {
				t.Errorf("a vhost.d file outside the root decided a finding: %s", f.Message)
			}
		}
	}
}
