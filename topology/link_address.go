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
func linkByPort(g *Graph, _ *Env) {
	byPort := map[int][]*Hop{}
	for _, h := range g.Hops {
		if !serverKinds[h.Kind] {
			continue
		}
		if h.Kind == KindNginxServer && len(h.Listen) == 0 {
			// No listen directive: nginx listens on *:80, or *:8000 when it
			// runs without root. Either way the server is a candidate, so a
			// port-80 target is ambiguous rather than linked elsewhere.
			byPort[80] = append(byPort[80], h)
			byPort[8000] = append(byPort[8000], h)
			continue
		}
		seen := map[int]bool{}
		for _, l := range h.Listen {
			if l.Port > 0 && !seen[l.Port] {
				seen[l.Port] = true
				byPort[l.Port] = append(byPort[l.Port], h)
			}
		}
	}
	for _, h := range append([]*Hop(nil), g.Hops...) {
		if hasDeclared(g, h) || forwardsToServer(g, h) {
			continue
		}
		for _, t := range h.Targets {
			if t.Port == 0 || !portOnlyKinds[h.Kind] && !loopback(t.Host) {
				continue
			}
			cands := byPort[t.Port]
			if len(cands) != 1 || cands[0] == h {
				continue
			}
			s := cands[0]
			g.Link(&Edge{From: h, To: s, Confidence: Address, Range: t.Range, Passthrough: t.Passthrough,
				Why: fmt.Sprintf("%s sends to port %d, and %s (%s) is the only linted server listening on %d", h.Name, t.Port, s.Name, s.File, t.Port)})
		}
	}
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
// only server left unlinked, when there is exactly one of each: the common
// small stack (one ALB, one nginx) written without anything that names the
// other side. The link is reported as an assumption in every finding that
// uses it, and `link: strict` switches it off.
func linkAssumed(g *Graph, env *Env) {
	if env.Config.Strict() {
		return
	}
	var fronts, backs []*Hop
	for _, h := range g.Hops {
		switch {
		case portOnlyKinds[h.Kind]:
			if !forwardsToServer(g, h) && !hasDeclared(g, h) && h.PoolIdle.Known() {
				fronts = append(fronts, h)
			}
		case serverKinds[h.Kind]:
			if !hasForwardingIn(g, h) {
				backs = append(backs, h)
			}
		}
	}
	if len(fronts) != 1 || len(backs) != 1 {
		return
	}
	f, b := fronts[0], backs[0]
	g.Link(&Edge{From: f, To: b, Confidence: Assumed,
		Why: fmt.Sprintf("%s is the only load-balancer target and %s (%s) the only server in the linted files", f.Name, b.Name, b.File)})
}

func hasForwardingIn(g *Graph, h *Hop) bool {
	for _, e := range g.In(h) {
		if !e.Within {
			return true
		}
	}
	return false
}
