package topology

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/terraform"
)

func init() {
	// Before linking by port: a node port names a Service, not a server
	// listening on it, and a bound target group is already resolved.
	RegisterLinker("l-nodeport", linkNodePorts)
	RegisterLinker("l-tgb", linkTargetGroupBindings)
}

// linkNodePorts links a Terraform target group with instance targets, or
// a Classic ELB's instance_port, to the pods of the one linted Service
// whose nodePort is that port: every node forwards its node port to the
// Service's pods (kube-proxy), so the load balancer's targets are those
// pods. Two Services with the same nodePort (one per environment) give
// no link: hoplint does not guess.
func linkNodePorts(g *Graph, _ *Env) {
	byNodePort := map[int][]nodePortOf{}
	for _, h := range g.Hops {
		s, ok := h.Config.(*kubernetes.Service)
		if !ok || h.Kind != KindService || (s.Type.Value != "NodePort" && s.Type.Value != "LoadBalancer") {
			continue
		}
		for _, p := range s.Ports {
			if p.NodePort > 0 {
				byNodePort[p.NodePort] = append(byNodePort[p.NodePort], nodePortOf{h, s, p})
			}
		}
	}
	if len(byNodePort) == 0 {
		return
	}
	for _, h := range append([]*Hop(nil), g.Hops...) {
		if !portOnlyKinds[h.Kind] || !instanceTargets(h) || forwardsToServer(g, h) || hasDeclared(g, h) {
			continue
		}
		for _, t := range h.Targets {
			svcs := byNodePort[t.Port]
			if t.Port == 0 || len(svcs) != 1 {
				continue
			}
			np := svcs[0]
			for _, e := range g.Out(np.hop) {
				if !servesPort(e.To, np.port) {
					continue
				}
				g.Link(&Edge{From: h, To: e.To, Confidence: Address, Range: t.Range, Passthrough: t.Passthrough,
					Why: fmt.Sprintf("%s sends to instance port %d, the nodePort of Service %s (%s), which every node forwards to its pods; %s", h.Name, t.Port, refName(&np.svc.Object), np.svc.File.Path, e.Why)})
			}
		}
	}
}

type nodePortOf struct {
	hop  *Hop
	svc  *kubernetes.Service
	port kubernetes.ServicePort
}

// instanceTargets reports whether a load balancer registers EC2 instances
// (where node ports apply): a Classic ELB always, a target group unless
// its target_type says ip, lambda or alb.
func instanceTargets(h *Hop) bool {
	tg, ok := h.Config.(*terraform.TargetGroup)
	if !ok {
		return h.Kind == KindCLB
	}
	if tt, ok := tg.TargetType.Str(); ok {
		return tt == "instance"
	}
	return tg.TargetType.Defaulted() // the AWS default is instance
}

// servesPort reports whether a container hop behind a Service receives
// traffic for Service port p: it declares p's target port, or declares no
// port at all (ports are informational).
func servesPort(h *Hop, p kubernetes.ServicePort) bool {
	pc := podContainerOf(h)
	if pc == nil {
		return false
	}
	if len(pc.Container.Ports) == 0 {
		return true
	}
	want := p.TargetPort
	if want == "" {
		want = strconv.Itoa(p.Port)
	}
	for _, cp := range pc.Container.Ports {
		if strconv.Itoa(cp.Port) == want || cp.Name == want {
			return true
		}
	}
	return false
}

// linkTargetGroupBindings links a Terraform target group to the pods an
// AWS Load Balancer Controller TargetGroupBinding registers in it, when the
// binding's targetGroupARN is a literal ARN whose name part is the
// target group's name attribute in the linted Terraform files: the load
// balancer in front of that target group then sends to those pods.
func linkTargetGroupBindings(g *Graph, _ *Env) {
	byName := map[string][]*Hop{}
	for _, h := range g.Hops {
		if tg, ok := h.Config.(*terraform.TargetGroup); ok {
			if n, ok := tg.TGName.Str(); ok && n != "" {
				byName[n] = append(byName[n], h)
			}
		}
	}
	if len(byName) == 0 {
		return
	}
	for _, h := range append([]*Hop(nil), g.Hops...) {
		b, ok := h.Config.(*kubernetes.TargetGroupBinding)
		if !ok {
			continue
		}
		name := arnTargetGroupName(b.TargetGroupARN.Value)
		tgs := byName[name]
		if name == "" || len(tgs) != 1 {
			continue
		}
		tg := tgs[0]
		for _, e := range g.Out(h) {
			conf := e.Confidence
			if conf > Reference {
				conf = Reference
			}
			g.Link(&Edge{From: tg, To: e.To, Confidence: conf, Range: b.TargetGroupARN.Range,
				Why: fmt.Sprintf("TargetGroupBinding %s names target group %s (%s) by its ARN (targetGroupARN …:targetgroup/%s/…); %s", refName(&b.Object), name, tg.File, name, e.Why)})
		}
	}
}

// arnTargetGroupName returns NAME from
// arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID, or "".
func arnTargetGroupName(arn string) string {
	const marker = ":targetgroup/"
	i := strings.Index(arn, marker)
	if !strings.HasPrefix(arn, "arn:") || i < 0 {
		return ""
	}
	rest := arn[i+len(marker):]
	if j := strings.Index(rest, "/"); j > 0 {
		return rest[:j]
	}
	return ""
}
