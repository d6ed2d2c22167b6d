package topology_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// benchTree writes n manifests (a Deployment, a Service and an Ingress
// each, across nested directories) and returns their directory.
func benchTree(b *testing.B, n int) (string, [][]byte) {
	dir := b.TempDir()
	var all [][]byte
	for i := 0; i < n; i++ {
		data := []byte(fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app%[1]d
  namespace: ns%[2]d
  labels: {app: app%[1]d, team: t%[2]d}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app%[1]d}
  template:
    metadata:
      labels: {app: app%[1]d, team: t%[2]d}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      containers:
        - name: app
          image: example/app%[1]d:1.%[1]d
          command: ["gunicorn", "-k", "gthread", "--threads", "4", "--bind", "0.0.0.0:8000", "app:app"]
          env:
            - {name: JAVA_TOOL_OPTIONS, value: "-Xmx256m"}
            - {name: LOG_LEVEL, value: info}
          ports:
            - {name: http, containerPort: 8000}
          resources:
            requests: {cpu: 100m, memory: 256Mi}
            limits: {cpu: "1", memory: 512Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
---
apiVersion: v1
kind: Service
metadata:
  name: app%[1]d
  namespace: ns%[2]d
spec:
  selector: {app: app%[1]d}
  ports:
    - {name: http, port: 80, targetPort: http}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app%[1]d
  namespace: ns%[2]d
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  rules:
    - host: app%[1]d.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: app%[1]d
                port: {number: 80}
`, i, i%40))
		p := filepath.Join(dir, fmt.Sprintf("team%d", i%40), fmt.Sprintf("svc%d", i/40), "app.yaml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		all = append(all, data)
	}
	return dir, all
}

// BenchmarkKubernetesLoad measures a whole run (discovery, parsing,
// linking, every rule) on 2,700 manifests, next to the time yaml.v3 alone
// takes to decode the same files into Nodes; the goal is at most twice.
func BenchmarkKubernetesLoad(b *testing.B) {
	dir, files := benchTree(b, 2700)
	b.Run("yaml.v3-decode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, data := range files {
				dec := yaml.NewDecoder(bytes.NewReader(data))
				for {
					var n yaml.Node
					if err := dec.Decode(&n); errors.Is(err, io.EOF) {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
	})
	b.Run("hoplint", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			g, err := topology.Load([]string{"."}, nil, dir)
			if err != nil {
				b.Fatal(err)
			}
			rules.Run(g, nil, rules.Options{})
		}
		b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "files/s")
	})
}
