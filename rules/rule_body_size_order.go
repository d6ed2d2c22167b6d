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
bandwidth and buffers on the way in.

An nginx location that passes to an ` + "`upstream`" + ` block is held against the
servers that block sends to, and the limit in effect in that location (its
own ` + "`client_max_body_size`" + `, else its server's) is the outer one. Where the
outer limit is switched off (` + "`client_max_body_size 0`" + `), every body above the
inner limit passes it and is refused inside.

An app server's own limit counts as a hop's: Kestrel's ` + "`MaxRequestBodySize`" + `
(30,000,000 bytes by default), uWSGI's ` + "`limit-post`" + `, PHP's
` + "`upload_max_filesize`" + ` and ` + "`post_max_size`" + ` (2M and 8M by default in the official
php images), and Spring's multipart limits when the application sets them.
PHP and Spring answer no 413 of their own: the message says what they do
instead (the upload fails inside the application; Spring's limits apply to
multipart requests only).

With an OpenAPI spec, hoplint also holds each route's declared size
against every hop in front of it: the largest ` + "`maxLength`" + ` of a binary string
(` + "`format: binary`" + `, ` + "`format: byte`" + `, ` + "`contentMediaType`" + `) in the request body, a
file of which makes a body at least that large. A hop that caps bodies
below it refuses uploads the API promises to accept. The finding sits on
the hop's limit; the spec's line is related.`,
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
	runBodySizeOrderSpecs(p)
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
		defaulted := map[*topology.Hop]bool{}
		for _, in := range bodyInners(p.Graph, e) {
			b := in.hop
			inner := b.BodyLimit
			if !inner.Known() || inner.Value == topology.Unlimited || seen[inner.Range] || inner.IsDefault() && defaulted[partOwner(p.Graph, b)] {
				continue
			}
			seen[inner.Range] = true
			if inner.IsDefault() {
				// A location that inherits its server's default carries
				// the same value at its own block: one finding, at the
				// first part that relies on it.
				defaulted[partOwner(p.Graph, b)] = true
			}
			if outer.Value != topology.Unlimited && inner.Value >= outer.Value {
				continue
			}
			a := e.From
			between := fmt.Sprintf("between %s and %s", topology.FormatSize(inner.Value), topology.FormatSize(outer.Value))
			if outer.Value == topology.Unlimited {
				between = "above " + topology.FormatSize(inner.Value)
			}
			related := settingRelated(outer, fmt.Sprintf("%s accepts %s here", a.Name, topology.FormatSize(outer.Value)))
			words := ""
			for _, l := range in.links {
				if !l.Range.IsZero() {
					related = append(related, relatedAt(l.Range, "the link: "+l.Why))
				}
				words += linkWords(l)
			}
			// An app server that does not answer 413 itself (PHP) says
			// what it does instead, in its own terms.
			refusal := "are refused with 413 by " + shortName(b) + ", which clients mid-upload see as a reset"
			if b.BodyRefusal != "" {
				refusal = "then " + b.BodyRefusal
			}
			accepts := "up to " + valueWords(outer, topology.FormatSize)
			fix := fmt.Sprintf("Raise %s to %s, or lower %s to %s.", inner.Name, topology.FormatSize(outer.Value), outer.Name, topology.FormatSize(inner.Value))
			if outer.Value == topology.Unlimited {
				// No limit to raise the inner one to: the outer hop has to
				// get one, at most the inner's.
				accepts = fmt.Sprintf("of any size (%s switched off)", outer.Name)
				fix = fmt.Sprintf("Set %s to %s or less, or raise %s to the largest body the application takes and %s to match.", outer.Name, topology.FormatSize(inner.Value), inner.Name, outer.Name)
			}
			p.Report(Finding{
				Range:   inner.Range,
				Related: related,
				Message: fmt.Sprintf("%s accepts request bodies %s, but %s behind it only %s: bodies %s pass %s and %s. %s%s%s",
					hopFile(a), accepts, hopFile(b), valueWords(inner, topology.FormatSize), between, shortName(a), refusal, fix,
					words, assumptions(append(append(append([]string(nil), a.Notes...), b.Notes...), outer.Note, inner.Note)...)),
			})
		}
	}
}

// bodyInner is a hop whose body limit is checked against the limit of the
// hop an edge starts from, with the links that lead there.
type bodyInner struct {
	hop   *topology.Hop
	links []*topology.Edge
}

// bodyInners returns the hops behind edge e whose limits apply to what
// e.From forwards: the parts of e.To (an nginx server and its locations),
// or, when e.To is an nginx upstream block, which holds no body limit of
// its own and only picks a server, the parts of every hop the upstream
// sends to. The limit in effect at e.From (the location that passes to
// the upstream) is then the outer one, not the server's around it.
func bodyInners(g *topology.Graph, e *topology.Edge) []bodyInner {
	if e.To.Kind != topology.KindNginxUpstream || e.To.BodyLimit.Known() {
		var out []bodyInner
		for _, b := range g.Parts(e.To) {
			out = append(out, bodyInner{b, []*topology.Edge{e}})
		}
		return out
	}
	var out []bodyInner
	for _, u := range g.Out(e.To) {
		if u.Within {
			continue
		}
		for _, b := range g.Parts(u.To) {
			out = append(out, bodyInner{b, []*topology.Edge{e, u}})
		}
	}
	return out
}

// runBodySizeOrderSpecs reports a hop whose body limit is below what a
// route behind it declares. One finding per limit: the route with the
// largest declared size is named, the others counted.
func runBodySizeOrderSpecs(p *Pass) {
	type hit struct {
		f    front
		r    routeHop
		more int
	}
	var order []topology.Size
	byLimit := map[parsers.Range]*hit{}
	for _, rh := range specRoutes(p.Graph) {
		b := rh.r.Body
		if b == nil || b.Size <= 0 {
			continue
		}
		for _, f := range routeFronts(p.Graph, rh.h) {
			lim := f.hop.BodyLimit
			if !lim.Known() || lim.Value == topology.Unlimited || lim.Value >= b.Size {
				continue
			}
			h := byLimit[lim.Range]
			switch {
			case h == nil:
				byLimit[lim.Range] = &hit{f: f, r: rh}
				order = append(order, lim)
			case b.Size > h.r.r.Body.Size:
				h.f, h.r, h.more = f, rh, h.more+1
			default:
				h.more++
			}
		}
	}
	for _, lim := range order {
		h := byLimit[lim.Range]
		a, b := h.f.hop, h.r.r.Body
		others := ""
		if h.more > 0 {
			others = fmt.Sprintf(" (and %d more %s behind it)", h.more, plural(h.more, "upload route", "upload routes"))
		}
		related := []parsers.Related{relatedAt(b.SizeRange, fmt.Sprintf("%s declares %s here", specFile(h.r.h), b.SizeWhat))}
		related = append(related, lim.Via...)
		words := ""
		if h.f.link != nil {
			words = linkWords(h.f.link)
		}
		p.Report(Finding{
			Range:   lim.Range,
			Related: related,
			Message: fmt.Sprintf("%s accepts request bodies up to %s, but %s%s declares uploads of %s (%s): bodies between the two are refused with 413 by %s, which clients mid-upload see as a reset. Raise %s to at least %s, or lower the spec's maxLength to what the path accepts.%s%s",
				hopFile(a), valueWords(lim, topology.FormatSize), specFile(h.r.h), others, topology.FormatSize(b.Size), b.SizeWhat, shortName(a),
				lim.Name, topology.FormatSize(roundUpMiB(b.Size)), words,
				assumptions(append(append([]string(nil), a.Notes...), lim.Note, "a binary string's maxLength read as bytes")...)),
		})
	}
}

// roundUpMiB rounds a size up to whole MiB, as limits are written.
func roundUpMiB(n int64) int64 {
	const mib = 1 << 20
	return (n + mib - 1) / mib * mib
}

// partOwner is the hop a part inherits its settings from: the server of a
// location (the hop with a Within edge to it that is not a container), or
// the hop itself.
func partOwner(g *topology.Graph, h *topology.Hop) *topology.Hop {
	for _, e := range g.In(h) {
		if e.Within && (e.From.Kind == topology.KindNginxServer || e.From.Kind == topology.KindApacheVHost) {
			return e.From
		}
	}
	return h
}
