package topology

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/terraform"
)

// CodeDeploy blue/green deployments of ECS services (docs/facts/aws.md,
// "CodeDeploy blue/green"). A service with deployment_controller
// CODE_DEPLOY names one target group in its load_balancer block; the
// aws_codedeploy_deployment_group that deploys it names that one and a
// second one (target_group_pair_info). Each deployment starts a
// replacement task set registered in the target group that is not
// serving, and moves the production listeners (prod_traffic_route) to it;
// the next deployment moves them back. So both target groups forward to
// the service's container, on the same container port, and the
// production listeners forward to both. The links here say so: the
// listener's load balancer → the pair's target groups, and the target
// group the load_balancer block does not name → the container.
//
// Every part must resolve: the target group names (references to
// target groups, or literal names equal to one target group's name),
// the service (a reference, or a literal name equal to one service's
// name, in the same cluster when both say which), and the service must
// be deployed by CodeDeploy. Anything unknown draws nothing.

// BlueGreen is what the linted deployment groups tell about the ECS
// services they deploy.
type BlueGreen struct {
	groups []*blueGreenGroup
	bySvc  map[*terraform.ECSService][]*blueGreenGroup
}

// blueGreenGroup is one deployment group with what hoplint resolved.
type blueGreenGroup struct {
	dg *terraform.CodeDeployGroup
	// tgs are the pair's target groups that resolved, in block order;
	// empty when two names resolved to one target group (hoplint cannot
	// tell them apart).
	tgs []blueGreenTG
	svc *terraform.ECSService // nil when not resolved
}

type blueGreenTG struct {
	hop *Hop
	rng parsers.Range // the target_group block naming it
}

// TerraformBlueGreen resolves the deployment groups among g's Terraform
// configs against its Terraform ECS services and target group hops, for
// a linker that makes ECS containers of its own (topology/ecs).
func TerraformBlueGreen(g *Graph) *BlueGreen {
	var (
		groups   []*terraform.CodeDeployGroup
		apps     []*terraform.CodeDeployApp
		services []*terraform.ECSService
	)
	for _, c := range g.Configs[parsers.FormatTerraform] {
		switch o := c.(type) {
		case *terraform.CodeDeployGroup:
			groups = append(groups, o)
		case *terraform.CodeDeployApp:
			apps = append(apps, o)
		case *terraform.ECSService:
			services = append(services, o)
		}
	}
	if len(groups) == 0 {
		return &BlueGreen{}
	}
	var tgs []*Hop
	for _, h := range g.Hops {
		if _, ok := h.Config.(*terraform.TargetGroup); ok && h.Kind == KindTargetGroup {
			tgs = append(tgs, h)
		}
	}
	return newBlueGreen(groups, apps, services, tgs)
}

func tgObject(h *Hop) *terraform.Object { return &h.Config.(*terraform.TargetGroup).Object }

func newBlueGreen(groups []*terraform.CodeDeployGroup, apps []*terraform.CodeDeployApp, services []*terraform.ECSService, tgHops []*Hop) *BlueGreen {
	bg := &BlueGreen{bySvc: map[*terraform.ECSService][]*blueGreenGroup{}}
	if len(groups) == 0 {
		return bg
	}
	appRefs := newTFRefIndex(apps, func(a *terraform.CodeDeployApp) *terraform.Object { return &a.Object })
	svcRefs := newTFRefIndex(services, func(s *terraform.ECSService) *terraform.Object { return &s.Object })
	tgRefs := newTFRefIndex(tgHops, tgObject)
	for _, dg := range groups {
		if dg.ECS.IsZero() || dg.Pair.IsZero() || !ecsApp(dg, apps, appRefs) {
			continue
		}
		g := &blueGreenGroup{dg: dg, tgs: pairTargetGroups(dg, tgHops, tgRefs)}
		if len(g.tgs) == 0 {
			continue
		}
		if svc := deployedService(dg, services, svcRefs); svc != nil {
			g.svc = svc
			bg.bySvc[svc] = append(bg.bySvc[svc], g)
		}
		bg.groups = append(bg.groups, g)
	}
	return bg
}

