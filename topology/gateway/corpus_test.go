package gateway_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// The class-5 folders of ../shared/corpus (CLASSES.md): Gateway API
// examples, Envoy Gateway, NGINX Gateway Fabric, Istio and Traefik files.
var gatewayCorpusDirs = []string{
	"kubernetes-sigs__gateway-api/examples",
	"envoyproxy__gateway/examples/kubernetes",
	"envoyproxy__gateway/test/e2e/testdata",
	"nginx__nginx-gateway-fabric/examples",
	"istio__istio/samples",
	"istio__istio/tests/testdata/config",
	"socketio__socket.io/examples/cluster-traefik",
}

// corpusGatewayFindings pins what hoplint reports on those folders, each
// checked by hand against the files (the comment after it). Resource
// findings (missing-memory-limit and friends) do not depend on the
// Gateway code and are pinned by TestKubernetesCorpus.
var corpusGatewayFindings = `
envoyproxy__gateway/examples/kubernetes/application.yaml:42 missing-prestop-drain
	# backend (echo-basic) behind HTTPRoute bar -> Service backend; no lifecycle.preStop in the file
envoyproxy__gateway/examples/kubernetes/backend-utilization.yaml:36 missing-prestop-drain
	# backend-utilization-low behind HTTPRoute backend-utilization; no preStop
envoyproxy__gateway/examples/kubernetes/backend-utilization.yaml:81 missing-prestop-drain
	# backend-utilization-high, same route (weighted backendRefs); no preStop
envoyproxy__gateway/examples/kubernetes/gateway-namespace-mode.yaml:51 missing-prestop-drain
	# team-a-backend behind HTTPRoute team-a/team-a-route on Gateway team-a/gateway-a; no preStop
envoyproxy__gateway/examples/kubernetes/gateway-namespace-mode.yaml:107 missing-prestop-drain
	# team-b-backend, likewise in team-b
envoyproxy__gateway/examples/kubernetes/grpc-routing.yaml:41 missing-prestop-drain
	# yages gRPC server behind GRPCRoute yages; no preStop. jwt/grpc-jwt.yaml declares GRPCRoute yages
	# too: the message names it once ("resets or 503s": Envoy), with a related location in each file
envoyproxy__gateway/examples/kubernetes/grpc-routing.yaml:76 stream-cut-by-timeout
	# GRPCRoute yages on Envoy Gateway (GatewayClass eg in the same file): no BackendTrafficPolicy, so Envoy's
	# 15s route timeout (EG writes none for a GRPCRoute) ends every call 15s after the request. True of the
	# configuration; yages itself only has unary methods (Ping, Reverse), which the message's caveat covers
envoyproxy__gateway/examples/kubernetes/jwt/grpc-jwt.yaml:28 stream-cut-by-timeout
	# the same GRPCRoute yages declared again for the JWT example; same 15s, same caveat
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:58 missing-prestop-drain
	# example-backend behind HTTPRoute example-route; no preStop
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:121 missing-prestop-drain
	# foo-backend behind HTTPRoute foo-route; no preStop
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:188 missing-prestop-drain
	# bar-backend behind rule 2 of HTTPRoute bar-route; no preStop
envoyproxy__gateway/examples/kubernetes/http-routing.yaml:235 missing-prestop-drain
	# bar-canary-backend behind rule 1 (header match) of bar-route; no preStop
envoyproxy__gateway/examples/kubernetes/merged-gateways.yaml:61 missing-prestop-drain
	# merged-backend behind hostname1-route/hostname2-route; no preStop
envoyproxy__gateway/examples/kubernetes/mergepatch.yaml:83 missing-prestop-drain
	# backend of this file, also named by the other examples' routes to Service backend; no preStop
envoyproxy__gateway/examples/kubernetes/quickstart.yaml:59 missing-prestop-drain
	# quickstart backend behind HTTPRoute backend; no preStop
	# tls-termination.yaml:68 (backend): no finding. Its own route is a TCPRoute; the HTTPRoutes of other
	# example files that name Service default/backend see four equally near copies of it and link only
	# the first (application.yaml), with the tie stated, never all four (issue 12's tie rule)
envoyproxy__gateway/test/e2e/testdata/preserve-case.yaml:68 missing-prestop-drain
	# preserve-case pod in gateway-preserve-case-backend, reached across namespaces under ReferenceGrant allow-preserve-case; no preStop
istio__istio/samples/websockets/app.yaml:32 missing-prestop-drain
	# tornado behind VirtualService tornado on Istio Gateway tornado-gateway; no preStop
nginx__nginx-gateway-fabric/examples/cafe-example/cafe.yaml:16 missing-prestop-drain
	# coffee behind HTTPRoute coffee; no preStop
nginx__nginx-gateway-fabric/examples/cafe-example/cafe.yaml:49 missing-prestop-drain
	# tea behind HTTPRoute tea; no preStop
nginx__nginx-gateway-fabric/examples/client-settings-policy/app.yaml:16 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/client-settings-policy/app.yaml:49 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/proxy-settings-policy/app.yaml:80 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/proxy-settings-policy/app.yaml:138 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/snippets/app.yaml:16 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/snippets/app.yaml:49 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/upstream-settings-policy/app.yaml:16 missing-prestop-drain
nginx__nginx-gateway-fabric/examples/upstream-settings-policy/app.yaml:49 missing-prestop-drain
	# the same coffee/tea Deployments in each example folder, each behind its HTTPRoute; no preStop
socketio__socket.io/examples/cluster-traefik/server/index.js:4 keepalive-order
	# true: traefik:2.4 (traefik.yml sets no serversTransport) pools idle connections 90s; server/Dockerfile
	# FROM node:14-alpine, npm start runs index.js, whose http.createServer keeps Node's 5 s keepAliveTimeout
`

