package rules

import (
	"time"

	"github.com/hoplint/hoplint/topology"
)

// lbKinds hand requests to backends hoplint must see before it can say how
// long they may take (issue: "when the ALB's backends may take that long,
// only when known").
var lbKinds = map[topology.HopKind]bool{
	topology.KindALB: true, topology.KindNLB: true, topology.KindCLB: true, topology.KindTargetGroup: true,
	topology.KindCloudFrontOrigin: true, topology.KindIngressALB: true, topology.KindService: true,
}

// effectiveWait is how long hop h can really keep the hop before it
// waiting: its own response timeout, but no longer than the hops behind it
// can take. It returns the hop whose timeout sets that bound (nil when
// nothing bounds it: an app server, or a proxy's backend hoplint cannot
// see, may take any time). A load balancer whose targets are not linted is
// unknown: ok is false.
func effectiveWait(g *topology.Graph, h *topology.Hop) (d time.Duration, bind *topology.Hop, ok bool) {
	return waitOf(g, h, map[*topology.Hop]bool{})
}

func waitOf(g *topology.Graph, h *topology.Hop, visiting map[*topology.Hop]bool) (time.Duration, *topology.Hop, bool) {
	if visiting[h] {
		return topology.Forever, nil, true // a loop adds no limit
	}
	visiting[h] = true
	defer delete(visiting, h)
	own, ownHop := topology.Forever, (*topology.Hop)(nil)
	if h.UpstreamTimeout.Known() {
		own, ownHop = h.UpstreamTimeout.Value, h
	}
	out := g.Out(h)
	if len(out) == 0 || onlySpecs(out) {
		if lbKinds[h.Kind] {
			return 0, nil, false
		}
		return own, ownHop, true
	}
	longest, longestHop := time.Duration(0), (*topology.Hop)(nil)
	for _, e := range out {
		if topology.IsSpecKind(e.To.Kind) {
			continue // a spec's route describes the backend; it does not wait
		}
		w, wh, ok := waitOf(g, e.To, visiting)
		if !ok {
			return 0, nil, false
		}
		if w > longest || longestHop == nil && w == longest {
			longest, longestHop = w, wh
		}
	}
	if longest < own {
		return longest, longestHop, true
	}
	return own, ownHop, true
}

func onlySpecs(es []*topology.Edge) bool {
	for _, e := range es {
		if !topology.IsSpecKind(e.To.Kind) {
			return false
		}
	}
	return true
}
