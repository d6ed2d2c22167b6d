package topology_test

import (
	"bytes"

	"fmt"
	"gopkg.in/yaml.v3"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// genTree writes a stack of the given scale: scale×1000 Kubernetes
// manifests (Deployments and Services, one app per pair, spread over
// namespaces and files), scale×100 nginx servers proxying to the Services
// by cluster DNS name, and scale×50 Terraform ALBs (ten to a file, with
// comments) whose target groups send to half of the nginx servers by port.
// Scale 5 is 5,000 manifests, 500 nginx servers and 250 load balancers.
func genTree(tb testing.TB, dir string, scale int) {
	tb.Helper()
	apps := scale * 500 // two manifests per app
	for f := 0; f*50 < apps; f++ {
		var b strings.Builder
		for i := f * 50; i < (f+1)*50 && i < apps; i++ {
			ns := fmt.Sprintf("ns%d", i%20)
			fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app%d
  namespace: %s
spec:
  selector:
    matchLabels: {app: app%d}
  template:
    metadata:
      labels: {app: app%d, tier: web}
    spec:
      containers:
        - name: web
          image: python:3.12
          command: ["gunicorn", "--worker-class", "gthread", "--keep-alive", "5", "app:wsgi"]
          ports: [{containerPort: 8000}]
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: app%d
  namespace: %s
spec:
  selector: {app: app%d}
  ports: [{port: 80, targetPort: 8000}]
`, i, ns, i, i, i, ns, i)
		}
		writeFile(tb, filepath.Join(dir, "k8s", fmt.Sprintf("apps%03d.yaml", f)), b.String())
	}
	var n strings.Builder
	n.WriteString("events {}\nhttp {\n")
	for i := 0; i < scale*100; i++ {
		fmt.Fprintf(&n, `    upstream up%d {
        server app%d.ns%d.svc.cluster.local:80;
        keepalive 16;
    }
    server {
        listen %d;
        server_name app%d.example.com;
        client_max_body_size 10m;
        location / {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://up%d;
        }
    }
`, i, i, i%20, 10000+i, i, i)
	}
	n.WriteString("}\n")
	writeFile(tb, filepath.Join(dir, "nginx", "nginx.conf"), n.String())
	for f := 0; f*10 < scale*50; f++ {
		var t strings.Builder
		for i := f * 10; i < (f+1)*10 && i < scale*50; i++ {
			fmt.Fprintf(&t, `# Load balancer %[1]d: ALB in front of nginx server %[1]d.
resource "aws_lb" "lb%[1]d" {
  name         = "lb%[1]d" # the console name
  idle_timeout = 120
}

resource "aws_lb_target_group" "tg%[1]d" {
  port     = %[2]d
  protocol = "HTTP"
}

resource "aws_lb_listener" "http%[1]d" {
  load_balancer_arn = aws_lb.lb%[1]d.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.tg%[1]d.arn
  }
}
`, i, 10000+i)
		}
		writeFile(tb, filepath.Join(dir, "terraform", fmt.Sprintf("lb%03d.tf", f)), t.String())
	}
}

func writeFile(tb testing.TB, p, s string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkBuild measures a whole run (discover, parse, build, link, rules)
// at scales 1, 2 and 4, and 5 (the size). Linking is by indexes,
// so ns/op should grow linearly with the scale; scripts/bench.sh checks it.
func BenchmarkBuild(b *testing.B) {
	for _, scale := range []int{1, 2, 4, 5} {
		dir := b.TempDir()
		genTree(b, dir, scale)
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			b.ReportAllocs()
			var hops, edges int
			for i := 0; i < b.N; i++ {
				g, err := topology.Load([]string{"."}, &config.Config{}, dir)
				if err != nil {
					b.Fatal(err)
				}
				_ = rules.Run(g, &config.Config{}, rules.Options{})
				hops, edges = len(g.Hops), len(g.Edges)
			}
			b.ReportMetric(float64(scale*1000), "manifests")
			b.ReportMetric(float64(hops), "hops")
			b.ReportMetric(float64(edges), "links")
		})
	}
}

// TestGeneratedTreeLinks checks the benchmark's tree is what it claims: every
// nginx upstream reaches the gunicorn containers through the cluster DNS
// name, so the benchmark measures linking, not an empty graph.
func TestGeneratedTreeLinks(t *testing.T) {
	dir := t.TempDir()
	genTree(t, dir, 1)
	g, err := topology.Load([]string{"."}, &config.Config{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	links := 0
	for _, e := range g.Edges {
		if e.From.Kind == topology.KindNginxUpstream && e.To.Kind == topology.KindAppServer {
			links++
		}
	}
	if links != 100 {
		t.Errorf("%d upstream → app server links, want 100", links)
	}
	tgs := 0
	for _, e := range g.Edges {
		if e.From.Kind == topology.KindTargetGroup && e.To.Kind == topology.KindNginxServer {
			tgs++
		}
	}
	if tgs != 50 {
		t.Errorf("%d target group → nginx server links, want 50", tgs)
	}
	for _, f := range rules.Run(g, &config.Config{}, rules.Options{}) {
		if f.Rule == "keepalive-order" {
			return
		}
	}
	t.Errorf("no keepalive-order finding: upstream pools 60s against gunicorn's 5s keep-alive")
}

// BenchmarkDecodeOnly is the floor: yaml.v3 decoding the scale-5 tree's
// manifests into nodes, nothing else.
func BenchmarkDecodeOnly(b *testing.B) {
	dir := b.TempDir()
	genTree(b, dir, 5)
	files, _ := filepath.Glob(filepath.Join(dir, "k8s", "*.yaml"))
	var data [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range data {
			dec := yaml.NewDecoder(bytes.NewReader(d))
			for {
				var n yaml.Node
				if err := dec.Decode(&n); err != nil {
					break
				}
			}
		}
	}
}