// corpusGatewayHops pins what the Gateway code reads from those files:
// "DIR | hop ID prefix | what", where what lists the hop's settings and
// links as hopSummary renders them.
var corpusGatewayHops = `
envoyproxy__gateway/examples/kubernetes | examples/kubernetes/quickstart.yaml#HTTPRoute/backend/rules/0 | pool=1h(default) timeout=15s(default) -> container backend of Deployment backend
envoyproxy__gateway/examples/kubernetes | examples/kubernetes/quickstart.yaml#Gateway/eg | keepalive=1h(default) -> HTTPRoute backend on Gateway eg (Envoy Gateway)
envoyproxy__gateway/test/e2e/testdata | test/e2e/testdata/preserve-case.yaml#HTTPRoute/gateway-conformance-infra/preserve-case/rules/0 | -> container preserve-case of Deployment gateway-preserve-case-backend/preserve-case
envoyproxy__gateway/test/e2e/testdata | test/e2e/testdata/btp-timeout.yaml#HTTPRoute/gateway-conformance-infra/http-btp-timeout/rules/0 |
kubernetes-sigs__gateway-api/examples | examples/experimental/http-route-timeouts/timeout-example.yaml#HTTPRoute/timeout-example/rules/0 | timeout=2s(timeouts.backendRequest:17)
nginx__nginx-gateway-fabric/examples | examples/client-settings-policy/httproutes.yaml#HTTPRoute/coffee/rules/0 | -> container coffee of Deployment coffee
istio__istio/samples | samples/websockets/route.yaml#VirtualService/tornado/http/0 | pool=1h(default) timeout=no limit(default) -> container tornado of Deployment tornado
`

// Hand checks of the hop list:
//   - quickstart: its Gateway eg contains the route of the same file; the
//     routes of the other examples name eg too, and take the first of its
//     equally near copies by path (a note says so). No BackendTrafficPolicy in the folder targets route backend, so
//     Envoy Gateway's 1 h idle and 15 s route timeout apply.
//   - preserve-case and btp-timeout use gatewayClassName "{GATEWAY_CLASS_NAME}":
//     no GatewayClass, no defaults, and the BackendTrafficPolicy of btp-timeout is
//     not applied either; preserve-case still links across namespaces under its
//     ReferenceGrant.
//   - timeout-example: request 10s, backendRequest 2s; the route waits at most 2s.
//   - NGINX Gateway Fabric's examples name class nginx, installed by its chart, not
//     in the folder: unknown implementation, no settings.
//   - tornado: Istio Gateway + VirtualService, no DestinationRule for tornado, no
//     timeout: Envoy's 1 h pool, no route timeout.

func TestGatewayCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	var got []string
	graphs := map[string]*topology.Graph{}
	for _, dir := range gatewayCorpusDirs {
		repo, sub, _ := strings.Cut(dir, "/")
		g, err := topology.Load([]string{sub}, nil, filepath.Join(corpus, repo))
		if err != nil {
			t.Fatal(err)
		}
		graphs[dir] = g
		for _, f := range rules.Run(g, nil, rules.Options{}) {
			switch f.Rule {
			case "missing-memory-limit", "memory-limit-too-small", "cpu-limit-too-small", "requests-exceed-limits":
				continue
			case "parse-error":
				t.Errorf("%s/%s: parse error: %s", repo, f.Range, f.Message)
			}
			got = append(got, fmt.Sprintf("%s/%s:%d %s", repo, f.Range.File, f.Range.Start.Line, f.Rule))
		}
	}
	var want []string
	for _, l := range strings.Split(corpusGatewayFindings, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("gateway corpus findings changed; check each by hand, then update the list.\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range strings.Split(strings.TrimSpace(corpusGatewayHops), "\n") {
		parts := strings.Split(l, "|")
		dir, id, wantSum := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
		g := graphs[dir]
		var h *topology.Hop
		for _, c := range g.Hops {
			if strings.HasPrefix(c.ID, id) {
				h = c
				break
			}
		}
		if h == nil {
			t.Errorf("%s: no hop %s", dir, id)
			continue
		}
		if s := hopSummary(g, h); s != wantSum {
			t.Errorf("%s: hop %s:\n got: %s\nwant: %s", dir, h.ID, s, wantSum)
		}
	}
}

// hopSummary renders the settings a Gateway hop carries and where its
// first forwarding (or containment) link goes.
func hopSummary(g *topology.Graph, h *topology.Hop) string {
	var parts []string
	add := func(name string, s topology.Duration) {
		if !s.Known() {
			return
		}
		src := "default"
		if s.Prov == topology.Set {
			src = fmt.Sprintf("%s:%d", s.Name, s.Range.Start.Line)
		}
		parts = append(parts, fmt.Sprintf("%s=%s(%s)", name, topology.FormatDuration(s.Value), src))
	}
	add("keepalive", h.KeepAlive)
	add("pool", h.PoolIdle)
	add("timeout", h.UpstreamTimeout)
	if out := g.Out(h); len(out) > 0 {
		parts = append(parts, "-> "+out[0].To.Name)
	}
	return strings.Join(parts, " ")
}
