package gateway

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

// Routing objects of implementations that predate the Gateway API and
// are still what many repositories migrate from or to: Istio's
// VirtualService behind an Istio Gateway, and Traefik's IngressRoute (and
// Ingress) with the ServersTransport that sets its backend timeouts.

func (x *gwIndex) istioHops() {
	gwHops := map[string]*topology.Hop{}
	for key, list := range x.istioGWs {
		for _, ig := range closest("", list) {
			h := &topology.Hop{ID: topology.ObjectHopID(&ig.Object, ""), Kind: topology.KindGateway, File: ig.File.Path, Range: ig.NameRange, Config: ig,
				Name: "Istio ingress gateway for Gateway " + topology.RefName(&ig.Object)}
			x.g.AddHop(h)
			gwHops[key] = h
		}
	}
	for _, vs := range x.vss {
		var parents []*topology.Hop
		for _, g := range vs.Gateways {
			if g == "mesh" {
				continue
			}
			ns, name, ok := strings.Cut(g, "/")
			if !ok {
				ns, name = vs.NS(), g
			}
			if h := gwHops[ns+"/"+name]; h != nil {
				parents = append(parents, h)
			}
		}
		var hosts []string
		for _, hs := range vs.Hosts {
			hosts = append(hosts, hs.Value)
		}
		for i, rt := range vs.HTTP {
			name := "VirtualService " + topology.RefName(&vs.Object)
			if len(vs.HTTP) > 1 {
				name += fmt.Sprintf(" route %d", i+1)
			}
			h := &topology.Hop{
				ID: topology.ObjectHopID(&vs.Object, fmt.Sprintf("/http/%d", i)), Kind: topology.KindGatewayRoute, Name: name + " (Istio)",
				File: vs.File.Path, Range: rt.Range,
				// A VirtualService timeout is Envoy's route timeout: a deadline.
				Config: &topology.GatewayRoute{Impl: topology.ImplIstio, Object: &vs.Object, Hosts: hosts, Paths: rulePaths(rt.Paths), Range: rt.Range, Deadline: true},
			}
			if len(rt.Destinations) > 0 {
				h.Proxy = rt.Destinations[0].Range
			}
			h.UpstreamTimeout = topology.DefaultFor("timeout", topology.Forever, rt.Range, &topology.DefaultSource{Product: topology.ImplIstio, Version: istioVersion, URL: istioVSDoc})
			if rt.Timeout.Set {
				h.UpstreamTimeout = x.duration("timeout", rt.Timeout, false, true)
			}
			if len(parents) == 0 {
				h.Notes = append(h.Notes, "the VirtualService applies to the sidecars of the mesh (no linted Istio Gateway is named in its gateways)")
			}
			var pools []topology.Duration
			for _, d := range rt.Destinations {
				svc, ns, ok := serviceName(d.Host, vs.NS())
				if !ok {
					continue
				}
				pools = append(pools, x.istioPool(svcRef{ns, svc}, "", rt.Range))
				x.linkService(h, fmt.Sprintf("VirtualService %s sends to %s, Service %s/%s", topology.RefName(&vs.Object), d.Host, ns, svc), ns, svc, d.Port, "", d.Range)
			}
			h.PoolIdle = agree(pools)
			if h.PoolIdle.IsDefault() {
				h.Notes = append(h.Notes, "with an Istio sidecar in the backend pod, the sidecar's inbound pool (also 1 hour by default) is the one that reuses the app's connections")
			}
			x.g.AddHop(h)
			for _, p := range parents {
				x.g.Link(&topology.Edge{From: p, To: h, Within: true, Confidence: topology.Reference, Range: rt.Range,
					Why: fmt.Sprintf("VirtualService %s is bound to %s (gateways)", topology.RefName(&vs.Object), p.Name)})
			}
		}
	}
}

var (
	traefikHostRe = regexp.MustCompile("Host\\(`([^`]+)`\\)")
	traefikPathRe = regexp.MustCompile("Path(?:Prefix)?\\(`([^`]+)`\\)")
)

func (x *gwIndex) traefikHops() {
	for _, ir := range x.irs {
		for i, rt := range ir.Routes {
			name := "Traefik IngressRoute " + topology.RefName(&ir.Object)
			if len(ir.Routes) > 1 {
				name += fmt.Sprintf(" route %d", i+1)
			}
			gr := &topology.GatewayRoute{Impl: topology.ImplTraefik, Object: &ir.Object, Range: rt.Range}
			for _, m := range traefikHostRe.FindAllStringSubmatch(rt.Match.Value, -1) {
				gr.Hosts = append(gr.Hosts, m[1])
			}
			for _, m := range traefikPathRe.FindAllStringSubmatch(rt.Match.Value, -1) {
				gr.Paths = append(gr.Paths, m[1])
			}
			gr.Paths = rulePaths(gr.Paths)
			h := &topology.Hop{ID: topology.ObjectHopID(&ir.Object, fmt.Sprintf("/routes/%d", i)), Kind: topology.KindGatewayRoute, Name: name,
				File: ir.File.Path, Range: rt.Range, Config: gr}
			if len(rt.Services) > 0 {
				h.Proxy = rt.Services[0].Range
			}
			var pools, waits []topology.Duration
			for _, s := range rt.Services {
				ns := s.Namespace
				if ns == "" {
					ns = ir.NS()
				}
				pool, wait, notes := x.traefikTransport(s.ServersTransport, ir.NS(), rt.Range)
				pools, waits = append(pools, pool), append(waits, wait)
				h.Notes = topology.AppendNew(h.Notes, notes...)
				port, err := strconv.Atoi(s.Port)
				portName := ""
				if err != nil {
					portName = s.Port
				}
				x.linkService(h, fmt.Sprintf("IngressRoute %s sends to Service %s/%s", topology.RefName(&ir.Object), ns, s.Name), ns, s.Name, port, portName, s.Range)
			}
			h.PoolIdle, h.UpstreamTimeout = agree(pools), agree(waits)
			x.g.AddHop(h)
		}
	}
	x.traefikIngresses()
}

