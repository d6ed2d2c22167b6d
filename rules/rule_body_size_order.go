package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

var bodySizeOrder = &Rule{
	ID:       "body-size-order",
	Title:    "an inner hop accepts smaller request bodies than the hop in front of it",
	Severity: Warning,
	Doc: `Request-body limits must not shrink along the path. When an outer hop (an
ingress, a proxy) accepts bodies up to 50 MB and the server behind it only
1 MB, uploads between the two pass the first hop, are streamed on, and are
refused by the second with a 413 — usually while the client is still
sending, so it sees a reset rather than the answer. The outer hop's limit
then promises something the path cannot keep.

hoplint compares the body limit of each hop with that of the hop it
forwards to (for an nginx server, with each of its locations too), and
reports at the inner limit: raise it to the outer one, or lower the outer
limit so that oversized bodies are refused at the edge, before they use
bandwidth and buffers on the way in.`,
	Examples: []Example{
		{Name: "nginx front accepts more than the nginx behind it", Bad: true, Archive: bodySizeOrderExample},
		{Name: "limits agree", Archive: strings.Replace(bodySizeOrderExample, "client_max_body_size 10m", "client_max_body_size 50m", 1)},
	},
	Run: runBodySizeOrder,
}

const bodySizeOrderExample = `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        location / {
            client_max_body_size 50m;
            proxy_pass http://127.0.0.1:8081;
        }
    }
    server {
        listen 8081;
        client_max_body_size 10m;
        location / {
            root /srv;
        }
    }
}
`

func init() { Register(bodySizeOrder) }

func runBodySizeOrder(p *Pass) {
	for _, e := range p.Graph.Edges {
		if e.Within {
			continue
		}
		outer := e.From.BodyLimit
		if !outer.Known() {
			continue
		}
		// A location that inherits its server's limit carries the very
		// same setting: one limit, reported once.
		seen := map[parsers.Range]bool{}
		for _, b := range p.Graph.Parts(e.To) {
			inner := b.BodyLimit
			if !inner.Known() || inner.Value == topology.Unlimited || seen[inner.Range] {
				continue
			}
			seen[inner.Range] = true
			if outer.Value != topology.Unlimited && inner.Value >= outer.Value {
				continue
			}
			a := e.From
			between := fmt.Sprintf("between %s and %s", topology.FormatSize(inner.Value), topology.FormatSize(outer.Value))
			if outer.Value == topology.Unlimited {
				between = "above " + topology.FormatSize(inner.Value)
			}
			related := settingRelated(outer, fmt.Sprintf("%s accepts %s here", a.Name, topology.FormatSize(outer.Value)))
			if !e.Range.IsZero() {
				related = append(related, relatedAt(e.Range, "the link: "+e.Why))
			}
			p.Report(Finding{
				Range:   inner.Range,
				Related: related,
				Message: fmt.Sprintf("%s accepts request bodies up to %s, but %s behind it only %s: bodies %s pass %s and are refused with 413 by %s, which clients mid-upload see as a reset. Raise %s to %s, or lower %s to %s.%s%s",
					hopFile(a), valueWords(outer, topology.FormatSize), hopFile(b), valueWords(inner, topology.FormatSize), between, shortName(a), shortName(b),
					inner.Name, topology.FormatSize(outer.Value), outer.Name, topology.FormatSize(inner.Value),
					linkWords(e), assumptions(append(append(append([]string(nil), a.Notes...), b.Notes...), outer.Note, inner.Note)...)),
			})
		}
	}
}
