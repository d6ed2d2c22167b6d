package topology

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers/kubernetes"
)

func init() { RegisterLinker("kubernetes-dns", linkClusterDNS) }

// linkClusterDNS links any hop that forwards to a Service's cluster DNS
// name (nginx proxy_pass http://web.shop.svc.cluster.local:8000, an
// upstream server, an Apache ProxyPass) to the containers behind that
// Service, by address. A ClusterIP Service forwards TCP connections as
// they are, so the keep-alive that matters is the container's.
func linkClusterDNS(g *Graph, env *Env) {
	byName := map[string][]*Hop{}
	for _, h := range g.Hops {
		if s, ok := h.Config.(*kubernetes.Service); ok {
			byName[s.NS()+"/"+s.Name] = append(byName[s.NS()+"/"+s.Name], h)
		}
	}
	if len(byName) == 0 {
		return
	}
	services := make(map[string]*NearIndex[*Hop], len(byName))
	for k, hs := range byName {
		services[k] = NewNearIndex(hs, func(h *Hop) string { return h.File })
	}
	hops := append([]*Hop(nil), g.Hops...)
	for _, h := range hops {
		if isKubernetesHop(h) {
			continue
		}
		for _, t := range h.Targets {
			name, ns, ok := clusterDNSName(t.Host)
			if !ok {
				continue
			}
			// The Service copy nearest to the proxy; of equally near copies
			// the first, and the link says so.
			near, _ := services[ns+"/"+name].Nearest(h.File)
			if len(near) == 1 || len(near) > 1 && !env.Config.Strict() {
				sh := near[0]
				svc := sh.Config.(*kubernetes.Service)
				tie := ""
				if len(near) > 1 {
					copies := make([]*kubernetes.Service, len(near))
					for i, n := range near {
						copies[i] = n.Config.(*kubernetes.Service)
					}
					tie = "; " + tieWords(copies)
				}
				port, ok := servicePortByNumber(svc, t.Port)
				if !ok {
					continue
				}
				for _, e := range g.Out(sh) {
					pc := podContainerOf(e.To)
					if pc == nil || !declaresPort(pc, port) {
						continue
					}
					addr := t.Host
					if t.Port != 0 {
						addr += ":" + strconv.Itoa(t.Port)
					}
					conf, why := Address, tie
					if e.tie != "" {
						why += "; " + e.tie
					}
					if why != "" {
						conf = Assumed
					}
					g.Link(&Edge{
						From: h, To: e.To, Confidence: conf, Range: t.Range,
						Why: fmt.Sprintf("%s forwards to %s, the cluster DNS name of Service %s, whose selector matches %s%s",
							h.Name, addr, refName(&svc.Object), pc.Workload.Ref(), why),
					})
				}
			}
		}
	}
}

func isKubernetesHop(h *Hop) bool {
	switch h.Config.(type) {
	case *kubernetes.Service, *kubernetes.Ingress, *kubernetes.PodContainer:
		return true
	}
	return false
}

// clusterDNSName reads NAME.NAMESPACE.svc[.CLUSTER-DOMAIN].
func clusterDNSName(host string) (name, ns string, ok bool) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	parts := strings.Split(host, ".")
	if len(parts) < 3 || parts[2] != "svc" || parts[0] == "" || parts[1] == "" {
		return "", "", false
	}
	return parts[0], parts[1], true
}

func servicePortByNumber(s *kubernetes.Service, port int) (kubernetes.ServicePort, bool) {
	for _, p := range s.Ports {
		if p.Port == port {
			return p, true
		}
	}
	if port == 0 && len(s.Ports) == 1 {
		return s.Ports[0], true
	}
	return kubernetes.ServicePort{}, false
}

// declaresPort keeps the container that serves the Service port: the one
// declaring its targetPort, or — when no container of the pod declares it —
// the containers the Service edge already went to.
func declaresPort(pc *kubernetes.PodContainer, p kubernetes.ServicePort) bool {
	target := p.TargetPort
	if target == "" {
		target = strconv.Itoa(p.Port)
	}
	anyDeclares := false
	for _, ct := range pc.Workload.Pod.Containers {
		for _, cp := range ct.Ports {
			if strconv.Itoa(cp.Port) == target || cp.Name == target {
				anyDeclares = true
				if ct == pc.Container {
					return true
				}
			}
		}
	}
	return !anyDeclares
}
