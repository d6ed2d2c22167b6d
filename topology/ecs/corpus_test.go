package ecs_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
	_ "github.com/hoplint/hoplint/topology/sources"
)

// terraform-aws-modules/ecs read from source, as its examples call it
// (source = "../../modules/service"): each example's service must register
// its container in its own target group, by the load_balancer block, and
// no target group may reach an ECS container by port (the fargate
// example's blue/green alternate on port 80 once took the ec2-autoscaling
// example's Apache container, which listens on 80). Checked by hand
// against the files; the containers' servers are not known (ecsdemo-
// frontend and the ECS sample image are built elsewhere), so no path rule
// fires, and the four module calls to modules/cluster, which the corpus
// copy does not hold, are the only findings.
var ecsCorpusLinks = `
examples/complete: ALB module.alb.aws_lb.this via target group module.alb.aws_lb_target_group.this["ex-ecs"] => container ecsdemo-frontend of ECS task definition module.ecs.module.service["ecsdemo-frontend"].aws_ecs_task_definition.this (reference)
examples/ec2-autoscaling: ALB module.alb.aws_lb.this via target group module.alb.aws_lb_target_group.this["ex-ecs"] => container ecs-sample of ECS task definition module.ecs_service.aws_ecs_task_definition.this (reference)
examples/fargate: ALB module.alb.aws_lb.this via target group module.alb.aws_lb_target_group.this["ex-ecs"] => container ecsdemo-frontend of ECS task definition module.ecs_service.aws_ecs_task_definition.this (reference)
`

var ecsCorpusFindings = `
examples/complete/main.tf:278 include-not-followed
examples/ec2-autoscaling/main.tf:35 include-not-followed
examples/fargate/main.tf:35 include-not-followed
main.tf:6 include-not-followed
`

func TestTerraformAWSModulesECSCorpus(t *testing.T) {
	root := filepath.Join(linttest.CorpusDir(t), "terraform-aws-modules__terraform-aws-ecs")
	g, err := topology.Load([]string{"."}, nil, root)
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, e := range g.Edges {
		c, ok := e.To.Config.(*topology.ECSContainer)
		if !ok {
			continue
		}
		from := "?"
		if c.Task != nil {
			from = c.Task.Root
		}
		links = append(links, fmt.Sprintf("%s: %s => %s (%s)", from, e.From.Name, e.To.Name, e.Confidence))
	}
	var findings []string
	for _, f := range rules.Run(g, nil, rules.Options{}) {
		findings = append(findings, fmt.Sprintf("%s:%d %s", f.Range.File, f.Range.Start.Line, f.Rule))
	}
	same(t, "links to ECS containers", links, ecsCorpusLinks)
	same(t, "findings", findings, ecsCorpusFindings)
}

func same(t *testing.T, what string, got []string, want string) {
	t.Helper()
	var w []string
	for _, l := range strings.Split(want, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			w = append(w, l)
		}
	}
	sort.Strings(got)
	sort.Strings(w)
	if strings.Join(got, "\n") != strings.Join(w, "\n") {
		t.Errorf("%s changed; check each by hand, then update the list.\ngot:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(w, "\n"))
	}
}

// aws-samples/amazon-ecs-fullstack-app-terraform deploys each of its two
// ECS services blue/green with CodeDeploy (Infrastructure/Modules/
// CodeDeploy): the deployment group's target_group_pair_info names the
// blue target group, which the service's load_balancer block names too,
// and the green one, which only CodeDeploy puts in front of the
// container. Checked by hand against the files: each green target group
// reaches the same container and port as its blue one (server 3001,
// client 80), each from its own ALB; the module calls for blue and green
// take names built around var.environment_name, which has no default, and
// must still stay apart. The app servers are built elsewhere (Code/), so
// no path rule fires and there is no finding.
var fullstackLinks = `
ALB module.alb_client.aws_alb.alb via target group module.target_group_client_blue.aws_alb_target_group.target_group => container Container-client of ECS task definition module.ecs_taks_definition_client.aws_ecs_task_definition.ecs_task_definition (reference)
ALB module.alb_client.aws_alb.alb via target group module.target_group_client_green.aws_alb_target_group.target_group => container Container-client of ECS task definition module.ecs_taks_definition_client.aws_ecs_task_definition.ecs_task_definition (reference)
ALB module.alb_server.aws_alb.alb via target group module.target_group_server_blue.aws_alb_target_group.target_group => container Container-server of ECS task definition module.ecs_taks_definition_server.aws_ecs_task_definition.ecs_task_definition (reference)
ALB module.alb_server.aws_alb.alb via target group module.target_group_server_green.aws_alb_target_group.target_group => container Container-server of ECS task definition module.ecs_taks_definition_server.aws_ecs_task_definition.ecs_task_definition (reference)
`

func TestAmazonECSFullstackCorpus(t *testing.T) {
	root := filepath.Join(linttest.CorpusDir(t), "aws-samples__amazon-ecs-fullstack-app-terraform")
	g, err := topology.Load([]string{"."}, nil, root)
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, e := range g.Edges {
		if _, ok := e.To.Config.(*topology.ECSContainer); ok {
			links = append(links, fmt.Sprintf("%s => %s (%s)", e.From.Name, e.To.Name, e.Confidence))
		}
	}
	same(t, "links to ECS containers", links, fullstackLinks)
	var findings []string
	for _, f := range rules.Run(g, nil, rules.Options{}) {
		findings = append(findings, fmt.Sprintf("%s:%d %s", f.Range.File, f.Range.Start.Line, f.Rule))
	}
	same(t, "findings", findings, "")
}
