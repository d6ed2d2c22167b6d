package topology

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers/kubernetes"
)

func init() { RegisterLinker("n-sidecar", linkSidecar) }

// linkSidecar links a proxy that runs in a pod and forwards to a loopback
// port nobody in the pod declares (linkByPort found no server) to the one
// other container of that pod that declares no port at all: container
// ports are informational, so an app that listens without declaring its
// port is the usual sidecar layout. The link is an assumption and says so;
// with two or more such containers, or under link: strict, there is none.
// Loopback never leaves the pod: only containers of the same pod count.
func linkSidecar(g *Graph, env *Env) {
	if env.Config.Strict() {
		return
	}
	byPod := map[string][]*Hop{}
	for _, h := range g.Hops {
		if podContainerOf(h) != nil && h.Kind == KindAppServer && len(h.Pods) == 1 {
			byPod[h.Pods[0]] = append(byPod[h.Pods[0]], h)
		}
	}
	ports := serverPorts(g)
	for _, h := range append([]*Hop(nil), g.Hops...) {
		if len(h.Pods) == 0 || podContainerOf(h) != nil || forwardsToServer(g, h) || hasDeclared(g, h) {
			continue
		}
		for _, t := range h.Targets {
			if t.Port == 0 || !loopback(t.Host) || portTakenInPod(h, ports[t.Port]) {
				continue
			}
			for _, pod := range h.Pods {
				s, runs := portlessSibling(g, byPod[pod], h)
				if s == nil {
					continue
				}
				g.Link(&Edge{From: h, To: s, Confidence: Assumed, Range: t.Range,
					Why: fmt.Sprintf("%s sends to %s in the pod of %s, where no container declares port %d; %s is the only other container and declares no port, so it is assumed to listen there", h.Name, t.URL, runs.Name, t.Port, s.Name)})
			}
		}
	}
}

// portlessSibling returns the container of a pod that runs h's
// configuration and the only other container that declares no port, or
// nil when there is not exactly one. A container runs a configuration when
// it contains one of its servers (a Within edge); nginx runs every server
// of it, not only the one the container's port reaches.
func portlessSibling(g *Graph, containers []*Hop, h *Hop) (sibling, runs *Hop) {
	var portless []*Hop
	for _, c := range containers {
		runsConfig := false
		for _, e := range g.Out(c) {
			runsConfig = runsConfig || e.Within
		}
		if runsConfig {
			if runs == nil || containsHop(g.Parts(c), h) {
				runs = c
			}
			continue
		}
		if pc := podContainerOf(c); pc != nil && len(pc.Container.Ports) == 0 && !initOnly(pc.Container) {
			portless = append(portless, c)
		}
	}
	if runs == nil || len(portless) != 1 {
		return nil, nil
	}
	return portless[0], runs
}

// portTakenInPod reports whether a container or server in a pod h runs in
// declares the port: then the port is not unclaimed (linkByPort found it
// ambiguous, or hoplint must not guess), and no sibling is assumed.
func portTakenInPod(h *Hop, on []serverPort) bool {
	for _, sp := range on {
		if sp.hop != h && h.SharesPod(sp.hop) {
			return true
		}
	}
	return false
}

func containsHop(hs []*Hop, h *Hop) bool {
	for _, o := range hs {
		if o == h {
			return true
		}
	}
	return false
}

func initOnly(c *kubernetes.Container) bool { return c.Init && !c.Sidecar }
