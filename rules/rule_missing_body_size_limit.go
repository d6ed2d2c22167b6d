package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
	"github.com/hoplint/hoplint/topology"
)

var missingBodySizeLimit = &Rule{
	ID:       "missing-body-size-limit",
	Title:    "a proxying hop relies on the default request-body limit",
	Severity: Warning,
	Doc: `A proxy that sets no request-body limit of its own runs with the product's
default, which is rarely what the application behind it expects:

- nginx and ingress-nginx accept 1 MiB (` + "`client_max_body_size 1m`" + `,
  ` + "`proxy-body-size: 1m`" + `). A larger upload is answered with 413 and the
  connection is closed while the client may still be sending, which the
  client sees as a reset — the classic "upload fails above 1 MB" ticket.
- Apache httpd accepts 1 GiB since 2.4.54 and everything before.

Set the limit explicitly where the proxy forwards requests, to what the
application accepts: ` + "`client_max_body_size 20m;`" + ` in the location or server,
` + "`LimitRequestBody 20971520`" + ` in the virtual host, or the
` + "`nginx.ingress.kubernetes.io/proxy-body-size`" + ` annotation. The finding points at
the block that proxies and relies on the default.

When an OpenAPI spec covers the hop (its routes are linked to it by host
and path, or by a declared stack), only a hop that serves a route taking
a request body needs the limit: a location whose routes are all GET gets
no finding, and the finding cites the route that takes a body. A link
hoplint only assumed (a spec that names no host) never silences it.`,
	Run: runMissingBodySizeLimit,
}

func init() { Register(missingBodySizeLimit) }

func runMissingBodySizeLimit(p *Pass) {
	for _, h := range p.Graph.Hops {
		if !h.Proxies() || !h.BodyLimit.IsDefault() {
			continue
		}
		lim := h.BodyLimit
		related := []parsers.Related{relatedAt(h.Proxy, "requests are forwarded here")}
		covered := ""
		routes, sure := routesBehind(p.Graph, h)
		body := bodyRoute(routes)
		if len(routes) > 0 && body == nil && sure {
			// The spec says nothing behind it takes a body. A link drawn
			// only by assumption never silences a finding.
			continue
		}
		if body != nil {
			r := body.Config.(*openapi.Route)
			related = append(related, relatedAt(r.Body.Range, fmt.Sprintf("%s takes a request body (%s)", specFile(body), strings.Join(r.Body.MediaTypes, ", "))))
			covered = fmt.Sprintf(" %s behind it takes a request body.", specFile(body))
		}
		effect := "larger request bodies are refused" + resetWords(lim)
		if lim.Value == topology.Unlimited {
			// A default of "no limit" (Apache before 2.4.54) refuses nothing.
			effect = "request bodies of any size are passed on"
		}
		p.Report(Finding{
			Range:   lim.Range,
			Related: related,
			Message: fmt.Sprintf("%s forwards requests but sets no %s, so %s applies: %s.%s Set %s to the largest body the backend accepts.%s",
				h.Name, lim.Name, bodyDefaultWords(lim), effect, covered, lim.Name, assumptions(append(h.Notes, lim.Note)...)),
		})
	}
}

// bodyDefaultWords names a default body limit: "nginx's default of 1m"
// or "Apache httpd's default of 1g (2.4.54 and later)".
func bodyDefaultWords(s topology.Size) string {
	d := s.Default
	if d == nil {
		return "the default of " + topology.FormatSize(s.Value)
	}
	w := fmt.Sprintf("%s's default of %s", d.Product, topology.FormatSize(s.Value))
	if d.Version != "" && d.Version != "all versions" {
		w += " (" + d.Version + ")"
	}
	return w
}

func resetWords(s topology.Size) string {
	if s.Value != topology.Unlimited && s.Value <= 64<<20 {
		return " with 413, and clients still uploading see the connection reset"
	}
	return ""
}

// bodyRoute returns the first route (in file order) that takes a body, or nil.
func bodyRoute(routes []*topology.Hop) *topology.Hop {
	var best *topology.Hop
	for _, h := range routes {
		if r, ok := h.Config.(*openapi.Route); ok && r.Body != nil && (best == nil || h.Range.Less(best.Range)) {
			best = h
		}
	}
	return best
}
