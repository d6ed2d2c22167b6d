package gateway

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

// Where each implementation documents the defaults used below; every one
// is in docs/facts/gateway.md with a quote and the version it holds for.
const (
	egTimeoutDoc      = "https://gateway.envoyproxy.io/docs/api/extension_types/#httptimeout"
	egClientDoc       = "https://gateway.envoyproxy.io/docs/api/extension_types/#httpclienttimeout"
	egRouteTimeoutDoc = "https://gateway.envoyproxy.io/latest/tasks/traffic/http-timeouts/"
	ngfClientDoc      = "https://docs.nginx.com/nginx-gateway-fabric/traffic-management/client-settings/"
	istioDRDoc        = "https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings-HTTPSettings"
	istioVSDoc        = "https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute"
	traefikSTDoc      = "https://doc.traefik.io/traefik/reference/routing-configuration/http/load-balancing/serverstransport/"

	egVersion      = "v1.9"
	ngfVersion     = "2.x"
	istioVersion   = "1.x"
	traefikVersion = "v3"
)

func egDefault(url string) *topology.DefaultSource {
	return &topology.DefaultSource{Product: topology.ImplEnvoyGateway, Version: egVersion, URL: url}
}

func ngfDefault(url string) *topology.DefaultSource {
	return &topology.DefaultSource{Product: topology.ImplNGF, Version: ngfVersion, URL: url}
}

// policyName names a policy field for messages: "timeout.http.requestTimeout
// of BackendTrafficPolicy shop/slow".
func policyName(field string, p *kubernetes.Policy) string {
	return field + " of " + p.Kind + " " + topology.RefName(&p.Object)
}

// duration reads a duration written in a route or policy: Gateway API,
// Envoy Gateway and Istio durations ("1h", "500ms", "1h30m", "0.5s"); with
// bare, a number alone is seconds (NGINX Gateway Fabric, Traefik).
// zeroOff: "0s" switches the timer off (Forever). A value the product
// cannot read is reported and Unknown.
func (x *gwIndex) duration(name string, v kubernetes.Str, bare, zeroOff bool) topology.Duration {
	s := strings.TrimSpace(v.Value)
	d, err := time.ParseDuration(s)
	if err != nil && bare {
		if n, e := strconv.Atoi(s); e == nil {
			d, err = time.Duration(n)*time.Second, nil
		}
	}
	if err != nil || d < 0 {
		if x.reported[v.Range] {
			return topology.Duration{Name: name}
		}
		x.reported[v.Range] = true
		x.g.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: v.Range,
			Message: fmt.Sprintf("%s %q is not a duration; write it like \"30s\", \"500ms\" or \"1h\"", name, v.Value)})
		return topology.Duration{Name: name}
	}
	if d == 0 && zeroOff {
		d = topology.Forever
	}
	return topology.SetAt(name, d, v.Range)
}

// quantity reads a Kubernetes quantity ("10Mi", "500Ki", "1048576") as
// a byte size.
func (x *gwIndex) quantity(name string, v kubernetes.Str) topology.Size {
	q, err := resource.ParseQuantity(strings.TrimSpace(v.Value))
	if err != nil || q.Sign() <= 0 {
		if !x.reported[v.Range] {
			x.reported[v.Range] = true
			x.g.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: v.Range,
				Message: fmt.Sprintf("%s %q is not a positive Kubernetes quantity; write it like \"10Mi\"", name, v.Value)})
		}
		return topology.Size{Name: name}
	}
	return topology.SetAt(name, q.Value(), v.Range)
}

// field is a policy value and the policy it came from.
type field struct {
	v   kubernetes.Str
	pol *kubernetes.Policy
}

// pick returns the first policy of the most specific non-empty level,
// with a note when several tie.
func pick(levels ...[]*kubernetes.Policy) (*kubernetes.Policy, int, []string) {
	for i, l := range levels {
		if len(l) == 0 {
			continue
		}
		var notes []string
		if len(l) > 1 {
			notes = append(notes, fmt.Sprintf("%d %ss attach at the same level; Envoy Gateway applies the oldest, which hoplint cannot tell, so %s (first by name) was used", len(l), l[0].Kind, topology.RefName(&l[0].Object)))
		}
		return l[0], i, notes
	}
	return nil, -1, nil
}