// ecsApp reports whether the deployment group's application may be an
// ECS one: false only when app_name resolves to an aws_codedeploy_app
// whose compute_platform is another (Server, the default, or Lambda).
func ecsApp(dg *terraform.CodeDeployGroup, apps []*terraform.CodeDeployApp, refs *tfRefIndex[*terraform.CodeDeployApp]) bool {
	found := refs.resolve(dg.AppName, &dg.Object)
	if name, ok := dg.AppName.Str(); ok && len(dg.AppName.Refs) == 0 {
		for _, a := range apps {
			if n, ok := a.AppName.Str(); ok && n == name && a.Root == dg.Root {
				found = append(found, a)
			}
		}
	}
	if len(found) != 1 {
		return true // unknown: the ecs_service block says ECS
	}
	p := found[0].ComputePlatform
	if p.Defaulted() {
		return false
	}
	s, ok := p.Str()
	return !ok || s == "ECS"
}

// pairTargetGroups resolves the target group names of the pair: a
// reference to a target group (aws_lb_target_group.green.name, a module
// output holding one) or a literal equal to the name of exactly one
// target group of the same root module. Names that do not resolve are
// left out; if two resolve to one target group, none is kept.
func pairTargetGroups(dg *terraform.CodeDeployGroup, tgHops []*Hop, refs *tfRefIndex[*Hop]) []blueGreenTG {
	var out []blueGreenTG
	seen := map[*Hop]bool{}
	for _, b := range dg.TargetGroups {
		var found []*Hop
		if len(b.Name.Refs) > 0 {
			found = refs.resolve(b.Name, &dg.Object)
		} else if name, ok := b.Name.Str(); ok && name != "" {
			for _, h := range tgHops {
				tg := h.Config.(*terraform.TargetGroup)
				if n, ok := tg.TGName.Str(); ok && n == name && tg.Root == dg.Root {
					found = append(found, h)
				}
			}
		}
		if len(found) != 1 {
			continue
		}
		if seen[found[0]] {
			// Two names, one target group: the names were not told apart
			// (a module evaluated once for two calls whose inputs differ
			// only in values known at apply time).
			return nil
		}
		seen[found[0]] = true
		out = append(out, blueGreenTG{hop: found[0], rng: b.Range})
	}
	return out
}

// deployedService returns the one ECS service the deployment group
// deploys, or nil: service_name refers to it, or names it literally
// (its name attribute, in the same root module); cluster_name must not
// say another cluster; and the service must let CodeDeploy deploy it.
func deployedService(dg *terraform.CodeDeployGroup, services []*terraform.ECSService, refs *tfRefIndex[*terraform.ECSService]) *terraform.ECSService {
	var found []*terraform.ECSService
	if len(dg.ServiceName.Refs) > 0 {
		found = refs.resolve(dg.ServiceName, &dg.Object)
	} else if name, ok := dg.ServiceName.Str(); ok && name != "" {
		for _, s := range services {
			if n, ok := s.SvcName.Str(); ok && n == name && s.Root == dg.Root {
				found = append(found, s)
			}
		}
	}
	var kept []*terraform.ECSService
	for _, s := range found {
		if !otherCluster(dg.ClusterName, s.Cluster) {
			kept = append(kept, s)
		}
	}
	if len(kept) != 1 {
		return nil
	}
	s := kept[0]
	// deployment_controller: ECS by default, and a service ECS deploys
	// itself never runs a CodeDeploy deployment.
	if s.DeploymentController.Defaulted() {
		return nil
	}
	if t, ok := s.DeploymentController.Str(); ok && t != "CODE_DEPLOY" {
		return nil
	}
	return s
}

// otherCluster reports a deployment group's cluster_name and a service's
// cluster that are known to name different clusters: references to two
// different aws_ecs_cluster resources, or two different literal names
// (the service's may be an ARN ending in cluster/NAME).
func otherCluster(dgCluster, svcCluster terraform.Value) bool {
	clusters := func(v terraform.Value) map[terraform.Ref]bool {
		out := map[terraform.Ref]bool{}
		for _, r := range v.Refs {
			if r.Type == "aws_ecs_cluster" {
				out[r] = true
			}
		}
		return out
	}
	a, b := clusters(dgCluster), clusters(svcCluster)
	if len(a) > 0 && len(b) > 0 {
		for r := range a {
			for q := range b {
				if r.Module == q.Module && r.Name == q.Name && (r.AnyKey || q.AnyKey || r.Key == q.Key) {
					return false
				}
			}
		}
		return true
	}
	x, okA := dgCluster.Str()
	y, okB := svcCluster.Str()
	if !okA || !okB || len(dgCluster.Refs) > 0 || len(svcCluster.Refs) > 0 {
		return false
	}
	if i := strings.LastIndex(y, ":cluster/"); i >= 0 && strings.HasPrefix(y, "arn:") {
		y = y[i+len(":cluster/"):]
	}
	return x != y
}

