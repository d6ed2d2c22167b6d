package terraform

import (
	"strings"
	"testing"
)

// heavyInput is a module input whose evaluation runs out of the root
// module's budget, a finding: the witness that a call was evaluated.
const heavyInput = `[for a in range(100) : [for b in range(100) : "${a}-${b}-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]]`

// heavyCall is module call name of source with input pad = heavyInput.
func heavyCall(name, source string) string {
	return "module \"" + name + "\" {\n  source = \"" + source + "\"\n  pad = " + heavyInput + "\n}\n"
}

// A module that declares nothing hoplint reads, and calls nothing that
// does, is evaluated only when something reads its outputs; a module that
// declares a load balancer, or calls one that does, is evaluated up front.
func TestIrrelevantModuleEvaluatedOnDemand(t *testing.T) {
	iam := `
variable "pad" {}
resource "aws_iam_role" "r" {
  name = "r"
}
output "n" {
  value = 7
}
`
	lb := `
variable "pad" {}
resource "aws_lb" "x" {
  idle_timeout = 30
}
`
	for _, c := range []struct {
		name  string
		files map[string]string
		notes int
		lbs   int
	}{
		{"iam, unread", map[string]string{
			"main.tf":  heavyCall("iam", "./iam"),
			"iam/a.tf": iam}, 0, 0},
		{"iam, read by a load balancer", map[string]string{
			"main.tf": heavyCall("iam", "./iam") + `
resource "aws_lb" "x" {
  idle_timeout = module.iam.n
}`,
			"iam/a.tf": iam}, 1, 1},
		{"iam, read by a local a load balancer reads", map[string]string{
			"main.tf": heavyCall("iam", "./iam") + `
locals {
  t = module.iam.n
}
resource "aws_lb" "x" {
  idle_timeout = local.t
}`,
			"iam/a.tf": iam}, 1, 1},
		{"load balancer module", map[string]string{
			"main.tf": heavyCall("lb", "./lb"),
			"lb/a.tf": lb}, 1, 1},
		{"module calling a load balancer module", map[string]string{
			"main.tf": heavyCall("w", "./w"),
			"w/a.tf": `variable "pad" {}
module "lb" {
  source = "../lb"
  pad    = 1
}`,
			"lb/a.tf": lb}, 1, 1},
		{"registry module hoplint reads", map[string]string{
			"main.tf": `module "alb" {
  source = "terraform-aws-modules/alb/aws"
  pad    = ` + heavyInput + `
}`}, 1, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := load(t, c.files)
			notes := 0
			for _, p := range r.Problems {
				if strings.Contains(p.Message, "more work than hoplint allows") {
					notes++
				}
			}
			for _, p := range r.Problems {
				if strings.HasPrefix(p.Message, "Terraform syntax") {
					t.Fatalf("the case does not parse: %v", p)
				}
			}
			if notes != c.notes {
				t.Errorf("%d budget findings, want %d (the call's inputs evaluated: %v)\n%v", notes, c.notes, c.notes > 0, r.Problems)
			}
			if c.lbs >= 0 && len(r.LoadBalancers) != c.lbs {
				t.Errorf("%d load balancers, want %d", len(r.LoadBalancers), c.lbs)
			}
		})
	}
}

// A module that creates nothing hoplint reads but calls a local module
// whose files are missing is still evaluated: that call has a note.
func TestIrrelevantModuleKeepsNotes(t *testing.T) {
	r := load(t, map[string]string{
		"main.tf":  `module "net" { source = "./net" }`,
		"net/a.tf": `module "sub" { source = "./missing" }`,
	})
	found := false
	for _, p := range r.Problems {
		if strings.Contains(p.Message, `source "./missing" has no Terraform files`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no note for the missing module called from net: %v", r.Problems)
	}
	// A cycle between two modules that create nothing hoplint reads has
	// its note too.
	r = load(t, map[string]string{
		"main.tf": `module "a" { source = "./a" }`,
		"a/a.tf":  `module "b" { source = "../b" }`,
		"b/b.tf":  `module "a" { source = "../a" }`,
	})
	found = false
	for _, p := range r.Problems {
		if strings.Contains(p.Message, "module call cycle") {
			found = true
		}
	}
	if !found {
		t.Errorf("no note for the module call cycle: %v", r.Problems)
	}
}

func TestRelevantType(t *testing.T) {
	for typ, want := range map[string]bool{
		"aws_lb": true, "aws_alb_listener": true, "aws_lb_target_group": true, "aws_elb": true,
		"aws_cloudfront_distribution": true, "aws_ecs_service": true, "aws_ecs_task_definition": true,
		"aws_codedeploy_deployment_group": true, "kubernetes_manifest": true, "kubernetes_deployment_v1": true,
		"aws_iam_role": false, "aws_ecs_cluster": false, "aws_security_group": false,
	} {
		if got := relevantType(typ); got != want {
			t.Errorf("relevantType(%q) = %v, want %v", typ, got, want)
		}
	}
}