// fieldsOf returns the policy's fields as values with their source.
func fieldsOf(p *kubernetes.Policy) map[string]field {
	out := map[string]field{}
	if p == nil {
		return out
	}
	for k, v := range p.Fields {
		out[k] = field{v, p}
	}
	return out
}

// egBackendPolicy resolves the BackendTrafficPolicy of one route rule as
// Envoy Gateway documents it: a policy on the rule (sectionName), then on
// the route, then on the Gateway listener, then on the Gateway; only the
// most specific applies, unless it sets mergeType, when it is merged into
// the closest parent policy.
func (x *gwIndex) egBackendPolicy(rt *kubernetes.Route, rule kubernetes.RouteRule, p parent) (map[string]field, []string) {
	const kind = "BackendTrafficPolicy"
	var ruleLevel, gwListener, gwLevel []*kubernetes.Policy
	if rule.Name != "" {
		ruleLevel = x.targeting(rt.File.Path, kind, rt.NS(), rt.Kind, rt.Name, rule.Name)
	}
	routeLevel := x.targeting(rt.File.Path, kind, rt.NS(), rt.Kind, rt.Name, "")
	if p.gw != nil {
		if p.ref.SectionName != "" {
			gwListener = x.targeting(p.gw.File.Path, kind, p.gw.NS(), "Gateway", p.gw.Name, p.ref.SectionName)
		}
		gwLevel = x.targeting(p.gw.File.Path, kind, p.gw.NS(), "Gateway", p.gw.Name, "")
	}
	pol, level, notes := pick(ruleLevel, routeLevel, gwListener, gwLevel)
	fields := fieldsOf(pol)
	if pol != nil && level < 2 && pol.Fields["mergeType"].Set {
		if parentPol, _, more := pick(gwListener, gwLevel); parentPol != nil {
			notes = append(notes, more...)
			merged := fieldsOf(parentPol)
			for k, v := range fields {
				merged[k] = v
			}
			fields = merged
			notes = append(notes, fmt.Sprintf("%s %s sets mergeType, so it is merged into %s %s", kind, topology.RefName(&pol.Object), kind, topology.RefName(&parentPol.Object)))
		}
	}
	return fields, notes
}

// inherited resolves an NGINX Gateway Fabric policy, an Inherited Policy
// Attachment: a setting on the route wins over the same setting on the
// Gateway, field by field (nginx inheritance from server to location).
func (x *gwIndex) inherited(kind string, rt *kubernetes.Route, p parent) map[string]field {
	out := map[string]field{}
	if p.gw != nil {
		if pol, _, _ := pick(x.targeting(p.gw.File.Path, kind, p.gw.NS(), "Gateway", p.gw.Name, "")); pol != nil {
			out = fieldsOf(pol)
		}
	}
	if pol, _, _ := pick(x.targeting(rt.File.Path, kind, rt.NS(), rt.Kind, rt.Name, "")); pol != nil {
		for k, v := range fieldsOf(pol) {
			out[k] = v
		}
	}
	return out
}

// gatewaySettings fills what the implementation does with client
// connections: keep-alive, client read timeout, body limit.
func (x *gwIndex) gatewaySettings(h *topology.Hop, gw *kubernetes.Gateway, impl string) {
	switch impl {
	case topology.ImplEnvoyGateway:
		pol, _, notes := pick(x.targeting(gw.File.Path, "ClientTrafficPolicy", gw.NS(), "Gateway", gw.Name, ""))
		h.Notes = append(h.Notes, notes...)
		f := fieldsOf(pol)
		h.KeepAlive = topology.DefaultFor("ClientTrafficPolicy timeout.http.idleTimeout", time.Hour, gw.NameRange, egDefault(egClientDoc))
		if v, ok := f["timeout.http.idleTimeout"]; ok {
			h.KeepAlive = x.duration(policyName("timeout.http.idleTimeout", v.pol), v.v, false, true)
		}
		if v, ok := f["timeout.http.requestReceivedTimeout"]; ok {
			h.ReadTimeout = x.duration(policyName("timeout.http.requestReceivedTimeout", v.pol), v.v, false, true)
		}
	case topology.ImplNGF:
		pol, _, _ := pick(x.targeting(gw.File.Path, "ClientSettingsPolicy", gw.NS(), "Gateway", gw.Name, ""))
		f := fieldsOf(pol)
		h.KeepAlive = topology.DefaultFor("ClientSettingsPolicy keepAlive.timeout.server", 75*time.Second, gw.NameRange, ngfDefault(topology.NginxCoreDoc+"#keepalive_timeout"))
		if v, ok := f["keepAlive.timeout.server"]; ok {
			h.KeepAlive = x.duration(policyName("keepAlive.timeout.server", v.pol), v.v, true, false)
		}
		h.ReadTimeout = topology.DefaultFor("ClientSettingsPolicy body.timeout", 60*time.Second, gw.NameRange, ngfDefault(topology.NginxCoreDoc+"#client_body_timeout"))
		if v, ok := f["body.timeout"]; ok {
			h.ReadTimeout = x.duration(policyName("body.timeout", v.pol), v.v, true, false)
		}
		h.BodyLimit = x.ngfBodyLimit(f, gw.NameRange)
	}
}

