package kubernetes

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// The objects that replace an Ingress: the Gateway API
// (gateway.networking.k8s.io) and the implementations' own policy and
// routing kinds (Envoy Gateway, NGINX Gateway Fabric, Istio, Traefik).
// Policies are read as the handful of fields hoplint reasons about, each
// with its range; everything else in them is left alone.

// API groups hoplint reads objects of.
const (
	GatewayAPIGroup   = "gateway.networking.k8s.io"
	EnvoyGatewayGroup = "gateway.envoyproxy.io"
	NGFGroup          = "gateway.nginx.org"
	IstioGroup        = "networking.istio.io"
	TraefikGroup      = "traefik.io"
	// TraefikLegacyGroup is Traefik v2's group, still served by v3.
	TraefikLegacyGroup = "traefik.containo.us"
)

// Group returns the API group of the object ("" for the core group).
func (o *Object) Group() string {
	g, _, ok := strings.Cut(o.APIVersion, "/")
	if !ok {
		return ""
	}
	return g
}

// GatewayClass names the controller that implements its Gateways.
type GatewayClass struct {
	Object
	ControllerName Str
}

// Gateway is a Gateway API Gateway: listeners served by the
// implementation of its class.
type Gateway struct {
	Object
	ClassName Str
	Listeners []GatewayListener
}

// GatewayListener is one listener of a Gateway.
type GatewayListener struct {
	Name     string
	Hostname string
	Port     int
	Protocol string
	// AllowedFrom is allowedRoutes.namespaces.from as written: "" (Same),
	// "Same", "All" or "Selector".
	AllowedFrom string
	// AllowedLabels is the Selector's matchLabels; AllowedExpr is true
	// when it also has matchExpressions, which hoplint does not evaluate.
	AllowedLabels StrMap
	AllowedExpr   bool
	Range         parsers.Range
	_             nodeClassPad // a one-listener Gateway's slice would be 160 bytes
}

// Route is an HTTPRoute or GRPCRoute.
type Route struct {
	Object
	ParentRefs []ParentRef
	Hostnames  []Str
	Rules      []RouteRule
}

// ParentRef attaches a route to a Gateway (or a listener of one).
type ParentRef struct {
	Group, Kind, Namespace, Name, SectionName string
	Port                                      int
	Range                                     parsers.Range
}

// RouteRule is one rule of a route.
type RouteRule struct {
	Range parsers.Range
	// Name is the rule's name (a policy's sectionName can target it).
	Name string
	// Paths are the path values of the rule's matches; none means "/".
	Paths       []string
	BackendRefs []BackendRef
	// Request and BackendRequest are timeouts.request and
	// timeouts.backendRequest as written.
	Request, BackendRequest Str
	// Retry is true when the rule has a retry block.
	Retry bool
}

// BackendRef is one backend of a route rule.
type BackendRef struct {
	Group, Kind, Name, Namespace string
	Port                         int
	Weight                       Str
	Range                        parsers.Range
}

// ReferenceGrant allows routes of other namespaces to refer to objects of
// its own namespace.
type ReferenceGrant struct {
	Object
	From []GrantFrom
	To   []GrantTo
}

// GrantFrom is a from entry of a ReferenceGrant.
type GrantFrom struct{ Group, Kind, Namespace string }

// GrantTo is a to entry of a ReferenceGrant; Name "" allows every object
// of the kind.
type GrantTo struct{ Group, Kind, Name string }

// TargetRef is one target of a policy (targetRef or targetRefs[*]).
type TargetRef struct {
	Group, Kind, Name, SectionName string
	Range                          parsers.Range
}

// Policy is an implementation's policy or transport object: Envoy
// Gateway's BackendTrafficPolicy and ClientTrafficPolicy, NGINX Gateway
// Fabric's ClientSettingsPolicy, ProxySettingsPolicy and
// UpstreamSettingsPolicy, Istio's DestinationRule, Traefik's
// ServersTransport. Fields maps the dotted spec paths hoplint reads
// ("timeout.http.connectionIdleTimeout") to their values.
type Policy struct {
	Object
	TargetRefs []TargetRef
	Fields     map[string]Str
}

// policyFields lists, per kind, the spec fields hoplint reads.
var policyFields = map[string][]string{
	"BackendTrafficPolicy": {
		"timeout.http.connectionIdleTimeout", "timeout.http.maxConnectionDuration",
		"timeout.http.requestTimeout", "tcpKeepalive.idleTime", "mergeType", "requestBuffer.limit",
	},
	"ClientTrafficPolicy": {
		"timeout.http.idleTimeout", "timeout.http.requestReceivedTimeout", "connection.bufferLimit",
	},
	"ClientSettingsPolicy":   {"body.maxSize", "body.timeout", "keepAlive.timeout.server"},
	"ProxySettingsPolicy":    {"timeout.read"},
	"UpstreamSettingsPolicy": {"keepAlive.connections", "keepAlive.timeout"},
	"DestinationRule":        {"host", "trafficPolicy.connectionPool.http.idleTimeout", "trafficPolicy.connectionPool.http.maxRequestsPerConnection"},
	"ServersTransport":       {"forwardingTimeouts.idleConnTimeout", "forwardingTimeouts.responseHeaderTimeout"},
}

