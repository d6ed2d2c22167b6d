package rules

import (
	"github.com/hoplint/hoplint/parsers/terraform"
	"github.com/hoplint/hoplint/topology"
)

// closedAnswer is the status a client gets from hop h when the backend
// closes or resets the connection h sent its request on, before any
// response (a reused idle connection the backend had already closed, a
// pod that stopped accepting): nginx (and what is built on it), Apache
// httpd, the AWS load balancers and CloudFront answer 502; Envoy (Envoy
// Gateway, Istio) answers 503, its access log flagging UC or UF
// (docs/facts/proxies.md, aws.md). "" when hoplint does not know the product's
// answer, or the hop passes TCP through and the client sees the reset
// itself (a Service's load balancer, an NLB).
func closedAnswer(h *topology.Hop) string {
	if tg, ok := h.Config.(*terraform.TargetGroup); ok {
		// A target group of an NLB (protocol TCP, TLS, UDP) passes the
		// reset through; only HTTP and HTTPS ones belong to an ALB.
		if p, known := tg.Protocol.Str(); !known || (p != "HTTP" && p != "HTTPS") {
			return ""
		}
	}
	switch h.Kind {
	case topology.KindNginxServer, topology.KindNginxLocation, topology.KindNginxUpstream, topology.KindIngressNginx, topology.KindIngressNginxInc,
		topology.KindApacheVHost, topology.KindApacheBackend,
		topology.KindALB, topology.KindCLB, topology.KindTargetGroup, topology.KindIngressALB, topology.KindCloudFrontOrigin,
		topology.KindNginxProxy, topology.KindTraefikRoute:
		return "502"
	case topology.KindGatewayRoute:
		if r, ok := h.Config.(*topology.GatewayRoute); ok {
			switch r.Impl {
			case topology.ImplEnvoyGateway, topology.ImplIstio:
				return "503"
			case topology.ImplNGF, topology.ImplTraefik:
				return "502"
			}
		}
	}
	return ""
}