func (x *gwIndex) ngfBodyLimit(f map[string]field, obj parsers.Range) topology.Size {
	v, ok := f["body.maxSize"]
	if !ok {
		return topology.DefaultFor("ClientSettingsPolicy body.maxSize", int64(1<<20), obj, ngfDefault(topology.NginxCoreDoc+"#client_max_body_size"))
	}
	name := policyName("body.maxSize", v.pol)
	n, ok := topology.NginxSize(v.v.Value)
	if !ok {
		if x.reported[v.v.Range] {
			return topology.Size{Name: name}
		}
		x.reported[v.v.Range] = true
		x.g.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: v.v.Range,
			Message: fmt.Sprintf("%s %q is not a size NGINX Gateway Fabric accepts (up to four digits with an optional k, m or g)", name, v.v.Value)})
		return topology.Size{Name: name}
	}
	return topology.SetAt(name, n, v.v.Range)
}

// ruleTimeout is how long the route waits for its backend as the rule
// writes it (timeouts.request, timeouts.backendRequest): the shorter of
// the two. Unknown when the rule sets neither, and for a GRPCRoute, whose
// rules have no timeouts field (the API server drops one written there).
func (x *gwIndex) ruleTimeout(rt *kubernetes.Route, rule kubernetes.RouteRule) topology.Duration {
	var out topology.Duration
	if rt.Kind == "GRPCRoute" {
		return out
	}
	for _, f := range []struct {
		name string
		v    kubernetes.Str
	}{{"timeouts.request", rule.Request}, {"timeouts.backendRequest", rule.BackendRequest}} {
		if !f.v.Set {
			continue
		}
		d := x.duration(f.name, f.v, false, true)
		if d.Known() && (!out.Known() || d.Value < out.Value) {
			out = d
		}
	}
	return out
}

