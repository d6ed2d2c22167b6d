// Package gateway is the Gateway API source of the path, with the
// implementations that serve it. The Kubernetes loader (topology) reads
// the objects; this package's linker turns them into hops once every
// Service and container hop exists: a Gateway hop (the implementation,
// with its documented defaults) and, for every rule of a route attached
// to it, a route hop inside it that forwards to the pods of the Services
// the rule names. Policies (Envoy Gateway, NGINX Gateway Fabric, Istio,
// Traefik) fill the settings of the hop they attach to; Istio
// VirtualServices and Traefik IngressRoutes are routes too (mesh.go).
//
// It registers with topology from init: import topology/sources.
package gateway

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

func init() { topology.RegisterLinker("gateway-api", linkGateways) }

// gatewayControllers maps a GatewayClass controllerName to its
// implementation (docs/facts/gateway.md).
var gatewayControllers = map[string]string{
	"gateway.envoyproxy.io/gatewayclass-controller": topology.ImplEnvoyGateway,
	"gateway.nginx.org/nginx-gateway-controller":    topology.ImplNGF,
	"istio.io/gateway-controller":                   topology.ImplIstio,
	"traefik.io/gateway-controller":                 topology.ImplTraefik,
}

// gwIndex is every Gateway API and implementation object of the linted
// files, indexed by namespace and name.
type gwIndex struct {
	g        *topology.Graph
	classes  map[string][]*kubernetes.GatewayClass
	gateways map[string][]*kubernetes.Gateway
	routes   []*kubernetes.Route
	grants   map[string][]*kubernetes.ReferenceGrant
	// policies by kind, then by namespace.
	policies map[string]map[string][]*kubernetes.Policy
	vss      []*kubernetes.VirtualService
	istioGWs map[string][]*kubernetes.IstioGateway
	irs      []*kubernetes.IngressRoute
	ingClass map[string][]*kubernetes.IngressClass
	// services maps "namespace/name" to Service hops.
	services map[string][]*topology.Hop
	gwHops   map[*kubernetes.Gateway]*topology.Hop
	// reported keeps a bad value that many routes share from being
	// reported once per route.
	reported map[parsers.Range]bool
	// namespaces maps a linted Namespace object's name to its labels.
	namespaces map[string]kubernetes.StrMap
	// strict: link: strict, under which a tie between copies links nothing.
	strict bool
	// near indexes the copies of each name once, so that a tree repeating
	// one environment per directory costs a lookup per route, not a scan.
	nearGW  map[string]*topology.NearIndex[*kubernetes.Gateway]
	nearCls map[string]*topology.NearIndex[*kubernetes.GatewayClass]
	nearSvc map[string]*topology.NearIndex[*topology.Hop]
	nearDR  map[string]*topology.NearIndex[*kubernetes.Policy]
	// drByService holds the DestinationRules of each "namespace/name".
	drByService map[string][]*kubernetes.Policy
}

// nearOf returns the index of items under key, built on first use.
func nearOf[T any](cache *map[string]*topology.NearIndex[T], key string, items []T, pathOf func(T) string) *topology.NearIndex[T] {
	if *cache == nil {
		*cache = map[string]*topology.NearIndex[T]{}
	}
	n, ok := (*cache)[key]
	if !ok {
		n = topology.NewNearIndex(items, pathOf)
		(*cache)[key] = n
	}
	return n
}

func linkGateways(g *topology.Graph, env *topology.Env) {
	x := &gwIndex{
		g: g, strict: env != nil && env.Config != nil && env.Config.Strict(), classes: map[string][]*kubernetes.GatewayClass{}, gateways: map[string][]*kubernetes.Gateway{},
		grants: map[string][]*kubernetes.ReferenceGrant{}, policies: map[string]map[string][]*kubernetes.Policy{},
		istioGWs: map[string][]*kubernetes.IstioGateway{}, ingClass: map[string][]*kubernetes.IngressClass{},
		services: map[string][]*topology.Hop{}, gwHops: map[*kubernetes.Gateway]*topology.Hop{}, reported: map[parsers.Range]bool{}, namespaces: map[string]kubernetes.StrMap{},
	}
	found := false
	for _, o := range g.Configs[parsers.FormatKubernetes] {
		found = x.index(o) || found
	}
	if !found {
		return
	}
	for _, h := range g.Hops {
		if s, ok := h.Config.(*kubernetes.Service); ok {
			x.services[s.NS()+"/"+s.Name] = append(x.services[s.NS()+"/"+s.Name], h)
		}
	}
	for _, list := range x.gateways {
		for _, gw := range list {
			x.gatewayHop(gw)
		}
	}
	for _, rt := range x.routes {
		x.routeHops(rt)
	}
	x.istioHops()
	x.traefikHops()
}

