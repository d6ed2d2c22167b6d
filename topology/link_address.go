package topology

import (
	"fmt"
	"net"
	"path"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
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
	roots := unitRoots(g)
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
				if sp.hop != h && reaches(h, remote, sp, roots) {
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
			if !loopbackOnly(l.Host) && !l.Private {
				byPort[l.Port][i].remote = true
			}
		}
	}
	return byPort
}

// reaches reports whether h can open a connection to sp: from another host
// (remote) only to a non-loopback listener; through the loopback address
// only within a pod they share, or, between hops that no linted manifest
// places in a pod, within one configuration tree (sameTree). A
// configuration that several workloads mount reaches the servers of each
// of their pods, so one candidate among them is still the one.
func reaches(h *Hop, remote bool, sp serverPort, roots map[*Hop]string) bool {
	if remote {
		return sp.remote && !serviceRegistered(sp.hop)
	}
	if len(h.Pods) == 0 && len(sp.hop.Pods) == 0 {
		return sameTree(h, sp.hop, roots)
	}
	return h.SharesPod(sp.hop)
}

// Loopback outside a pod (docs/facts/loopback.md): 127.0.0.1 reaches the
// same host, and the files of one host are one deployment unit only when
// they belong together. hoplint takes a hop's unit to be its configuration
// tree: the directory of the top-level file of the nginx or httpd
// configuration that holds it (the nginx.conf or httpd.conf that includes
// the file declaring it, or that file itself), or, for any other hop (an
// app server read from its code or settings), the directory of the file
// declaring it. Two hops share a host only when one's tree holds the
// other's file: nginx.conf at a project's root with the app in app/, or an
// app whose settings sit above the proxy's directory. Linting a directory
// that holds several projects (a/httpd.conf, b/nginx.conf) then never
// links one project's 127.0.0.1:8001 to another's listen 8001.

// unitRoots maps each nginx and Apache hop to the directory of its
// configuration's top-level file.
func unitRoots(g *Graph) map[*Hop]string {
	roots := map[*Hop]string{}
	for _, c := range g.Configs[parsers.FormatNginx] {
		nc, ok := c.(*NginxConfig)
		if !ok || nc.Config == nil || nc.Main == nil {
			continue
		}
		root := path.Dir(nc.Main.Path)
		for _, h := range nc.ServerHops {
			roots[h] = root
		}
		for _, h := range nc.LocationHops {
			roots[h] = root
		}
		for _, h := range nc.UpstreamHops {
			roots[h] = root
		}
	}
	byFile := map[string]string{}
	for _, c := range g.Configs[parsers.FormatApache] {
		ac, ok := c.(*apache.Config)
		if !ok || len(ac.Files) == 0 {
			continue
		}
		root := path.Dir(ac.Files[0].Path)
		for _, f := range ac.Files {
			if _, seen := byFile[f.Path]; !seen {
				byFile[f.Path] = root
			}
		}
	}
	for _, h := range g.Hops {
		if h.Kind != KindApacheVHost && h.Kind != KindApacheBackend {
			continue
		}
		if r, ok := byFile[h.File]; ok {
			roots[h] = r
		}
	}
	return roots
}

// sameTree reports whether one hop's configuration tree holds the other
// hop's file.
func sameTree(a, b *Hop, roots map[*Hop]string) bool {
	root := func(h *Hop) string {
		if r, ok := roots[h]; ok {
			return r
		}
		return path.Dir(h.File)
	}
	return within(b.File, root(a)) || within(a.File, root(b))
}

// within reports whether file lies in the directory tree dir.
func within(file, dir string) bool {
	return dir == "." || dir == "" || strings.HasPrefix(file, dir+"/")
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
			if t.Port == 0 || !sp.remote || seen[sp.hop] || hasForwardingIn(g, sp.hop) || serviceRegistered(sp.hop) {
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

// serviceRegistered reports a server that enters a load balancer's target
// group only through what registers it there, which its own linker reads:
// an ECS task through the load_balancer of the service that runs it
// (docs/facts/aws.md, "ECS services and target groups"). A port it shares
// with some target group, or being the only server left, says nothing.
func serviceRegistered(h *Hop) bool {
	_, ecs := h.Config.(*ECSContainer)
	return ecs
}
