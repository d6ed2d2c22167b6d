package topology_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/topology"
)

// TestPodCases: the nginx or httpd a ConfigMap configures inside a pod is
// a hop on the path (includes resolved against the mounted entries, the
// version from the image tag), and loopback reaches sibling containers.
func TestPodCases(t *testing.T) { linttest.RunDir(t, "../testdata/pod") }

// TestPodGraph: `hoplint graph` prints the servers and locations of the
// configuration a container runs under that container, every server of
// it (not only the one its port reaches), and each once.
func TestPodGraph(t *testing.T) {
	ar, err := txtar.ParseFile("../testdata/pod/confd_two_keys.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, g, _ := linttest.Lint(t, ar)
	var b bytes.Buffer
	if err := topology.RenderText(&b, g); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	container := strings.Index(out, "\nnginx 1.27 in container nginx of Deployment web/proxy  [app-server]")
	if container < 0 {
		t.Fatalf("no container hop in:\n%s", out)
	}
	next := strings.Index(out[container+1:], "\ngunicorn")
	if next < 0 {
		t.Fatalf("no app container after the nginx one:\n%s", out)
	}
	block := out[container : container+1+next]
	for _, want := range []string{
		"\n    nginx default server (port 8080)  [nginx-server]",
		"\n    nginx location / of default server (port 8080)  [nginx-location]",
		"\n    nginx default server (port 8081)  [nginx-server]",
		"\n      keep-alive           65s",
	} {
		if !strings.Contains(block, want) {
			t.Errorf("the container's block lacks %q:\n%s", want, block)
		}
	}
	if n := strings.Count(out, "nginx default server (port 8081)  [nginx-server]"); n != 1 {
		t.Errorf("server 8081 printed %d times, want once:\n%s", n, out)
	}
	b.Reset()
	if err := topology.RenderMermaid(&b, g); err != nil {
		t.Fatal(err)
	}
	if m := b.String(); !strings.Contains(m, "  subgraph pod") || strings.Count(m, "\n  end\n") != 1 {
		t.Errorf("mermaid: want one subgraph for the nginx container:\n%s", m)
	}
}

// TestPodIncludeBomb: ConfigMap entries that each include the next twice
// would expand to 2^30 copies; the includes stop after 2000 files with one
// parse-error, and the run ends.
func TestPodIncludeBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n")
	b.WriteString("  nginx.conf: |\n    events {}\n    http {\n        include /etc/nginx/conf.d/k0.conf;\n    }\n")
	const keys = 30
	for i := 0; i < keys; i++ {
		fmt.Fprintf(&b, "  k%d.conf: |\n", i)
		if i < keys-1 {
			fmt.Fprintf(&b, "    include /etc/nginx/conf.d/k%d.conf;\n    include /etc/nginx/conf.d/k%d.conf;\n", i+1, i+1)
		} else {
			b.WriteString("    server { listen 80; location / { proxy_pass http://127.0.0.1:9000; } }\n")
		}
	}
	b.WriteString(`---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: b
spec:
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          resources: {limits: {memory: 128Mi}}
          volumeMounts:
            - {name: c, mountPath: /etc/nginx/nginx.conf, subPath: nginx.conf}
            - {name: c, mountPath: /etc/nginx/conf.d}
      volumes:
        - {name: c, configMap: {name: bomb}}
`)
	findings, _, _ := linttest.Lint(t, &txtar.Archive{Files: []txtar.File{{Name: "k.yaml", Data: []byte(b.String())}}})
	n := 0
	for _, f := range findings {
		if f.Rule == "parse-error" && strings.Contains(f.Message, "more than 2000 files included") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("want one parse-error for the include cap, got %d in %d findings", n, len(findings))
	}
}

// TestPodHopIDsUnique: three ConfigMaps in one manifest, each with a server
// on 8080, give three hops with three IDs.
func TestPodHopIDsUnique(t *testing.T) {
	ar, err := txtar.ParseFile("../testdata/pod/image_versions.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, g, _ := linttest.Lint(t, ar)
	seen := map[string]bool{}
	servers := 0
	for _, h := range g.Hops {
		if seen[h.ID] {
			t.Errorf("hop ID %s is used twice", h.ID)
		}
		seen[h.ID] = true
		if h.Kind == topology.KindNginxServer && h.File == "latest.yaml" {
			servers++
		}
	}
	if servers != 3 {
		t.Errorf("want the 3 servers of latest.yaml, got %d", servers)
	}
}