// groupWords names a deployment group. Its place is the link's range
// (the pair's target_group block, the prod_traffic_route), which a
// finding lists as a related location: positions never go into message
// text (DESIGN.md §2), where a finding that links through a task
// definition file would repeat this.
func groupWords(dg *terraform.CodeDeployGroup) string {
	return "CodeDeploy blue/green deployment group " + objName(&dg.Object)
}

// LinkECS links, for ECS service svc, the target groups of its
// deployment groups' pairs that its load_balancer block does not name to
// the container that block names (containers by name, of the task
// definition called task in messages). tgOf resolves a load_balancer
// block's target_group_arn as the caller resolved it for that block's own
// link.
func (bg *BlueGreen) LinkECS(g *Graph, svc *terraform.ECSService, containers map[string]*Hop, task string, conf Confidence, tgOf func(terraform.ECSLoadBalancer) []*Hop) {
	for _, grp := range bg.bySvc[svc] {
		in := map[*Hop]bool{}
		for _, t := range grp.tgs {
			in[t.hop] = true
		}
		// The load_balancer block of the pair: the one whose target group
		// is one of the pair's, else the only block when its target
		// group is unknown.
		var lb *terraform.ECSLoadBalancer
		var named *Hop
		n := 0
		for i := range svc.LoadBalancers {
			if tgs := tgOf(svc.LoadBalancers[i]); len(tgs) == 1 && in[tgs[0]] {
				lb, named = &svc.LoadBalancers[i], tgs[0]
				n++
			}
		}
		if n > 1 {
			continue
		}
		if n == 0 {
			if len(svc.LoadBalancers) != 1 || len(tgOf(svc.LoadBalancers[0])) != 0 {
				continue // no block of this pair, or one naming a target group outside it
			}
			lb = &svc.LoadBalancers[0]
		}
		name, ok := lb.ContainerName.Str()
		if !ok || containers[name] == nil {
			continue
		}
		port := ""
		if p, ok := lb.ContainerPort.Int(); ok {
			port = fmt.Sprintf(" port %d", p)
		}
		other, pair := "the other target group of the pair", "the two target groups of its pair"
		if named != nil {
			other = objName(tgObject(named))
		}
		for _, t := range grp.tgs {
			if t.hop == named {
				continue
			}
			this := objName(tgObject(t.hop))
			if named != nil {
				pair = other + " and " + this
			}
			g.Link(&Edge{From: t.hop, To: containers[name], Confidence: conf, Range: t.rng,
				Why: fmt.Sprintf("%s moves ECS service %s between %s on each deployment: its replacement tasks register container %s%s of %s in %s, as its load_balancer block does in %s (assuming the AppSpec names the same container and port)",
					groupWords(grp.dg), objName(&svc.Object), pair, name, port, task, this, other)})
		}
	}
}

// linkBlueGreenListeners links the load balancers of each deployment
// group's production listeners to the pair's target groups: CodeDeploy
// points those listeners at whichever target group serves, so each
// forwards there in turn. Run before poolsOfTargetGroups, which gives
// each target group the idle timeout of the ALBs in front of it.
func (b *tfBuilder) linkBlueGreenListeners(bg *BlueGreen) {
	byHop := make(map[*Hop]*tfTG, len(b.tgs))
	for _, t := range b.tgs {
		byHop[t.hop] = t
	}
	for _, grp := range bg.groups {
		dg := grp.dg
		for _, l := range b.listeners.resolve(dg.ProdListeners, &dg.Object) {
			for _, lb := range b.lbOf(l) {
				for _, tg := range grp.tgs {
					t := byHop[tg.hop]
					if t == nil {
						continue
					}
					if lb.hop.Proxy.IsZero() {
						lb.hop.Proxy = dg.ProdListeners.Range
					}
					e := &Edge{From: lb.hop, To: t.hop, Confidence: Reference, Range: dg.ProdListeners.Range,
						Why: fmt.Sprintf("%s points production %s at it when it serves (prod_traffic_route)", groupWords(dg), listenerWords(l))}
					before := len(b.g.Edges)
					b.g.Link(e)
					if len(b.g.Edges) > before {
						t.in = append(t.in, e)
					}
				}
			}
		}
	}
}
