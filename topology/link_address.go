package topology

import (
	"fmt"
	"net"
	"strings"
)

func init() {
	RegisterLinker("0-parts", markParts)
	RegisterLinker("m-address", linkByPort)
	RegisterLinker("z-assumed", linkAssumed)
}

// markParts marks the links from a load balancer to its target groups as
// containment: a target group is part of its load balancer and carries its
// timeouts, so ordering rules compare what stands behind the target group,
// never the load balancer with itself.
func markParts(g *Graph, _ *Env) {
	for _, e := range g.Edges {
		switch e.From.Kind {
		case KindALB, KindNLB, KindCLB:
			if e.To.Kind == KindTargetGroup {
				e.Within = true
			}
		}
	}
}

// serverKinds terminate HTTP from the hop before them and can be the far
// end of a link by address.
var serverKinds = map[HopKind]bool{KindNginxServer: true, KindApacheVHost: true, KindAppServer: true}

// portOnlyKinds forward to targets whose hosts hoplint cannot know (EC2
// instances or IPs registered at run time), so their port alone names the
// server.
var portOnlyKinds = map[HopKind]bool{KindTargetGroup: true, KindCLB: true}

// linkByPort links a hop that forwards to a port to the one linted server
// that listens on it: a target group's port, a Classic ELB's instance
// port, an nginx or Apache proxy to a loopback address. When two or more
// servers listen on the port there is no link: hoplint does not guess.
//
// Reachability decides who counts. A load balancer reaches only servers
// that listen on a non-loopback address; a loopback address reaches only
// servers in a pod the hop runs in (a container's localhost is its pod's), or,
// between files that no linted manifest deploys, any such server, as
// before: one host is the usual reading of a plain nginx.conf and the
// app server it proxies to.
func linkByPort(g *Graph, _ *Env) {
	ports := serverPorts(g)
	for _, h := range append([]*Hop(nil), g.Hops...) {
		if hasDeclared(g, h) || forwardsToServer(g, h) {
			continue
		}
		for _, t := range h.Targets {
			remote := portOnlyKinds[h.Kind]
			if t.Port == 0 || !remote && !loopback(t.Host) {
				continue
			}
			var cands []*Hop
			for _, sp := range ports[t.Port] {
				if sp.hop != h && reaches(h, remote, sp) {
					cands = append(cands, sp.hop)
				}
			}
			// A tree that repeats one environment per directory has a
			// server on the port in each: the hop's own stack is the
			// nearest by directory, and a tie there is no link.
			if len(cands) > 1 {
				cands, _ = NewNearIndex(cands, func(s *Hop) string { return s.File }).Nearest(h.File)
			}
			if len(cands) != 1 {
				continue
			}
			s := cands[0]
			// The same words whether it is the only server on the port or
			// the nearest of copies, so each copy of a tree reads alike.
			why := fmt.Sprintf("%s sends to port %d, and %s is the nearest linted server listening on %d, with no other as near", h.Name, t.Port, s.NameAndFile(), t.Port)
			if !remote && len(h.Pods) > 1 {
				why += fmt.Sprintf(" in the %d workloads whose pods run this configuration (in the others nothing linted listens there)", len(h.Pods))
			}
			g.Link(&Edge{From: h, To: s, Confidence: Address, Range: t.Range, Passthrough: t.Passthrough, Why: why})
		}
	}
}

// serverPort is one server listening on a port, and whether it accepts
// connections from other hosts there (not only on a loopback address).
type serverPort struct {
	hop    *Hop
	remote bool
}

// serverPorts maps each port to the servers listening on it.
func serverPorts(g *Graph) map[int][]serverPort {
	byPort := map[int][]serverPort{}
	for _, h := range g.Hops {
		if !serverKinds[h.Kind] {
			continue
		}
		if h.Kind == KindNginxServer && len(h.Listen) == 0 {
			// No listen directive: nginx listens on *:80, or *:8000 when it
			// runs without root. Either way the server is a candidate, so a
			// port-80 target is ambiguous rather than linked elsewhere.
			byPort[80] = append(byPort[80], serverPort{h, true})
			byPort[8000] = append(byPort[8000], serverPort{h, true})
			continue
		}
		at := map[int]int{}
		for _, l := range h.Listen {
			if l.Port <= 0 {
				continue
			}
			i, seen := at[l.Port]
			if !seen {
				i = len(byPort[l.Port])
				at[l.Port] = i
				byPort[l.Port] = append(byPort[l.Port], serverPort{hop: h})
			}
			if !loopbackOnly(l.Host) {
				byPort[l.Port][i].remote = true
			}
		}
	}
	return byPort
}

// reaches reports whether h can open a connection to sp: from another host
// (remote) only to a non-loopback listener; through the loopback address
// only within a pod they share, or between hops that no linted manifest
// places in a pod. A configuration that several workloads mount reaches
// the servers of each of their pods, so one candidate among them is still
// the one.
func reaches(h *Hop, remote bool, sp serverPort) bool {
	if remote {
		return sp.remote
	}
	if len(h.Pods) == 0 && len(sp.hop.Pods) == 0 {
		return true
	}
	return h.SharesPod(sp.hop)
}

// loopbackOnly reports a listen address that accepts connections from the
// same host only (127.0.0.1, [::1], localhost). "" and 0.0.0.0 are every
// address.
func loopbackOnly(host string) bool {
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// forwardsToServer reports whether h already has a forwarding link to a
// server (drawn by reference or by a format's own linker).
func forwardsToServer(g *Graph, h *Hop) bool {
	for _, e := range g.Out(h) {
		if !e.Within && serverKinds[e.To.Kind] {
			return true
		}
	}
	return false
}

func loopback(host string) bool {
	host = strings.Trim(host, "[]")
	if host == "localhost" || host == "" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// linkAssumed links the only load-balancer target left unlinked to the
// only server left unlinked that listens on its port, when there is
// exactly one of each: the common small stack (one ALB, one nginx)
// where linkByPort found the port ambiguous only because of servers that
// other hops already reach. The ports must agree (a server that declares
// no port, or listens on a loopback address only, is no candidate). The
// link is reported as an assumption in every finding that uses it, and
// `link: strict` switches it off.
func linkAssumed(g *Graph, env *Env) {
	if env.Config.Strict() {
		return
	}
	var fronts []*Hop
	for _, h := range g.Hops {
		if portOnlyKinds[h.Kind] && !forwardsToServer(g, h) && !hasDeclared(g, h) && h.PoolIdle.Known() {
			fronts = append(fronts, h)
		}
	}
	if len(fronts) != 1 {
		return
	}
	f := fronts[0]
	ports := serverPorts(g)
	var backs []*Hop
	var via Target
	seen := map[*Hop]bool{}
	for _, t := range f.Targets {
		for _, sp := range ports[t.Port] {
			if t.Port == 0 || !sp.remote || seen[sp.hop] || hasForwardingIn(g, sp.hop) {
				continue
			}
			seen[sp.hop] = true
			backs = append(backs, sp.hop)
			via = t
		}
	}
	if len(backs) != 1 {
		return
	}
	b := backs[0]
	g.Link(&Edge{From: f, To: b, Confidence: Assumed, Range: via.Range, Passthrough: via.Passthrough,
		Why: fmt.Sprintf("%s is the only load-balancer target left unlinked, and %s the only server listening on %d that nothing else sends to", f.Name, b.NameAndFile(), via.Port)})
}

func hasForwardingIn(g *Graph, h *Hop) bool {
	for _, e := range g.In(h) {
		if !e.Within {
			return true
		}
	}
	return false
}
