package rules

import (
	"fmt"
	"github.com/hoplint/hoplint/parsers"

	"github.com/hoplint/hoplint/topology"
)

var unboundedBodySize = &Rule{
	ID:       "unbounded-body-size",
	Title:    "a request-body limit explicitly switched off",
	Severity: Info,
	Doc: `` + "`client_max_body_size 0`" + `, ` + "`LimitRequestBody 0`" + ` and the ingress-nginx annotation
` + "`proxy-body-size: \"0\"`" + ` switch the body limit off: any client can stream an
unbounded body through this hop, tying up a worker, buffer space or disk
(nginx buffers large bodies to temporary files) for as long as it likes.

That is sometimes intended (an upload service that enforces its own limit).
If so, suppress the finding with the reason; otherwise set the largest body
the backend accepts.`,
	Run: runUnboundedBodySize,
}

func init() { Register(unboundedBodySize) }

func runUnboundedBodySize(p *Pass) {
	// A limit switched off at an outer level (nginx http, a server) is
	// inherited by every hop inside it: report the directive once, naming
	// the first hop it applies to.
	byRange := map[parsers.Range][]*topology.Hop{}
	var order []parsers.Range
	for _, h := range p.Graph.Hops {
		lim := h.BodyLimit
		if lim.Prov != topology.Set || lim.Value != topology.Unlimited {
			continue
		}
		if byRange[lim.Range] == nil {
			order = append(order, lim.Range)
		}
		byRange[lim.Range] = append(byRange[lim.Range], h)
	}
	for _, r := range order {
		hops := byRange[r]
		h, lim := hops[0], hops[0].BodyLimit
		who := h.Name
		switch n := len(hops) - 1; {
		case n == 1:
			who += " and 1 more hop inheriting it"
		case n > 1:
			who += fmt.Sprintf(" and %d more hops inheriting it", n)
		}
		p.Report(Finding{
			Range: r,
			Message: fmt.Sprintf("%s switches the request-body limit off (%s 0): clients can send bodies of any size. Set the largest body the backend accepts, or suppress this with the reason if the backend enforces its own limit.%s",
				who, lim.Name, assumptions(append(h.Notes, lim.Note)...)),
		})
	}
}
