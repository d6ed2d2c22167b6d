package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"

	"github.com/hoplint/hoplint/parsers"
)

// CodeDeploy blue/green deployments of ECS services: a deployment group
// names the service (ecs_service) and a pair of target groups
// (load_balancer_info.target_group_pair_info); each deployment starts a
// replacement task set in the target group that does not serve traffic
// and moves the production listeners to it (docs/facts/aws.md,
// "CodeDeploy blue/green"). Topology links the second target group to the
// service's container from these.

// CodeDeployApp is an aws_codedeploy_app.
type CodeDeployApp struct {
	Object
	AppName         Value // name
	ComputePlatform Value // compute_platform: ECS, Lambda or Server (the default)
}

// CodeDeployTargetGroup is one target_group block of a
// target_group_pair_info: the target group's name, not its ARN.
type CodeDeployTargetGroup struct {
	Range parsers.Range
	Name  Value
}

// CodeDeployGroup is an aws_codedeploy_deployment_group.
type CodeDeployGroup struct {
	Object
	AppName Value // app_name
	// ECS is the ecs_service block; zero when absent (not an ECS group).
	ECS                      parsers.Range
	ClusterName, ServiceName Value
	// Pair is the target_group_pair_info block; zero when absent.
	Pair         parsers.Range
	TargetGroups []CodeDeployTargetGroup
	// ProdListeners is prod_traffic_route's listener_arns.
	ProdListeners Value
}

var (
	codeDeployAppSchema   = &hcl.BodySchema{Attributes: attrs("name", "compute_platform")}
	codeDeployGroupSchema = &hcl.BodySchema{
		Attributes: attrs("app_name"),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "ecs_service"}, {Type: "load_balancer_info"}},
	}
	codeDeployECSSchema    = &hcl.BodySchema{Attributes: attrs("cluster_name", "service_name")}
	codeDeployLBInfoSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "target_group_pair_info"}}}
	codeDeployPairSchema   = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "target_group"}, {Type: "prod_traffic_route"}}}
	codeDeployTGSchema     = &hcl.BodySchema{Attributes: attrs("name")}
	codeDeployRouteSchema  = &hcl.BodySchema{Attributes: attrs("listener_arns")}
)

// extractCodeDeploy reads the CodeDeploy applications and deployment
// groups of one resource, every instance.
func (m *modInst) extractCodeDeploy(r *resourceDecl) {
	if r.typ != "aws_codedeploy_app" && r.typ != "aws_codedeploy_deployment_group" {
		return
	}
	insts := m.instances(r.count, r.forEach)
	for _, in := range insts {
		obj := m.object(r, in, len(insts))
		e := &extractor{m: m, vars: in.vars, budget: maxBlocks}
		if r.typ == "aws_codedeploy_app" {
			c, _, _ := r.body.PartialContent(codeDeployAppSchema)
			if c == nil {
				continue
			}
			m.l.res.CodeDeployApps = append(m.l.res.CodeDeployApps, &CodeDeployApp{Object: obj,
				AppName: e.value(c.Attributes["name"]), ComputePlatform: e.value(c.Attributes["compute_platform"])})
			continue
		}
		body := dynblock.Expand(r.body, m.contextWith(in.vars))
		c, _, _ := body.PartialContent(codeDeployGroupSchema)
		if c == nil {
			continue
		}
		g := &CodeDeployGroup{Object: obj, AppName: e.value(c.Attributes["app_name"])}
		for _, b := range e.take(c.Blocks) {
			switch b.Type {
			case "ecs_service":
				if ec, _, _ := b.Body.PartialContent(codeDeployECSSchema); ec != nil {
					g.ECS = m.rng(b.DefRange)
					g.ClusterName, g.ServiceName = e.value(ec.Attributes["cluster_name"]), e.value(ec.Attributes["service_name"])
				}
			case "load_balancer_info":
				lc, _, _ := b.Body.PartialContent(codeDeployLBInfoSchema)
				if lc == nil {
					continue
				}
				for _, pb := range e.take(lc.Blocks) {
					e.pair(g, pb)
				}
			}
		}
		m.l.res.CodeDeployGroups = append(m.l.res.CodeDeployGroups, g)
	}
}

// pair reads a target_group_pair_info block into g.
func (e *extractor) pair(g *CodeDeployGroup, pb *hcl.Block) {
	pc, _, _ := pb.Body.PartialContent(codeDeployPairSchema)
	if pc == nil {
		return
	}
	g.Pair = e.m.rng(pb.DefRange)
	for _, b := range e.take(pc.Blocks) {
		switch b.Type {
		case "target_group":
			if tc, _, _ := b.Body.PartialContent(codeDeployTGSchema); tc != nil {
				g.TargetGroups = append(g.TargetGroups, CodeDeployTargetGroup{Range: e.m.rng(b.DefRange), Name: e.value(tc.Attributes["name"])})
			}
		case "prod_traffic_route":
			if rc, _, _ := b.Body.PartialContent(codeDeployRouteSchema); rc != nil {
				g.ProdListeners = e.value(rc.Attributes["listener_arns"])
			}
		}
	}
}