// index files one object; it reports whether the object is one of ours.
func (x *gwIndex) index(o any) bool {
	switch o := o.(type) {
	case *kubernetes.GatewayClass:
		x.classes[o.Name] = append(x.classes[o.Name], o)
	case *kubernetes.Gateway:
		x.gateways[o.NS()+"/"+o.Name] = append(x.gateways[o.NS()+"/"+o.Name], o)
	case *kubernetes.Route:
		x.routes = append(x.routes, o)
	case *kubernetes.ReferenceGrant:
		x.grants[o.NS()] = append(x.grants[o.NS()], o)
	case *kubernetes.Policy:
		if x.policies[o.Kind] == nil {
			x.policies[o.Kind] = map[string][]*kubernetes.Policy{}
		}
		x.policies[o.Kind][o.NS()] = append(x.policies[o.Kind][o.NS()], o)
	case *kubernetes.VirtualService:
		x.vss = append(x.vss, o)
	case *kubernetes.IstioGateway:
		x.istioGWs[o.NS()+"/"+o.Name] = append(x.istioGWs[o.NS()+"/"+o.Name], o)
	case *kubernetes.IngressRoute:
		x.irs = append(x.irs, o)
	case *kubernetes.IngressClass:
		x.ingClass[o.Name] = append(x.ingClass[o.Name], o)
		return false
	case *kubernetes.Ingress:
		return true // a Traefik Ingress may need its ServersTransport
	case *kubernetes.Other:
		if o.Kind == "Namespace" && o.Group() == "" {
			x.namespaces[o.Name] = o.Labels
		}
		return false
	default:
		return false
	}
	return true
}

// implOf tells which implementation serves a Gateway, from its
// GatewayClass's controllerName; "" with the reason when hoplint cannot
// tell, and then no default of any implementation is assumed.
func (x *gwIndex) implOf(gw *kubernetes.Gateway) (string, []string) {
	class := gw.ClassName.Value
	classes, _ := nearOf(&x.nearCls, class, x.classes[class], objPath[*kubernetes.GatewayClass]).Nearest(gw.File.Path)
	if len(classes) == 0 {
		return "", []string{fmt.Sprintf("GatewayClass %q is not among the linted files, so the implementation serving Gateway %s is unknown and none of its defaults is assumed", class, topology.RefName(&gw.Object))}
	}
	ctl := classes[0].ControllerName.Value
	for _, c := range classes[1:] {
		if c.ControllerName.Value != ctl {
			return "", []string{fmt.Sprintf("the copies of GatewayClass %s name different controllers, so the implementation of Gateway %s is unknown and none of its defaults is assumed", class, topology.RefName(&gw.Object))}
		}
	}
	if impl, ok := gatewayControllers[ctl]; ok {
		return impl, nil
	}
	return "", []string{fmt.Sprintf("GatewayClass %s names controller %q, which hoplint does not know, so no implementation defaults are assumed; only values written in the routes are used", class, ctl)}
}

func (x *gwIndex) gatewayHop(gw *kubernetes.Gateway) {
	impl, notes := x.implOf(gw)
	h := &topology.Hop{
		ID: topology.ObjectHopID(&gw.Object, ""), Kind: topology.KindGateway, File: gw.File.Path, Range: gw.NameRange,
		Config: gw, Notes: notes, Name: "Gateway " + topology.RefName(&gw.Object),
	}
	if impl != "" {
		h.Name = impl + " for Gateway " + topology.RefName(&gw.Object)
	}
	for _, l := range gw.Listeners {
		if l.Port > 0 {
			h.Listen = append(h.Listen, topology.Listen{Host: l.Hostname, Port: l.Port, Range: l.Range})
		}
	}
	x.gatewaySettings(h, gw, impl)
	x.g.AddHop(h)
	x.gwHops[gw] = h
}

// parent is a Gateway a route attaches to, and how.
type parent struct {
	gw   *kubernetes.Gateway
	ref  kubernetes.ParentRef
	note string
}

