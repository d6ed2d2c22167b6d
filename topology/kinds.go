package topology

import (
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/openapi"
)

// The hop kinds and typed configs of the sources that live in their own
// package (topology/gateway, topology/openapi). They are declared here,
// not there, because rules read them: a rule imports topology only, and
// the graph's vocabulary is the same whichever package fills it.

// Hop kinds of the Gateway API and of the routing objects of its
// implementations (topology/gateway).
const (
	// KindGateway is a Gateway (or an Istio ingress Gateway) served by its
	// implementation.
	KindGateway HopKind = "gateway"
	// KindGatewayRoute is one rule of an HTTPRoute or GRPCRoute, one http
	// route of an Istio VirtualService or one route of a Traefik
	// IngressRoute.
	KindGatewayRoute HopKind = "gateway-route"
)

// The Gateway API implementations hoplint knows the defaults of.
const (
	ImplEnvoyGateway = "Envoy Gateway"
	ImplNGF          = "NGINX Gateway Fabric"
	ImplIstio        = "Istio"
	ImplTraefik      = "Traefik"
)

// TraefikTransportAnnotation names, on a Service, the ServersTransport
// Traefik uses toward it. The Gateway source reads it; the Kubernetes
// loader knows it as an annotation of a proxy in front of the Service.
const TraefikTransportAnnotation = "traefik.ingress.kubernetes.io/service.serverstransport"

// GatewayRoute is the typed config behind a route hop, for rules that
// compare what a route serves (migration-parity).
type GatewayRoute struct {
	// Impl is the implementation serving the route; "" when unknown.
	Impl string
	// Object is the route (HTTPRoute, GRPCRoute, VirtualService, IngressRoute).
	Object *kubernetes.Object
	// Hosts and Paths the rule serves; no hosts means any host.
	Hosts []string
	Paths []string
	// Range is the rule's.
	Range parsers.Range
	// Streams says what long-lived streams every request of the route
	// may be, whatever a spec says: "gRPC calls" (a GRPCRoute); "" when the
	// route's kind says nothing of the sort (an HTTPRoute).
	Streams string
	// StreamsAt is where the route says so (its metadata.name).
	StreamsAt parsers.Range
	// Deadline is true when the hop's UpstreamTimeout bounds the whole
	// response from the end of the request, however much the backend
	// still sends (Envoy's route timeout), rather than a silent gap
	// between two reads (nginx proxy_read_timeout).
	Deadline bool
}

// The hop kinds of OpenAPI specs (topology/openapi). They carry no
// settings of their own: a route says what the application accepts
// (Config is the *openapi.Route), and the hops linked to it are the ones
// that serve it.
const (
	KindOpenAPISpec  HopKind = "openapi-spec"
	KindOpenAPIRoute HopKind = "openapi-route"
)

// IsSpecKind reports whether k is a spec or one of its routes: hops that
// describe an application rather than forward to it, which rules walking
// toward backends skip.
func IsSpecKind(k HopKind) bool { return k == KindOpenAPISpec || k == KindOpenAPIRoute }

// OpenAPIConfig is what the OpenAPI loader leaves for rules: the spec and
// the hops made from it.
type OpenAPIConfig struct {
	*openapi.Spec
	Hop    *Hop
	Routes map[*openapi.Route]*Hop
}

// Hop kinds of the proxies that compose services configure by their
// labels or environment (topology/compose). Each is the proxy's route to
// one service, running in the proxy's container (Hop.Pods) and linked to
// the service's container hop.
const (
	// KindTraefikRoute is what Traefik's Docker provider makes of one
	// service's traefik.* labels: its routers and the load balancer
	// toward the container.
	KindTraefikRoute HopKind = "traefik-route"
	// KindNginxProxy is the virtual host nginx-proxy generates for one
	// service's VIRTUAL_HOST: its server, location and upstream.
	KindNginxProxy HopKind = "nginx-proxy-vhost"
)
