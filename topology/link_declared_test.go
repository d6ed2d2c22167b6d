package topology

import (
	"strings"
	"testing"
)

func TestResolveHop(t *testing.T) {
	g := &Graph{}
	for _, id := range []string{
		"k8s/app.yaml#Deployment/shop/web/containers/web",
		"k8s/app.yaml#Deployment/shop/web/containers/metrics",
		"k8s/app.yaml#Deployment/shop/api/containers/api",
		"cdn.tf#aws_cloudfront_distribution.cdn.origin.alb",
		"k8s/app.yaml#Deployment/shop/webx/containers/webx",
	} {
		g.AddHop(&Hop{ID: id})
	}
	ids := sortedIDs(g)
	for id, want := range map[string]string{
		"k8s/app.yaml#Deployment/shop/api":                "k8s/app.yaml#Deployment/shop/api/containers/api",
		"cdn.tf#aws_cloudfront_distribution.cdn":          "cdn.tf#aws_cloudfront_distribution.cdn.origin.alb",
		"k8s/app.yaml#Deployment/shop/webx":               "k8s/app.yaml#Deployment/shop/webx/containers/webx",
		"k8s/app.yaml#Deployment/shop/web/containers/web": "k8s/app.yaml#Deployment/shop/web/containers/web",
		// Two containers: the error names the first in the graph's order.
		"k8s/app.yaml#Deployment/shop/web": `names 2 hops (k8s/app.yaml#Deployment/shop/web/containers/web, …)`,
		"k8s/app.yaml#Deployment/shop/we":  `no hop`,
	} {
		h, err := resolveHop(g, ids, id)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = h.ID
		}
		if !strings.Contains(got, want) {
			t.Errorf("resolveHop(%q) = %q, want %q", id, got, want)
		}
	}
}