// parentsOf resolves a route's parentRefs to linted Gateways; refused
// counts the Gateways that exist but do not accept the route.
func (x *gwIndex) parentsOf(rt *kubernetes.Route) (out []parent, refused int) {
	for _, ref := range rt.ParentRefs {
		if ref.Kind != "" && ref.Kind != "Gateway" || ref.Group != "" && ref.Group != kubernetes.GatewayAPIGroup {
			continue // a ListenerSet or a Service (mesh routing): not modelled
		}
		ns := ref.Namespace
		if ns == "" {
			ns = rt.NS()
		}
		gws, _ := nearOf(&x.nearGW, ns+"/"+ref.Name, x.gateways[ns+"/"+ref.Name], objPath[*kubernetes.Gateway]).Nearest(rt.File.Path)
		if len(gws) == 0 {
			continue
		}
		// Copies of one Gateway written in several files, none nearer the
		// route than the others, are one object of the cluster: the first
		// by path stands for it.
		sort.SliceStable(gws, func(i, j int) bool { return gws[i].File.Path < gws[j].File.Path })
		p := parent{gw: gws[0], ref: ref}
		if ns != rt.NS() {
			allowed, note := x.crossNamespaceAllowed(gws[0], ref, rt.NS())
			if !allowed {
				x.g.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: ref.Range,
					Message: fmt.Sprintf("%s %s attaches to Gateway %s in another namespace, but no listener of that Gateway%s allows routes from namespace %s (allowedRoutes.namespaces.from defaults to Same): the Gateway does not accept the route, so it serves no traffic. Allow the route's namespace in the listener's allowedRoutes.namespaces (from: All, or a Selector that matches it), or move the route to namespace %s.",
						rt.Kind, topology.RefName(&rt.Object), topology.RefName(&gws[0].Object), sectionWords(ref.SectionName), rt.NS(), gws[0].NS())})
				refused++
				continue
			}
			p.note = note
		}
		if len(gws) > 1 {
			p.note = strings.TrimPrefix(p.note+"; "+fmt.Sprintf("Gateway %s is written in %d files equally near the route; the copy in %s was used", topology.RefName(&gws[0].Object), len(gws), gws[0].File.Path), "; ")
		}
		out = append(out, p)
	}
	return out, refused
}

func (x *gwIndex) routeHops(rt *kubernetes.Route) {
	parents, refused := x.parentsOf(rt)
	if len(parents) == 0 && refused > 0 {
		return // no Gateway accepts it: the route carries no traffic
	}
	if len(parents) == 0 {
		parents = []parent{{}}
	}
	hosts := make([]string, 0, len(rt.Hostnames))
	for _, h := range rt.Hostnames {
		hosts = append(hosts, h.Value)
	}
	for _, p := range parents {
		var gwHop *topology.Hop
		impl, notes := "", []string(nil)
		if p.gw != nil {
			gwHop = x.gwHops[p.gw]
			impl, notes = x.implOf(p.gw)
			if p.note != "" {
				notes = append(notes, p.note)
			}
		} else {
			notes = []string{x.unattachedNote(rt)}
		}
		for i, rule := range rt.Rules {
			suffix := fmt.Sprintf("/rules/%d", i)
			if len(parents) > 1 {
				suffix += "@" + topology.ObjectHopID(&p.gw.Object, "")
			}
			name := rt.Kind + " " + topology.RefName(&rt.Object)
			if len(rt.Rules) > 1 {
				name += " rule " + ruleLabel(rule, i)
			}
			if p.gw != nil {
				name += " on Gateway " + topology.RefName(&p.gw.Object)
				if impl != "" {
					name += " (" + impl + ")"
				}
			}
			h := &topology.Hop{
				ID: topology.ObjectHopID(&rt.Object, suffix), Kind: topology.KindGatewayRoute, Name: name, File: rt.File.Path, Range: rule.Range,
				Notes:  append([]string(nil), notes...),
				Config: &topology.GatewayRoute{Impl: impl, Object: &rt.Object, Hosts: hosts, Paths: rulePaths(rule.Paths), Range: rule.Range},
			}
			if rt.Kind == "GRPCRoute" {
				// Any gRPC call may be a server-streaming or bidirectional
				// one, which stays open as long as the application wants.
				gr := h.Config.(*topology.GatewayRoute)
				gr.Streams, gr.StreamsAt = "gRPC calls", rt.NameRange
			}
			if len(rule.BackendRefs) > 0 {
				h.Proxy = rule.BackendRefs[0].Range
			}
			x.routeSettings(h, rt, rule, p, impl)
			x.g.AddHop(h)
			if gwHop != nil {
				x.g.Link(&topology.Edge{From: gwHop, To: h, Within: true, Confidence: topology.Reference, Range: p.ref.Range,
					Why: fmt.Sprintf("%s %s attaches to Gateway %s (parentRefs)", rt.Kind, topology.RefName(&rt.Object), topology.RefName(&p.gw.Object))})
			}
			for _, b := range rule.BackendRefs {
				x.linkBackendRef(h, rt, b)
			}
		}
	}
}