// routeSettings fills what the implementation does toward the backends
// of one rule: pool idle timeout, response timeout, body limit.
func (x *gwIndex) routeSettings(h *topology.Hop, rt *kubernetes.Route, rule kubernetes.RouteRule, p parent, impl string) {
	timeout := x.ruleTimeout(rt, rule)
	backends := x.ruleServices(rt, rule)
	gr, _ := h.Config.(*topology.GatewayRoute)
	grpc := rt.Kind == "GRPCRoute"
	switch impl {
	case topology.ImplEnvoyGateway:
		f, notes := x.egBackendPolicy(rt, rule, p)
		h.Notes = append(h.Notes, notes...)
		h.PoolIdle = topology.DefaultFor("BackendTrafficPolicy timeout.http.connectionIdleTimeout", time.Hour, rule.Range, egDefault(egTimeoutDoc))
		if v, ok := f["timeout.http.connectionIdleTimeout"]; ok {
			h.PoolIdle = x.duration(policyName("timeout.http.connectionIdleTimeout", v.pol), v.v, false, true)
		}
		// A connection that may live only so long is never idle longer.
		if v, ok := f["timeout.http.maxConnectionDuration"]; ok {
			if d := x.duration(policyName("timeout.http.maxConnectionDuration", v.pol), v.v, false, true); d.Known() && h.PoolIdle.Known() && d.Value < h.PoolIdle.Value {
				h.PoolIdle = d
			}
		}
		if v, ok := f["requestBuffer.limit"]; ok {
			h.BodyLimit = x.quantity(policyName("requestBuffer.limit", v.pol), v.v)
		}
		switch v, ok := f["timeout.http.requestTimeout"]; {
		case timeout.Known():
			h.UpstreamTimeout = timeout
		case ok:
			h.UpstreamTimeout = x.duration(policyName("timeout.http.requestTimeout", v.pol), v.v, false, true)
		case grpc:
			// A GRPCRoute has no timeouts field: Envoy Gateway writes no
			// route timeout, and Envoy's own 15s applies.
			h.UpstreamTimeout = topology.DefaultFor("BackendTrafficPolicy timeout.http.requestTimeout", 15*time.Second, rule.Range, egDefault(egRouteTimeoutDoc))
		default:
			h.UpstreamTimeout = topology.DefaultFor("timeouts.request", 15*time.Second, rule.Range, egDefault(egRouteTimeoutDoc))
		}
		// Envoy's route timeout runs from the end of the request to the end
		// of the response, whatever passes in between.
		gr.Deadline = true
	case topology.ImplNGF:
		h.BodyLimit = x.ngfBodyLimit(x.inherited("ClientSettingsPolicy", rt, p), rule.Range)
		h.UpstreamTimeout = topology.DefaultFor("ProxySettingsPolicy timeout.read", 60*time.Second, rule.Range, ngfDefault(topology.NginxProxyDoc+"#proxy_read_timeout"))
		v, ok := x.inherited("ProxySettingsPolicy", rt, p)["timeout.read"]
		switch {
		case grpc:
			// NGF proxies a GRPCRoute with grpc_pass and writes no
			// grpc_read_timeout; a ProxySettingsPolicy writes only proxy_*
			// directives, which grpc_pass does not read.
			h.UpstreamTimeout = topology.DefaultFor("grpc_read_timeout", 60*time.Second, rule.Range, ngfDefault(topology.NginxGRPCDoc+"#grpc_read_timeout"))
			if ok {
				h.UpstreamTimeout.Note = policyName("timeout.read", v.pol) + " does not apply: NGINX Gateway Fabric writes it as proxy_read_timeout, and the GRPCRoute's location uses grpc_pass, which reads grpc_read_timeout"
			}
		case ok:
			h.UpstreamTimeout = x.duration(policyName("timeout.read", v.pol), v.v, true, false)
		}
		if timeout.Known() {
			h.Notes = append(h.Notes, "NGINX Gateway Fabric does not implement HTTPRoute timeouts (it reports the rule's timeouts as not supported), so they are ignored")
		}
		var pools []topology.Duration
		for _, b := range backends {
			pools = append(pools, x.ngfPool(b, rule.Range))
		}
		h.PoolIdle = agree(pools)
	case topology.ImplIstio:
		gr.Deadline = true // a VirtualService timeout is Envoy's route timeout
		h.UpstreamTimeout = timeout
		if !timeout.Known() {
			h.UpstreamTimeout = topology.DefaultFor("timeouts.request", topology.Forever, rule.Range, &topology.DefaultSource{Product: topology.ImplIstio, Version: istioVersion, URL: istioVSDoc})
		}
		var pools []topology.Duration
		for _, b := range backends {
			pools = append(pools, x.istioPool(b, rt.NS(), rule.Range))
		}
		h.PoolIdle = agree(pools)
	case topology.ImplTraefik:
		h.Notes = append(h.Notes, "assuming Traefik's static configuration leaves the default serversTransport as it ships")
		h.PoolIdle = topology.DefaultFor("serversTransport forwardingTimeouts.idleConnTimeout", 90*time.Second, rule.Range, &topology.DefaultSource{Product: topology.ImplTraefik, Version: traefikVersion, URL: traefikSTDoc})
		h.UpstreamTimeout = timeout
		if !timeout.Known() {
			h.UpstreamTimeout = topology.DefaultFor("serversTransport forwardingTimeouts.responseHeaderTimeout", topology.Forever, rule.Range, &topology.DefaultSource{Product: topology.ImplTraefik, Version: traefikVersion, URL: traefikSTDoc})
		}
	default:
		// Unknown implementation: only what the rule itself says.
		h.UpstreamTimeout = timeout
	}
}

// svcRef is a Service a rule sends to.
type svcRef struct{ ns, name string }

