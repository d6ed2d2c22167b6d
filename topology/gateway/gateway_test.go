package gateway_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/topology"
)

func TestGatewayCases(t *testing.T) { linttest.RunDir(t, "../../testdata/gateway") }

// TestGatewayGraph checks the chain `hoplint graph` shows: Gateway →
// route (containment) → the pods of the Service the route names, with the
// policy that set each value.
func TestGatewayGraph(t *testing.T) {
	ar, err := txtar.ParseFile("../../testdata/gateway/eg_policy_override.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, g, _ := linttest.Lint(t, ar)
	byName := map[string]*topology.Hop{}
	for _, h := range g.Hops {
		byName[h.Name] = h
	}
	gw := byName["Envoy Gateway for Gateway shop/edge"]
	api := byName["HTTPRoute shop/api on Gateway shop/edge (Envoy Gateway)"]
	admin := byName["HTTPRoute shop/admin on Gateway shop/edge (Envoy Gateway)"]
	if gw == nil || api == nil || admin == nil {
		t.Fatalf("missing Gateway or route hops: %v", byName)
	}
	want := map[*topology.Hop]string{
		api:   "timeout.http.connectionIdleTimeout of BackendTrafficPolicy shop/api-pool",
		admin: "timeout.http.connectionIdleTimeout of BackendTrafficPolicy shop/edge-defaults",
	}
	for h, name := range want {
		if h.PoolIdle.Name != name || h.PoolIdle.Prov != topology.Set {
			t.Errorf("%s: pool idle from %q (%v), want %q", h.Name, h.PoolIdle.Name, h.PoolIdle.Prov, name)
		}
		var in, out *topology.Edge
		for _, e := range g.In(h) {
			if e.From == gw && e.Within {
				in = e
			}
		}
		for _, e := range g.Out(h) {
			out = e
		}
		if in == nil {
			t.Errorf("%s: no containment edge from the Gateway", h.Name)
		}
		if out == nil || out.To.Name != "gunicorn (gevent) in Deployment shop/app" || !strings.Contains(out.Why, "Service shop/app") {
			t.Errorf("%s: forwarding edge %+v, want to the gunicorn pod through Service shop/app", h.Name, out)
		}
	}
	if !api.UpstreamTimeout.IsDefault() || api.UpstreamTimeout.Default.Product != topology.ImplEnvoyGateway {
		t.Errorf("api route timeout %+v, want Envoy Gateway's default", api.UpstreamTimeout)
	}
}