// crossNamespaceAllowed tells whether a listener of gw (the one the
// parentRef's sectionName names, else any) accepts routes from namespace
// ns: from All, or a Selector. A Selector is checked against the labels of
// the linted Namespace object (plus kubernetes.io/metadata.name, which
// Kubernetes sets on every namespace); one hoplint cannot confirm (no
// Namespace object, labels added outside the manifests, matchExpressions)
// is taken as matching, with a note. Only a Gateway that accepts nothing
// from other namespaces (from Same, the default) refuses the route.
func (x *gwIndex) crossNamespaceAllowed(gw *kubernetes.Gateway, ref kubernetes.ParentRef, ns string) (bool, string) {
	note := ""
	for _, l := range gw.Listeners {
		if ref.SectionName != "" && l.Name != ref.SectionName {
			continue
		}
		switch l.AllowedFrom {
		case "All":
			return true, ""
		case "Selector":
			if x.selects(l, ns) {
				return true, ""
			}
			note = fmt.Sprintf("assuming the allowedRoutes namespace selector of Gateway %s listener %s matches namespace %s", topology.RefName(&gw.Object), l.Name, ns)
		}
	}
	return note != "", note
}

// selects reports whether listener l's namespace selector surely matches
// namespace ns.
func (x *gwIndex) selects(l kubernetes.GatewayListener, ns string) bool {
	if l.AllowedExpr {
		return false
	}
	labels := x.namespaces[ns] // nil when no Namespace object is linted

	for _, v := range l.AllowedLabels {
		if v.Name == "kubernetes.io/metadata.name" && v.Value == ns {
			continue
		}
		if got, ok := labels.Lookup(v.Name); !ok || got.Value != v.Value {
			return false
		}
	}
	return true
}

func sectionWords(section string) string {
	if section == "" {
		return ""
	}
	return " (listener " + section + ")"
}

// unattachedNote says why a route has no Gateway hop in front of it.
func (x *gwIndex) unattachedNote(rt *kubernetes.Route) string {
	for _, ref := range rt.ParentRefs {
		if ref.Kind == "Service" {
			return fmt.Sprintf("%s %s attaches to Service %s (mesh routing), which hoplint does not model, so no implementation defaults are assumed", rt.Kind, topology.RefName(&rt.Object), ref.Name)
		}
	}
	return fmt.Sprintf("none of the Gateways %s %s attaches to is among the linted files, so its implementation is unknown and none of its defaults is assumed", rt.Kind, topology.RefName(&rt.Object))
}

func ruleLabel(r kubernetes.RouteRule, i int) string {
	if r.Name != "" {
		return r.Name
	}
	return fmt.Sprint(i + 1)
}

func rulePaths(ps []string) []string {
	if len(ps) == 0 {
		return []string{"/"}
	}
	return ps
}

// linkBackendRef links a route hop to the pods of a Service backend. A
// Service in another namespace is reachable only when a ReferenceGrant
// there allows it; without one the Gateway refuses the reference, and
// hoplint says so instead of linking.
func (x *gwIndex) linkBackendRef(h *topology.Hop, rt *kubernetes.Route, b kubernetes.BackendRef) {
	if b.Group != "" && b.Group != "core" || b.Kind != "" && b.Kind != "Service" {
		return // an implementation's own backend kind
	}
	if zeroWeight(b) {
		return // weight 0: no request goes there
	}
	ns := b.Namespace
	if ns == "" {
		ns = rt.NS()
	}
	if ns != rt.NS() && !x.granted(rt, ns, b.Name) {
		if len(x.services[ns+"/"+b.Name]) > 0 {
			x.g.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: b.Range,
				Message: fmt.Sprintf("%s %s sends to Service %s/%s in another namespace, but no ReferenceGrant among the linted files in namespace %s allows %ss from namespace %s to refer to it: the Gateway refuses the backend (ResolvedRefs: RefNotPermitted) and answers 500 for its share of the requests. Add a ReferenceGrant in %s with from {group: gateway.networking.k8s.io, kind: %s, namespace: %s} and to {group: \"\", kind: Service}; hoplint draws no link until then.",
					rt.Kind, topology.RefName(&rt.Object), ns, b.Name, ns, rt.Kind, rt.NS(), ns, rt.Kind, rt.NS())})
		}
		return
	}
	why := fmt.Sprintf("%s %s sends to Service %s/%s", rt.Kind, topology.RefName(&rt.Object), ns, b.Name)
	if ns != rt.NS() {
		why += " (allowed by a ReferenceGrant in " + ns + ")"
	}
	x.linkService(h, why, ns, b.Name, b.Port, "", b.Range)
}

