package terraform

import (
	"strings"
	"testing"
)

// bigOutput is a module whose output unread and local unread, when
// evaluated, each run out of the root module's budget, a finding: the
// witness of what demand evaluation evaluated.
const bigOutput = `
output "used" {
  value = 9
}
output "unread" {
  value = [for a in range(100) : [for b in range(100) : "${a}-${b}-${local.pad}"]]
}
locals {
  pad    = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  unread = [for a in range(100) : [for b in range(100) : "${a}-${b}-${local.pad}"]]
}
`

// bigNotes returns the files of the findings that the budget ran out.
func bigNotes(r *Result) []string {
	var out []string
	for _, p := range r.Problems {
		if strings.Contains(p.Message, "more work than hoplint allows") {
			out = append(out, p.Range.File)
		}
	}
	return out
}

// An output no caller refers to, and a local nothing reads, are not
// evaluated; the output the caller reads is. The second case reads the
// other output, so that the witness is known to work.
func TestUnreadOutputNotEvaluated(t *testing.T) {
	r := load(t, map[string]string{
		"main.tf": `
module "m" {
  source = "./m"
}
resource "aws_lb" "x" {
  idle_timeout = module.m.used
}
output "everything" {
  value = module.m
}
`,
		"m/main.tf": bigOutput,
	})
	if n, ok := r.LoadBalancers[0].IdleTimeout.Int(); !ok || n != 9 {
		t.Errorf("idle_timeout = %d, %v; want 9 from module.m.used", n, ok)
	}
	if got := bigNotes(r); len(got) != 0 {
		t.Errorf("findings from evaluating what nothing reads: %v (a root module's outputs have no reader)", got)
	}
	r = load(t, map[string]string{
		"main.tf": `
module "m" {
  source = "./m"
}
resource "aws_lb" "x" {
  idle_timeout = length(module.m.unread)
}
`,
		"m/main.tf": bigOutput,
	})
	if got := bigNotes(r); len(got) != 1 || got[0] != "m/main.tf" {
		t.Errorf("reading module.m.unread: budget findings in %v, want one in m/main.tf", got)
	}
}

// A module used whole (a value, in a for expression, through a splat, an
// index hoplint cannot read, a module input) has every output evaluated.
func TestModuleUsedWholeEvaluatesAll(t *testing.T) {
	for name, use := range map[string]string{
		"value":    `idle_timeout = length(module.m)`,
		"for":      `idle_timeout = length([for k, v in module.m : k])`,
		"splat":    `idle_timeout = length(module.c[*].used)`,
		"index":    `idle_timeout = length(module.m[local.k])`,
		"instance": `idle_timeout = length(module.c[0])`,
	} {
		r := load(t, map[string]string{
			"main.tf": `
locals {
  k = "used"
}
module "m" {
  source = "./m"
}
module "c" {
  count  = 1
  source = "./m"
}
resource "aws_lb" "x" {
  ` + use + `
}
`,
			"m/main.tf": bigOutput,
		})
		if got := bigNotes(r); len(got) != 1 || got[0] != "m/main.tf" {
			t.Errorf("%s: budget findings in %v, want the unread output's, in m/main.tf", name, got)
		}
	}
	r := load(t, map[string]string{
		"main.tf": `
module "m" {
  source = "./m"
}
module "n" {
  source = "./n"
  all    = module.m
}
`,
		"m/main.tf": bigOutput,
		"n/main.tf": `
variable "all" {}
resource "aws_lb" "x" {
  idle_timeout = length(var.all.unread)
}
`,
	})
	if got := bigNotes(r); len(got) != 1 || got[0] != "m/main.tf" {
		t.Errorf("module passed whole: budget findings in %v, want one in m/main.tf", got)
	}
}