// VirtualService is an Istio VirtualService.
type VirtualService struct {
	Object
	Hosts []Str
	// Gateways as written ("ns/name", "name", "mesh"); none means the
	// mesh's sidecars.
	Gateways []string
	HTTP     []VSRoute
}

// VSRoute is one entry of a VirtualService's http list.
type VSRoute struct {
	Range        parsers.Range
	Paths        []string
	Timeout      Str
	Destinations []VSDestination
}

// VSDestination is a route destination: a host (a Service's short or
// cluster DNS name) and port.
type VSDestination struct {
	Host  string
	Port  int
	Range parsers.Range
}

// IstioGateway is an Istio (networking.istio.io) Gateway: listeners on
// the ingress gateway pods its selector picks.
type IstioGateway struct {
	Object
}

// IngressRoute is a Traefik IngressRoute.
type IngressRoute struct {
	Object
	Routes []TraefikRoute
}

// TraefikRoute is one route of an IngressRoute.
type TraefikRoute struct {
	Match    Str
	Range    parsers.Range
	Services []TraefikService
}

// TraefikService is a Kubernetes Service a Traefik route sends to.
type TraefikService struct {
	Name, Namespace, Port string
	ServersTransport      Str
	Range                 parsers.Range
}

// gatewayObject types the Gateway API and implementation kinds; nil for
// any other object.
func (r *reader) gatewayObject(o Object, spec *yaml.Node) Obj {
	group := o.Group()
	switch {
	case group == GatewayAPIGroup:
		switch o.Kind {
		case "GatewayClass":
			return &GatewayClass{Object: o, ControllerName: r.field(spec, "controllerName")}
		case "Gateway":
			return r.gateway(o, spec)
		case "HTTPRoute", "GRPCRoute":
			return r.route(o, spec)
		case "ReferenceGrant":
			return r.referenceGrant(o, spec)
		}
	case group == IstioGroup:
		switch o.Kind {
		case "VirtualService":
			return r.virtualService(o, spec)
		case "Gateway":
			return &IstioGateway{Object: o}
		}
	case o.Kind == "IngressRoute" && (group == TraefikGroup || group == TraefikLegacyGroup):
		return r.ingressRoute(o, spec)
	}
	if fields, ok := policyFields[o.Kind]; ok && policyGroup(o.Kind, group) {
		p := &Policy{Object: o, Fields: map[string]Str{}}
		for _, f := range fields {
			keys := strings.Split(f, ".")
			if v := r.field(r.path(spec, keys[:len(keys)-1]...), keys[len(keys)-1]); v.Set {
				p.Fields[f] = v
			}
		}
		if t := r.path(spec, "targetRef"); t != nil {
			p.TargetRefs = append(p.TargetRefs, r.targetRef(t))
		}
		_, ts := r.get(spec, "targetRefs")
		for _, t := range r.items(ts) {
			p.TargetRefs = append(p.TargetRefs, r.targetRef(t))
		}
		return p
	}
	return nil
}

func policyGroup(kind, group string) bool {
	switch kind {
	case "BackendTrafficPolicy", "ClientTrafficPolicy":
		return group == EnvoyGatewayGroup
	case "ClientSettingsPolicy", "ProxySettingsPolicy", "UpstreamSettingsPolicy":
		return group == NGFGroup
	case "DestinationRule":
		return group == IstioGroup
	case "ServersTransport":
		return group == TraefikGroup || group == TraefikLegacyGroup
	}
	return false
}

func (r *reader) targetRef(t *yaml.Node) TargetRef {
	return TargetRef{
		Group: r.field(t, "group").Value, Kind: r.field(t, "kind").Value,
		Name: r.field(t, "name").Value, SectionName: r.field(t, "sectionName").Value,
		Range: r.at(t),
	}
}

func (r *reader) gateway(o Object, spec *yaml.Node) *Gateway {
	g := &Gateway{Object: o, ClassName: r.field(spec, "gatewayClassName")}
	_, ls := r.get(spec, "listeners")
	for _, l := range r.items(ls) {
		port, _ := strconv.Atoi(r.field(l, "port").Value)
		ns := r.path(l, "allowedRoutes", "namespaces")
		sel := r.path(ns, "selector")
		_, ml := r.get(sel, "matchLabels")
		_, me := r.get(sel, "matchExpressions")
		g.Listeners = append(g.Listeners, GatewayListener{
			Name: r.field(l, "name").Value, Hostname: r.field(l, "hostname").Value,
			Port: port, Protocol: r.field(l, "protocol").Value, Range: r.at(l),
			AllowedFrom: r.field(ns, "from").Value, AllowedLabels: r.stringMap(ml), AllowedExpr: me != nil,
		})
	}
	return g
}