func (x *gwIndex) ruleServices(rt *kubernetes.Route, rule kubernetes.RouteRule) []svcRef {
	var out []svcRef
	for _, b := range rule.BackendRefs {
		if b.Group != "" && b.Group != "core" || b.Kind != "" && b.Kind != "Service" || zeroWeight(b) {
			continue
		}
		ns := b.Namespace
		if ns == "" {
			ns = rt.NS()
		}
		out = append(out, svcRef{ns, b.Name})
	}
	return out
}

// agree returns the one value all backends of a rule share; Unknown when
// they differ (the rule then has several pools).
func agree(ds []topology.Duration) topology.Duration {
	if len(ds) == 0 {
		return topology.Duration{}
	}
	for _, d := range ds[1:] {
		if d.Prov != ds[0].Prov || d.Value != ds[0].Value || d.Range != ds[0].Range {
			return topology.Duration{Name: ds[0].Name}
		}
	}
	return ds[0]
}

// ngfPool is NGINX Gateway Fabric's upstream pool toward one Service.
// NGF reuses upstream connections only for upstreams whose
// UpstreamSettingsPolicy sets keepAlive.connections above 0: for every
// other upstream it sends "Connection: close" (getConnectionHeader in its
// config generator), so nothing is pooled. A pooled upstream idles
// keepAlive.timeout, else nginx's upstream keepalive_timeout of 60s.
func (x *gwIndex) ngfPool(b svcRef, _ parsers.Range) topology.Duration {
	pol, _, _ := pick(x.targetingService("UpstreamSettingsPolicy", b))
	if pol == nil {
		return topology.Duration{Name: "UpstreamSettingsPolicy keepAlive.connections"}
	}
	c, ok := pol.Fields["keepAlive.connections"]
	if n, err := strconv.Atoi(strings.TrimSpace(c.Value)); !ok || err != nil || n <= 0 {
		return topology.Duration{Name: policyName("keepAlive.connections", pol)} // no pool
	}
	if v, ok := pol.Fields["keepAlive.timeout"]; ok {
		return x.duration(policyName("keepAlive.timeout", pol), v, true, false)
	}
	return topology.DefaultFor(policyName("keepAlive.timeout", pol), 60*time.Second, pol.NameRange,
		&topology.DefaultSource{Product: "nginx", Version: "all versions", URL: topology.NginxUpstreamDoc + "#keepalive_timeout"})
}

func (x *gwIndex) targetingService(kind string, b svcRef) []*kubernetes.Policy {
	var out []*kubernetes.Policy
	for _, p := range x.policies[kind][b.ns] {
		for _, t := range p.TargetRefs {
			if (t.Kind == "Service" || t.Kind == "") && t.Name == b.name && (t.Group == "" || t.Group == "core") {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// istioPool is the Envoy pool Istio keeps toward a Service: a
// DestinationRule for its host sets connectionPool.http.idleTimeout,
// else Envoy's 1 hour applies.
func (x *gwIndex) istioPool(b svcRef, _ string, obj parsers.Range) topology.Duration {
	if x.drByService == nil {
		// The DestinationRules of each Service, resolved once: every route
		// backend asks.
		x.drByService = map[string][]*kubernetes.Policy{}
		for ns, drs := range x.policies["DestinationRule"] {
			for _, dr := range drs {
				if name, drNS, ok := serviceName(dr.Fields["host"].Value, ns); ok {
					x.drByService[drNS+"/"+name] = append(x.drByService[drNS+"/"+name], dr)
				}
			}
		}
	}
	key := b.ns + "/" + b.name
	// Of copies written per environment, the nearest to the route.
	drs, _ := nearOf(&x.nearDR, key, x.drByService[key], func(p *kubernetes.Policy) string { return p.File.Path }).Nearest(obj.File)
	var found []topology.Duration
	for _, dr := range drs {
		if v, ok := dr.Fields["trafficPolicy.connectionPool.http.idleTimeout"]; ok {
			found = append(found, x.duration(policyName("trafficPolicy.connectionPool.http.idleTimeout", dr), v, false, true))
		}
	}
	if len(found) == 0 {
		return topology.DefaultFor("DestinationRule trafficPolicy.connectionPool.http.idleTimeout", time.Hour, obj, &topology.DefaultSource{Product: topology.ImplIstio, Version: istioVersion, URL: istioDRDoc})
	}
	return agree(found)
}