// An output read only through the output of the module between (root →
// mid → leaf) is evaluated: the listener still forwards to the leaf's
// target group.
func TestOutputReadThroughOutputs(t *testing.T) {
	r := load(t, map[string]string{
		"main.tf": `
module "mid" {
  source = "./mid"
}
resource "aws_lb" "web" {}
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = module.mid.tg
  }
}
`,
		"mid/main.tf": `
module "leaf" {
  source = "../leaf"
}
output "tg" {
  value = module.leaf.tg
}
output "other" {
  value = module.leaf.other
}
`,
		"leaf/main.tf": `
locals {
  pad = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
}
resource "aws_lb_target_group" "tg" {
  port = 8080
}
output "tg" {
  value = aws_lb_target_group.tg.arn
}
output "other" {
  value = [for a in range(100) : [for b in range(100) : "${a}-${b}-${local.pad}"]]
}
`,
	})
	if len(r.Listeners) != 1 || len(r.Listeners[0].Forwards) != 1 {
		t.Fatalf("listeners %d", len(r.Listeners))
	}
	refs := r.Listeners[0].Forwards[0].TargetGroup.Refs
	if len(refs) != 1 || refs[0].Module != "module.mid.module.leaf" || refs[0].Name != "tg" {
		t.Errorf("forward refers to %+v, want module.mid.module.leaf's aws_lb_target_group.tg", refs)
	}
	if got := bigNotes(r); len(got) != 0 {
		t.Errorf("leaf's output other, which nothing reads, was evaluated: %v", got)
	}
}

// Two calls of one module with the same inputs share one evaluation; the
// outputs it evaluated are what both callers read (each directory's
// outputs are those any caller of it reads).
func TestSharedInstanceHasEveryCallersOutputs(t *testing.T) {
	r := load(t, map[string]string{
		"main.tf": `
module "a" {
  source = "./m"
}
module "b" {
  source = "./m"
}
resource "aws_lb" "x" {
  idle_timeout = module.a.one
}
resource "aws_lb" "y" {
  idle_timeout = module.b.two
}
`,
		"m/main.tf": `
output "one" {
  value = 1
}
output "two" {
  value = 2
}
`,
	})
	got := map[string]int64{}
	for _, lb := range r.LoadBalancers {
		n, _ := lb.IdleTimeout.Int()
		got[lb.Name] = n
	}
	if got["x"] != 1 || got["y"] != 2 {
		t.Errorf("idle timeouts %v, want x 1 (module.a.one) and y 2 (module.b.two)", got)
	}
	shared := false
	for _, p := range r.Problems {
		shared = shared || strings.Contains(p.Message, "same source and inputs")
	}
	if !shared {
		t.Errorf("module.b was not shared with module.a: the case tests nothing (problems %v)", r.Problems)
	}
}

// A dynamic block is expanded in the module's whole context: what its
// for_each reads is evaluated first, though nothing else reads it.
func TestDynamicBlockReadsUnreadLocal(t *testing.T) {
	r := load(t, map[string]string{"main.tf": `
locals {
  origins = ["a.example.com", "b.example.com"]
}
resource "aws_cloudfront_distribution" "d" {
  dynamic "origin" {
    for_each = local.origins
    content {
      domain_name = origin.value
    }
  }
}
`})
	if len(r.Distributions) != 1 || len(r.Distributions[0].Origins) != 2 {
		t.Fatalf("distributions %d, want one with two origins from local.origins", len(r.Distributions))
	}
}

// A resource's count is evaluated when something reads the resource: the
// note that count makes more instances than hoplint reads is on the load
// balancer hoplint extracts and on the role a local the load balancer
// reads refers to, not on the role nothing reads.
func TestUnreadResourceShapeNotEvaluated(t *testing.T) {
	r := load(t, map[string]string{"main.tf": `
resource "aws_iam_role" "unread" {
  count = 300
}
resource "aws_iam_role" "read" {
  count = 301
}
locals {
  role = aws_iam_role.read[0].arn
}
resource "aws_lb" "x" {
  count        = 302
  idle_timeout = length(local.role)
}
`})
	var got []int
	for _, p := range r.Problems {
		if strings.Contains(p.Message, "makes more than") {
			got = append(got, p.Range.Start.Line)
		}
	}
	if len(got) != 2 || got[0]+got[1] != 6+12 {
		t.Errorf("count notes on lines %v, want 6 (the role read) and 12 (the load balancer)", got)
	}
}
