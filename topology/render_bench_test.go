package topology_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// overlayTree writes bases bases (a Deployment, Service and Ingress each)
// and overlays overlays spread over them, each with a namespace, a name
// prefix and a strategic-merge patch of the container's limits: a
// repository of many environments.
func overlayTree(b *testing.B, bases, overlays int) string {
	dir := b.TempDir()
	write := func(p, data string) {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < bases; i++ {
		write(fmt.Sprintf("apps/app%d/base/kustomization.yaml", i), "resources:\n- app.yaml\n")
		write(fmt.Sprintf("apps/app%d/base/app.yaml", i), fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app%[1]d
spec:
  selector:
    matchLabels: {app: app%[1]d}
  template:
    metadata:
      labels: {app: app%[1]d}
    spec:
      containers:
        - name: app
          image: example/app%[1]d:1.0
          ports:
            - {name: http, containerPort: 8000}
---
apiVersion: v1
kind: Service
metadata:
  name: app%[1]d
spec:
  selector: {app: app%[1]d}
  ports:
    - {name: http, port: 80, targetPort: http}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app%[1]d
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: app%[1]d
                port: {number: 80}
`, i))
	}
	for o := 0; o < overlays; o++ {
		app := o % bases
		write(fmt.Sprintf("apps/app%d/overlays/env%d/kustomization.yaml", app, o), fmt.Sprintf(
			"namespace: env%d\nnamePrefix: e%d-\nresources:\n- ../../base\npatches:\n- path: limits.yaml\n", o, o))
		write(fmt.Sprintf("apps/app%d/overlays/env%d/limits.yaml", app, o), fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app%d
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            limits: {memory: %dMi}
`, app, 256+o))
	}
	return dir
}

// BenchmarkKustomizeOverlays measures a whole run on 200 overlays of 20
// bases: every overlay is one kustomize build, mapped back to its sources.
func BenchmarkKustomizeOverlays(b *testing.B) {
	dir := overlayTree(b, 20, 200)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		g, err := topology.Load([]string{"."}, nil, dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(rules.Run(g, nil, rules.Options{})) == 0 {
			b.Fatal("no findings: did the overlays render?")
		}
	}
	b.ReportMetric(float64(200*b.N)/b.Elapsed().Seconds(), "overlays/s")
}
