package kubernetes

import "testing"

func TestParseGatewayObjects(t *testing.T) {
	res := parse(t, `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs:
    - name: edge
      namespace: infra
      sectionName: https
  hostnames: ["shop.example.com"]
  rules:
    - name: api
      matches:
        - path: {type: PathPrefix, value: /api}
      backendRefs:
        - name: api
          namespace: backend
          port: 8080
          weight: 90
      timeouts:
        request: 10s
        backendRequest: 2s
      retry: {attempts: 2}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public}
spec:
  selector: {istio: ingressgateway}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
    - {name: https, port: 443, protocol: HTTPS, hostname: "*.example.com"}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: pool, namespace: shop}
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: HTTPRoute, name: web}
  timeout:
    http:
      connectionIdleTimeout: 30s
---
apiVersion: example.com/v1
kind: BackendTrafficPolicy
metadata: {name: other}
spec:
  timeout: {http: {connectionIdleTimeout: 30s}}
`)
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	rt, ok := res.Objects[0].(*Route)
	if !ok {
		t.Fatalf("HTTPRoute read as %T", res.Objects[0])
	}
	if p := rt.ParentRefs[0]; p.Name != "edge" || p.Namespace != "infra" || p.SectionName != "https" || p.Range.Start.Line != 6 {
		t.Errorf("parentRef %+v", p)
	}
	r := rt.Rules[0]
	if r.Name != "api" || len(r.Paths) != 1 || r.Paths[0] != "/api" || !r.Retry {
		t.Errorf("rule %+v", r)
	}
	if b := r.BackendRefs[0]; b.Name != "api" || b.Namespace != "backend" || b.Port != 8080 || b.Weight.Value != "90" {
		t.Errorf("backendRef %+v", b)
	}
	if r.Request.Value != "10s" || r.Request.Range.Start.Line != 20 || r.BackendRequest.Value != "2s" {
		t.Errorf("timeouts %+v %+v", r.Request, r.BackendRequest)
	}
	if _, ok := res.Objects[1].(*IstioGateway); !ok {
		t.Errorf("Istio Gateway read as %T", res.Objects[1])
	}
	gw, ok := res.Objects[2].(*Gateway)
	if !ok || gw.ClassName.Value != "eg" || gw.Listeners[0].Port != 443 || gw.Listeners[0].Hostname != "*.example.com" {
		t.Errorf("Gateway %+v", res.Objects[2])
	}
	pol, ok := res.Objects[3].(*Policy)
	if !ok || len(pol.TargetRefs) != 1 || pol.TargetRefs[0].Kind != "HTTPRoute" || pol.Fields["timeout.http.connectionIdleTimeout"].Value != "30s" {
		t.Errorf("BackendTrafficPolicy %+v", res.Objects[3])
	}
	if _, ok := res.Objects[4].(*Other); !ok {
		t.Errorf("a BackendTrafficPolicy of another group must stay untyped, got %T", res.Objects[4])
	}
}
