package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

var migrationParity = &Rule{
	ID:       "migration-parity",
	Title:    "a Gateway API route replaces an ingress-nginx Ingress with different timeouts, body limit or pool",
	Severity: Info,
	Doc: `ingress-nginx is retired, and its users move to the Gateway API: an HTTPRoute
served by Envoy Gateway, NGINX Gateway Fabric, Istio, Traefik or another
implementation. Halfway through, a repository holds both: the old Ingress
and the new route for the same host and path. The settings that decide
whether requests survive do not move with them; each implementation has
its own defaults, and the route inherits none of the Ingress's annotations:

- ingress-nginx waits 60 s for a response (` + "`proxy-read-timeout`" + `); Envoy Gateway
  gives up after 15 s unless ` + "`timeouts.request`" + ` says otherwise, Istio and
  Traefik never do.
- ingress-nginx refuses bodies above 1 MiB (` + "`proxy-body-size`" + `); Envoy Gateway
  (without a BackendTrafficPolicy ` + "`requestBuffer.limit`" + `) and Traefik (without a
  Buffering middleware) set no body limit at all, NGINX Gateway Fabric keeps
  nginx's 1 MiB unless a ClientSettingsPolicy says otherwise.
- ingress-nginx keeps idle upstream connections 60 s; Envoy Gateway and
  Istio keep them an hour, far beyond every app server's keep-alive.

hoplint matches an ingress-nginx Ingress and a route that serve the same
host and path, and reports on the route each of these settings whose value
changes, with where both values come from. Nothing here is wrong by itself:
set the route's value (on the rule, or in the implementation's policy)
where the old behaviour was intended, or accept the new one knowingly.`,
	Run: runMigrationParity,
}

func init() { Register(migrationParity) }

func runMigrationParity(p *Pass) {
	type served struct {
		hop *topology.Hop
		at  parsers.Range
	}
	byKey := map[string][]served{}
	for _, h := range p.Graph.Hops {
		in, ok := h.Config.(*kubernetes.Ingress)
		if !ok || h.Kind != topology.KindIngressNginx {
			continue
		}
		for _, b := range in.Backends {
			if !b.Default {
				k := routeKey(b.Host, b.Path)
				byKey[k] = append(byKey[k], served{h, b.Range})
			}
		}
	}
	if len(byKey) == 0 {
		return
	}
	// The Ingress a route replaces is the nearest by directory: a tree
	// with one environment per directory pairs each route with its own.
	near := make(map[string]*topology.NearIndex[served], len(byKey))
	for k, ss := range byKey {
		near[k] = topology.NewNearIndex(ss, func(s served) string { return s.hop.File })
	}
	for _, h := range p.Graph.Hops {
		gr, ok := h.Config.(*topology.GatewayRoute)
		if !ok {
			continue
		}
		hosts := gr.Hosts
		if len(hosts) == 0 {
			hosts = []string{""}
		}
		done := map[*topology.Hop]bool{}
		for _, host := range hosts {
			for _, path := range gr.Paths {
				cands, _ := near[routeKey(host, path)].Nearest(h.File)
				for _, s := range cands {
					if done[s.hop] {
						continue
					}
					done[s.hop] = true
					reportParity(p, s.hop, s.at, h, gr, host+path)
				}
			}
		}
	}
}

// routeKey is a host and path as both APIs write them: "" and "/" are the
// root, a trailing slash does not matter.
func routeKey(host, path string) string {
	path = strings.TrimSuffix(path, "/")
	return strings.ToLower(host) + "\x00" + path
}

func reportParity(p *Pass, ing *topology.Hop, at parsers.Range, rt *topology.Hop, gr *topology.GatewayRoute, what string) {
	impl := gr.Impl
	if impl == "" {
		impl = "the route's implementation"
	}
	var changes []string
	var related []parsers.Related
	related = append(related, relatedAt(at, "the Ingress serves the same host and path here"))
	dur := topology.FormatDuration

	if a, b := ing.UpstreamTimeout, rt.UpstreamTimeout; a.Known() && b.Known() && a.Value != b.Value {
		c := fmt.Sprintf("the response timeout goes from %s to %s", valueWords(a, dur), valueWords(b, dur))
		if b.Value < a.Value {
			c += fmt.Sprintf(", so responses slower than %s that the Ingress waited for now get a 504", dur(b.Value))
		}
		changes = append(changes, c)
		related = append(related, settingRelated(a, "the Ingress waits "+dur(a.Value)+" here")...)
		related = append(related, settingRelated(b, "the route waits "+dur(b.Value)+" here")...)
	}

	switch a, b := ing.BodyLimit, rt.BodyLimit; {
	case !a.Known():
	case b.Known() && a.Value != b.Value:
		changes = append(changes, fmt.Sprintf("the request-body limit goes from %s to %s", valueWords(a, topology.FormatSize), valueWords(b, topology.FormatSize)))
		related = append(related, settingRelated(a, "the Ingress accepts "+topology.FormatSize(a.Value)+" here")...)
		related = append(related, settingRelated(b, "the route accepts "+topology.FormatSize(b.Value)+" here")...)
	case !b.Known() && (gr.Impl == topology.ImplEnvoyGateway || gr.Impl == topology.ImplTraefik) && a.Value != topology.Unlimited:
		changes = append(changes, fmt.Sprintf("the request-body limit of %s has no counterpart: %s sets none unless configured, so bodies of any size now reach the backend", valueWords(a, topology.FormatSize), gr.Impl))
		related = append(related, settingRelated(a, "the Ingress accepts "+topology.FormatSize(a.Value)+" here")...)
	}

	if a, b := ing.PoolIdle, rt.PoolIdle; a.Known() && b.Known() && a.Value != b.Value {
		c := fmt.Sprintf("the upstream pool keeps idle connections %s instead of %s", valueWords(b, dur), valueWords(a, dur))
		if b.Value > a.Value {
			c += fmt.Sprintf(", so the app's keep-alive must now exceed %s", dur(b.Value))
		}
		changes = append(changes, c)
		related = append(related, settingRelated(b, "the route's pool idles "+dur(b.Value)+" here")...)
	}
	if len(changes) == 0 {
		return
	}
	p.Report(Finding{
		Range:   rt.Range,
		Related: related,
		Message: fmt.Sprintf("%s serves %s like %s, but %s. Set the route's own values (on the rule or in %s's policy) where the Ingress's behaviour was intended.%s",
			hopFile(rt), what, hopFile(ing), strings.Join(changes, "; "), impl, assumptions(append(append([]string(nil), ing.Notes...), rt.Notes...)...)),
	})
}
