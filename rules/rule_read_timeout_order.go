package rules

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

var readTimeoutOrder = &Rule{
	ID:       "read-timeout-order",
	Title:    "an outer hop gives up on a response before the hop behind it does",
	Severity: Warning,
	Doc: `Every hop on a request path waits a limited time for the next hop's
response: CloudFront's ` + "`origin_read_timeout`" + `, an ALB's ` + "`idle_timeout`" + ` (the longest gap
in a target's response before the ALB answers 504), nginx's
` + "`proxy_read_timeout`" + `, Apache's ` + "`ProxyTimeout`" + `. These limits must shrink from the
outside in: the innermost hop gives up first and answers with its own
error, which the outer hops pass on.

When an outer hop gives up first, a slow response that the inner hop was
still prepared to wait for is thrown away: the client gets the outer hop's
time-out error (504 Gateway Timeout from nginx, ingress-nginx, an ALB or
CloudFront; 502 Proxy Error from Apache httpd), the inner hop keeps working
(and logs a 499 or a reset when it finally answers), and the error in the
logs points at the wrong hop.

An app server that kills a request running too long counts its limit as
its wait: php-fpm's ` + "`request_terminate_timeout`" + `, uWSGI's ` + "`harakiri`" + `. A proxy
that stops waiting before that limit answers 504 while the request is
still running.

In Apache httpd a worker's ` + "`ProxyPass … timeout=N`" + ` replaces ` + "`ProxyTimeout`" + ` and
` + "`Timeout`" + ` for that worker: it is the virtual host's one wait for that URL, not
a second one behind it.

hoplint compares, on every link it found, how long the outer hop waits for
the inner one with how long the inner one waits for its own backend. It
reports at the outer hop's timeout, and only when the inner hop's wait is written in a file: a default
says nothing about how long the backends are expected to take, while an
explicit long timeout says someone expects responses that slow. Raise the
outer hop's timeout to at least the inner one's, or lower the inner one's.
CloudFront allows ` + "`origin_read_timeout`" + ` up to 60 seconds, or up to 180 with a
service-quota increase.

The values in the advice come from one plan for the whole path (` + "`hoplint plan`" + `),
which keeps the innermost written wait (the time the backend needs) and
raises the hops in front around it, together with any keep-alive that must
stay longer than a raised idle timeout. When a product's limit leaves no
such values (a backend that needs 240 s behind CloudFront), the finding says
which.`,
	Run: runReadTimeoutOrder,
}

func init() { Register(readTimeoutOrder) }

func runReadTimeoutOrder(p *Pass) {
	for _, e := range p.Graph.Edges {
		if e.Within {
			continue // a location inherits from its server; nothing waits twice
		}
		// The inner wait may be set on a part of the next hop: the
		// proxy_read_timeout of each location of an nginx server.
		// A part that carries the very same setting (a target group
		// carries its load balancer's idle_timeout) is one timer, checked once.
		type key struct {
			r    parsers.Range
			name string
		}
		seen := map[key]bool{}
		for _, b := range p.Graph.Parts(e.To) {
			k := key{b.UpstreamTimeout.Range, b.UpstreamTimeout.Name}
			if b.UpstreamTimeout.Known() && seen[k] {
				continue
			}
			seen[k] = true
			checkReadTimeout(p, e, e.From, b)
		}
	}
}

func checkReadTimeout(p *Pass, e *topology.Edge, a, b *topology.Hop) {
	// The inner hop waits its timeout only if the hops behind it can take
	// that long: an nginx that gives up after 30s caps the ALB in front of
	// it at 30s, whatever the ALB's idle_timeout says. The hop whose timeout
	// really bounds the wait is the one to compare with.
	part := b
	_, bind, ok := effectiveWait(p.Graph, b)
	if !ok {
		return
	}
	if bind != nil {
		b = bind
	}
	outer, inner := a.UpstreamTimeout, b.UpstreamTimeout
	if !outer.Known() || inner.Prov != topology.Set || outer.Value == topology.Forever {
		return
	}
	// A load balancer's idle timeout is also its response-gap limit, and
	// its timer races the proxy's: equal is already too short (DESIGN.md
	// §4). Other hops give up strictly before.
	racing := a.Kind == topology.KindALB || a.Kind == topology.KindCLB || a.Kind == topology.KindIngressALB || a.Kind == topology.KindTargetGroup
	if outer.Value > inner.Value || outer.Value == inner.Value && !racing {
		return
	}
	fix := fmt.Sprintf("Raise %s above %s or lower %s below %s.",
		outer.Name, topology.FormatDuration(inner.Value), inner.Name, topology.FormatDuration(outer.Value))
	// The values come from one plan for the whole path, so this advice
	// never contradicts another finding's.
	pp := PlanFor(p.Graph)
	fix = pp.advice(pp.cons[consKey{"read-timeout-order", e, part}], fix)
	// An app server's own limit is how long it lets a request run before
	// it kills it (php-fpm's request_terminate_timeout), not a wait.
	waits, still := "waits up to %s for its own backend", "still waiting for it"
	if b.Kind == topology.KindAppServer {
		waits, still = "lets a request run up to %s before it kills it", "still working on it"
	}
	msg := fmt.Sprintf("%s waits %s for %s, but %s "+waits+": a response slower than %s gets %s from %s while %s is "+still+". %s%s%s",
		hopFile(a), valueWords(outer, topology.FormatDuration), e.To.Name, hopFile(b), valueWords(inner, topology.FormatDuration),
		topology.FormatDuration(outer.Value), timeoutAnswer(a), shortName(a), shortName(b),
		fix, linkWords(e), assumptions(append(append(append([]string(nil), a.Notes...), b.Notes...), outer.Note, inner.Note)...))
	// The finding sits on the outer hop's timeout (or, for a default, on
	// the object relying on it): that hop gives up too early.
	related := append([]parsers.Related(nil), outer.Via...)
	related = append(related, settingRelated(inner, fmt.Sprintf("%s %s is %s here", b.Name, inner.Name, topology.FormatDuration(inner.Value)))...)
	if !e.Range.IsZero() {
		related = append(related, relatedAt(e.Range, "the link: "+e.Why))
	}
	p.Report(Finding{Range: outer.Range, Related: related, Message: msg})
}

// timeoutAnswer is the status a client gets when hop h gives up waiting
// for a response (docs/facts/nginx.md, docs/facts/gateway.md): nginx, the
// AWS load balancers and Envoy (Envoy Gateway, Istio) answer 504; Apache
// httpd's mod_proxy_http answers 502 ("Error reading from remote server"),
// as the apache2 oracle shows. Other products get no status named.
func timeoutAnswer(h *topology.Hop) string {
	switch h.Kind {
	case topology.KindApacheVHost, topology.KindApacheBackend:
		return "a 502 Proxy Error"
	case topology.KindNginxServer, topology.KindNginxLocation, topology.KindNginxUpstream, topology.KindIngressNginx, topology.KindIngressNginxInc,
		topology.KindALB, topology.KindCLB, topology.KindTargetGroup, topology.KindIngressALB, topology.KindCloudFrontOrigin,
		topology.KindNginxProxy, topology.KindTraefikRoute:
		return "a 504"
	case topology.KindGatewayRoute:
		if r, ok := h.Config.(*topology.GatewayRoute); ok {
			switch r.Impl {
			case topology.ImplEnvoyGateway, topology.ImplIstio, topology.ImplNGF:
				return "a 504"
			}
		}
	}
	return "an error"
}