// granted reports whether a ReferenceGrant in ns lets rt refer to Service name.
func (x *gwIndex) granted(rt *kubernetes.Route, ns, name string) bool {
	for _, gr := range x.grants[ns] {
		from := false
		for _, f := range gr.From {
			if f.Group == kubernetes.GatewayAPIGroup && f.Kind == rt.Kind && f.Namespace == rt.NS() {
				from = true
			}
		}
		if !from {
			continue
		}
		for _, t := range gr.To {
			if (t.Group == "" || t.Group == "core") && t.Kind == "Service" && (t.Name == "" || t.Name == name) {
				return true
			}
		}
	}
	return false
}

// linkService links h to the containers behind Service ns/name on a port
// (given by number, or by name), through the Service's own edges.
func (x *gwIndex) linkService(h *topology.Hop, why, ns, name string, port int, portName string, rng parsers.Range) {
	near, _ := nearOf(&x.nearSvc, ns+"/"+name, x.services[ns+"/"+name], func(h *topology.Hop) string { return h.File }).Nearest(h.File)
	if len(near) > 1 {
		// Equally near copies of one Service (the same manifest twice) are
		// a tie: link the first, say so, and never the cross product.
		if x.strict {
			return
		}
		// At most two of the others are named, as the Kubernetes
		// linker's ties do: a tree with hundreds of copies of a manifest
		// would otherwise put every file name into every link (quadratic
		// in the copies, in time and memory).
		var names []string
		for _, c := range near[1:] {
			if len(names) == 2 {
				names = append(names, "…")
				break
			}
			names = append(names, c.File)
		}
		why += fmt.Sprintf(" (%d copies of Service %s/%s are equally near; hoplint took the one in %s, not %s)", len(near), ns, name, near[0].File, strings.Join(names, ", "))
		near = near[:1]
	}
	for _, sh := range near {
		for _, e := range topology.ServicePortTargets(x.g, sh, port, portName) {
			pc := e.To.Config.(*kubernetes.PodContainer)
			conf, w := topology.Reference, why+", whose selector matches "+pc.Workload.Ref()
			if e.Confidence < topology.Reference {
				conf, w = e.Confidence, w+" ("+e.Why+")"
			}
			x.g.Link(&topology.Edge{From: h, To: e.To, Confidence: conf, Range: rng, Why: w})
		}
	}
}

// sortedPolicies returns the policies of a kind in namespace ns that
// target an object, in Envoy Gateway's tie-break order (namespace/name:
// hoplint cannot see creation times).
//
// Of copies of one policy written for several environments, only those
// nearest to from (the target's file) count.
func (x *gwIndex) targeting(from, kind, ns, targetKind, targetName, section string) []*kubernetes.Policy {
	var out []*kubernetes.Policy
	for _, p := range x.policies[kind][ns] {
		for _, t := range p.TargetRefs {
			if t.Kind == targetKind && t.Name == targetName && t.SectionName == section &&
				(t.Group == "" || t.Group == kubernetes.GatewayAPIGroup) {
				out = append(out, p)
				break
			}
		}
	}
	out = closest(from, out)
	if len(out) > 1 {
		// Each ID once, not two per comparison (12 MB of them at 54,000
		// files).
		type withID struct {
			id string
			p  *kubernetes.Policy
		}
		ws := make([]withID, len(out))
		for i, p := range out {
			ws[i] = withID{p.ID(), p}
		}
		sort.SliceStable(ws, func(i, j int) bool { return ws[i].id < ws[j].id })
		for i, w := range ws {
			out[i] = w.p
		}
	}
	return out
}

// serviceName resolves an Istio host or a Traefik service name written
// relative to namespace ns: "reviews", "reviews.shop",
// "reviews.shop.svc.cluster.local".
func serviceName(host, ns string) (string, string, bool) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	parts := strings.Split(host, ".")
	switch {
	case host == "" || strings.Contains(host, "*"):
		return "", "", false
	case len(parts) == 1:
		return parts[0], ns, true
	case len(parts) == 2:
		return parts[0], parts[1], true
	}
	return topology.ClusterDNSName(host)
}

// zeroWeight reports a backendRef that receives no requests ("weight: 0").
func zeroWeight(b kubernetes.BackendRef) bool {
	return b.Weight.Set && strings.TrimSpace(b.Weight.Value) == "0"
}
