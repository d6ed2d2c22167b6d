package main

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestExampleShop pins what the README promises: hoplint on examples/shop
// reports these true findings, across Terraform, nginx and Kubernetes, and
// examples/shop-fixed (the same stack with every finding resolved) is clean.
func TestExampleShop(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	code, out, errs := runIn(t, filepath.Join(root, "shop"), "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var rep struct {
		Findings []struct {
			Rule     string
			Location struct {
				File string
				Line int
			}
			Related []struct {
				Location struct{ File string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	crossFile := 0
	for _, f := range rep.Findings {
		// Paths are relative to the repository root (issue 23 item 5).
		got = append(got, strings.TrimPrefix(f.Location.File, "examples/shop/")+":"+itoa(f.Location.Line)+" "+f.Rule)
		for _, r := range f.Related {
			if r.Location.File != f.Location.File {
				crossFile++
				break
			}
		}
	}
	sort.Strings(got)
	want := []string{
		"k8s/web.yaml:25 keepalive-order", // ingress-nginx 60s pool vs gunicorn 2s
		"k8s/web.yaml:25 keepalive-order", // nginx upstream 60s pool vs gunicorn 2s
		"k8s/web.yaml:44 missing-memory-limit",
		"nginx/nginx.conf:22 keepalive-order", // ALB 120s vs nginx 75s default
		"nginx/nginx.conf:35 upstream-keepalive-ineffective",
		"nginx/nginx.conf:38 missing-body-size-limit",
		"terraform/alb.tf:7 read-timeout-order",         // ALB 120s vs /reports/ 180s
		"terraform/cloudfront.tf:16 read-timeout-order", // CloudFront 60s vs ALB 120s
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("examples/shop findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if crossFile < 5 {
		t.Errorf("only %d findings point into another file; the cross-file story is broken", crossFile)
	}
	if code, out, _ := runIn(t, filepath.Join(root, "shop-fixed")); code != 0 || !strings.HasPrefix(out, "no findings") {
		t.Errorf("examples/shop-fixed: exit %d\n%s", code, out)
	}
	if code, out, _ := runIn(t, filepath.Join(root, "shop"), "graph", "--format", "mermaid"); code != 0 ||
		!strings.Contains(out, "CloudFront") || !strings.Contains(out, "-->|address|") {
		t.Errorf("graph of examples/shop: %s", out)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
