package rules

import (
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
	"github.com/hoplint/hoplint/topology"
)

// Helpers for the rules that hold OpenAPI routes against the hops in
// front of them.

// front is a hop on a route's path, with the link that ties the path to
// the route (for the message's "linked by" words).
type front struct {
	hop  *topology.Hop
	link *topology.Edge
}

// routeFronts returns the hops in front of a route hop whose own settings
// apply to its requests: everything reachable backwards over links. A hop
// reached through containment (the nginx server around a location, the
// ALB around its target group, the spec around its route) is walked
// through but not returned: its part already carries the effective value.
func routeFronts(g *topology.Graph, route *topology.Hop) []front {
	type item struct {
		h    *topology.Hop
		link *topology.Edge
	}
	seen := map[*topology.Hop]bool{route: true}
	queue := []item{{route, nil}}
	var out []front
	for len(queue) > 0 && len(seen) < 4096 {
		it := queue[0]
		queue = queue[1:]
		for _, e := range g.In(it.h) {
			if seen[e.From] {
				continue
			}
			seen[e.From] = true
			link := it.link
			if link == nil && !e.Within {
				link = e
			}
			if !e.Within && !topology.IsSpecKind(e.From.Kind) {
				out = append(out, front{e.From, link})
			}
			queue = append(queue, item{e.From, link})
		}
	}
	return out
}

// specRoutes returns every route hop of the linted specs with its route.
func specRoutes(g *topology.Graph) []routeHop {
	var out []routeHop
	for _, c := range g.Configs[parsers.FormatOpenAPI] {
		oc := c.(*topology.OpenAPIConfig)
		for _, r := range oc.Spec.Routes {
			out = append(out, routeHop{r, oc.Routes[r]})
		}
	}
	return out
}

type routeHop struct {
	r *openapi.Route
	h *topology.Hop
}

// routesBehind returns the routes a hop serves: routes linked to it, and
// every route of a spec linked to it (a declared stack names the spec).
// sure is false when every such link is an assumption.
func routesBehind(g *topology.Graph, h *topology.Hop) (out []*topology.Hop, sure bool) {
	for _, e := range g.Out(h) {
		if topology.IsSpecKind(e.To.Kind) && e.Confidence != topology.Assumed {
			sure = true
		}
		switch e.To.Kind {
		case topology.KindOpenAPIRoute:
			out = append(out, e.To)
		case topology.KindOpenAPISpec:
			for _, p := range g.Parts(e.To) {
				if p.Kind == topology.KindOpenAPIRoute {
					out = append(out, p)
				}
			}
		}
	}
	return out, sure
}

// specFile names a route's spec for messages: "route POST /upload of api.yaml".
func specFile(h *topology.Hop) string { return h.Name + " of " + h.File }