func (r *reader) route(o Object, spec *yaml.Node) *Route {
	rt := &Route{Object: o}
	_, prs := r.get(spec, "parentRefs")
	for _, p := range r.items(prs) {
		port, _ := strconv.Atoi(r.field(p, "port").Value)
		rt.ParentRefs = append(rt.ParentRefs, ParentRef{
			Group: r.field(p, "group").Value, Kind: r.field(p, "kind").Value,
			Namespace: r.field(p, "namespace").Value, Name: r.field(p, "name").Value,
			SectionName: r.field(p, "sectionName").Value, Port: port, Range: r.at(p),
		})
	}
	_, hs := r.get(spec, "hostnames")
	rt.Hostnames = r.strs(hs)
	_, rules := r.get(spec, "rules")
	for _, rule := range r.items(rules) {
		rr := RouteRule{Range: r.at(rule), Name: r.field(rule, "name").Value}
		_, ms := r.get(rule, "matches")
		for _, m := range r.items(ms) {
			if v := r.field(r.path(m, "path"), "value"); v.Set {
				rr.Paths = append(rr.Paths, v.Value)
			}
		}
		_, brs := r.get(rule, "backendRefs")
		for _, b := range r.items(brs) {
			port, _ := strconv.Atoi(r.field(b, "port").Value)
			br := BackendRef{
				Group: r.field(b, "group").Value, Kind: r.field(b, "kind").Value,
				Name: r.field(b, "name").Value, Namespace: r.field(b, "namespace").Value,
				Port: port, Weight: r.field(b, "weight"), Range: r.at(b),
			}
			rr.BackendRefs = append(rr.BackendRefs, br)
		}
		to := r.path(rule, "timeouts")
		rr.Request, rr.BackendRequest = r.field(to, "request"), r.field(to, "backendRequest")
		rr.Retry = r.path(rule, "retry") != nil
		rt.Rules = append(rt.Rules, rr)
	}
	return rt
}

func (r *reader) referenceGrant(o Object, spec *yaml.Node) *ReferenceGrant {
	g := &ReferenceGrant{Object: o}
	_, from := r.get(spec, "from")
	for _, f := range r.items(from) {
		g.From = append(g.From, GrantFrom{Group: r.field(f, "group").Value, Kind: r.field(f, "kind").Value, Namespace: r.field(f, "namespace").Value})
	}
	_, to := r.get(spec, "to")
	for _, t := range r.items(to) {
		g.To = append(g.To, GrantTo{Group: r.field(t, "group").Value, Kind: r.field(t, "kind").Value, Name: r.field(t, "name").Value})
	}
	return g
}

func (r *reader) virtualService(o Object, spec *yaml.Node) *VirtualService {
	vs := &VirtualService{Object: o}
	_, hosts := r.get(spec, "hosts")
	vs.Hosts = r.strs(hosts)
	_, gws := r.get(spec, "gateways")
	for _, g := range r.strs(gws) {
		vs.Gateways = append(vs.Gateways, g.Value)
	}
	_, http := r.get(spec, "http")
	for _, h := range r.items(http) {
		rt := VSRoute{Range: r.at(h), Timeout: r.field(h, "timeout")}
		_, ms := r.get(h, "match")
		for _, m := range r.items(ms) {
			uri := r.path(m, "uri")
			for _, k := range []string{"prefix", "exact"} {
				if v := r.field(uri, k); v.Set {
					rt.Paths = append(rt.Paths, v.Value)
				}
			}
		}
		_, ds := r.get(h, "route")
		for _, d := range r.items(ds) {
			dest := r.path(d, "destination")
			port, _ := strconv.Atoi(r.field(r.path(dest, "port"), "number").Value)
			host := r.field(dest, "host")
			rng := host.Range
			if !host.Set {
				rng = r.at(d)
			}
			rt.Destinations = append(rt.Destinations, VSDestination{Host: host.Value, Port: port, Range: rng})
		}
		vs.HTTP = append(vs.HTTP, rt)
	}
	return vs
}

func (r *reader) ingressRoute(o Object, spec *yaml.Node) *IngressRoute {
	ir := &IngressRoute{Object: o}
	_, routes := r.get(spec, "routes")
	for _, rt := range r.items(routes) {
		tr := TraefikRoute{Match: r.field(rt, "match"), Range: r.at(rt)}
		_, svcs := r.get(rt, "services")
		for _, s := range r.items(svcs) {
			if k := r.field(s, "kind").Value; k != "" && k != "Service" {
				continue // a TraefikService: weighted or mirrored, not a Service
			}
			tr.Services = append(tr.Services, TraefikService{
				Name: r.field(s, "name").Value, Namespace: r.field(s, "namespace").Value,
				Port: r.field(s, "port").Value, ServersTransport: r.field(s, "serversTransport"), Range: r.at(s),
			})
		}
		ir.Routes = append(ir.Routes, tr)
	}
	return ir
}