// traefikTransport reads the ServersTransport a Traefik service uses: a
// name in the route's namespace, "namespace-name@kubernetescrd" across
// namespaces; none means the default transport. A transport from another
// provider (name@file) is not among the manifests: Unknown.
func (x *gwIndex) traefikTransport(ref kubernetes.Str, ns string, obj parsers.Range) (topology.Duration, topology.Duration, []string) {
	src := &topology.DefaultSource{Product: topology.ImplTraefik, Version: traefikVersion, URL: traefikSTDoc}
	pool := topology.DefaultFor("serversTransport forwardingTimeouts.idleConnTimeout", 90*time.Second, obj, src)
	wait := topology.DefaultFor("serversTransport forwardingTimeouts.responseHeaderTimeout", topology.Forever, obj, src)
	if !ref.Set || ref.Value == "" {
		return pool, wait, []string{"assuming Traefik's static configuration leaves the default serversTransport as it ships"}
	}
	var st *kubernetes.Policy
	name, provider, hasProvider := strings.Cut(ref.Value, "@")
	switch {
	case !hasProvider:
		st = x.namedPolicy("ServersTransport", ns, name)
	case provider == "kubernetescrd":
		for stNS, list := range x.policies["ServersTransport"] {
			for _, p := range list {
				if stNS+"-"+p.Name == name {
					st = p
				}
			}
		}
	}
	if st == nil {
		return topology.Duration{Name: "forwardingTimeouts.idleConnTimeout"}, topology.Duration{Name: "forwardingTimeouts.responseHeaderTimeout"},
			[]string{fmt.Sprintf("ServersTransport %q is not among the linted manifests, so its timeouts are unknown", ref.Value)}
	}
	if v, ok := st.Fields["forwardingTimeouts.idleConnTimeout"]; ok {
		pool = x.duration(policyName("forwardingTimeouts.idleConnTimeout", st), v, true, false)
	} else {
		pool.Range = st.NameRange
	}
	if v, ok := st.Fields["forwardingTimeouts.responseHeaderTimeout"]; ok {
		wait = x.duration(policyName("forwardingTimeouts.responseHeaderTimeout", st), v, true, true)
	} else {
		wait.Range = st.NameRange
	}
	return pool, wait, nil
}

func (x *gwIndex) namedPolicy(kind, ns, name string) *kubernetes.Policy {
	for _, p := range x.policies[kind][ns] {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// traefikIngresses fills the backend settings of Ingresses served by
// Traefik: the ServersTransport named by each backend Service's
// annotation, or the default transport.
func (x *gwIndex) traefikIngresses() {
	for _, h := range x.g.Hops {
		in, ok := h.Config.(*kubernetes.Ingress)
		if !ok || h.Kind != topology.KindIngress {
			continue
		}
		served, note := x.traefikServes(in)
		if !served {
			continue
		}
		h.Name = "Traefik for Ingress " + topology.RefName(&in.Object)
		h.Notes = topology.AppendNew(h.Notes, note)
		var pools, waits []topology.Duration
		for _, b := range in.Backends {
			key := in.NS() + "/" + b.Service
			near, _ := nearOf(&x.nearSvc, key, x.services[key], func(h *topology.Hop) string { return h.File }).Nearest(h.File)
			for _, sh := range near {
				svc := sh.Config.(*kubernetes.Service)
				pool, wait, notes := x.traefikTransport(svc.Annotations.Get(topology.TraefikTransportAnnotation), svc.NS(), in.NameRange)
				pools, waits = append(pools, pool), append(waits, wait)
				h.Notes = topology.AppendNew(h.Notes, notes...)
			}
		}
		h.PoolIdle, h.UpstreamTimeout = agree(pools), agree(waits)
	}
}

// traefikServes tells whether Traefik serves an Ingress: its class's
// controller is traefik.io/ingress-controller, or it names class
// "traefik" and no IngressClass of that name is linted.
func (x *gwIndex) traefikServes(in *kubernetes.Ingress) (bool, string) {
	class := in.ClassName.Value
	if class == "" {
		class = in.ClassAnnotation.Value
	}
	if ics := x.ingClass[class]; len(ics) > 0 {
		return ics[0].Controller.Value == "traefik.io/ingress-controller", ""
	}
	if class == "traefik" {
		return true, `assuming class "traefik" is served by Traefik (no IngressClass traefik among the linted files)`
	}
	return false, ""
}
