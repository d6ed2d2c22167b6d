package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// load writes files into a temporary root and evaluates them as hoplint
// would, reading module directories through parsers.ReadWithin: with
// LoadFiles, which parses lazily and drops syntax trees early. It fails
// the test when Load, on the files parsed up front, or LoadFiles keeping
// every tree, finds anything else.
func load(t testing.TB, files map[string]string) *Result {
	t.Helper()
	dir := t.TempDir()
	var raw []*parsers.File
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, src := range files {
		if KindOf(name) == 0 {
			continue
		}
		raw = append(raw, parsers.NewFile(name, filepath.Join(dir, filepath.FromSlash(name)), dir, parsers.FormatTerraform, []byte(src)))
	}
	sort.Slice(raw, func(i, j int) bool { return raw[i].Path < raw[j].Path })
	opt := Options{Open: openWithin(dir)}
	res := LoadFiles(raw, opt)
	parsed := make([]*File, len(raw))
	for i, f := range raw {
		parsed[i] = Parse(f)
	}
	if eager := Load(parsed, opt); !sameResult(res, eager) {
		t.Fatalf("LoadFiles and Load differ:\n%s\n%s", describe(res), describe(eager))
	}
	keepTrees = true
	kept := LoadFiles(raw, opt)
	keepTrees = false
	if !sameResult(res, kept) {
		t.Fatalf("LoadFiles differs when it keeps every syntax tree:\n%s\n%s", describe(res), describe(kept))
	}
	return res
}

func sameResult(a, b *Result) bool { return reflect.DeepEqual(a, b) }

// describe prints a result's problems and how many objects of each kind
// it holds.
func describe(r *Result) string {
	return fmt.Sprintf("problems %v\ncomments %v\n%d %d %d %d %d %d %d %d %d %d", r.Problems, r.Comments,
		len(r.LoadBalancers), len(r.Listeners), len(r.ListenerRules), len(r.TargetGroups), len(r.Attachments),
		len(r.ClassicELBs), len(r.Distributions), len(r.Kubernetes), len(r.ECSTaskDefinitions), len(r.ECSServices))
}

func openWithin(wd string) func(root, abs string) (*parsers.File, error) {
	return func(root, abs string) (*parsers.File, error) {
		data, err := parsers.ReadWithin(root, abs)
		if err != nil {
			return nil, err
		}
		return parsers.NewFile(parsers.RelPath(wd, abs), abs, root, parsers.FormatTerraform, data), nil
	}
}

func TestKindOf(t *testing.T) {
	for name, want := range map[string]Kind{
		"main.tf": KindConfig, "x/main.tf.json": KindConfig, "terraform.tfvars": KindAutoVars,
		"terraform.tfvars.json": KindAutoVars, "prod.auto.tfvars": KindAutoVars, "prod.tfvars": KindVars,
		"README.md": 0,
	} {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestRegistryKind(t *testing.T) {
	for src, want := range map[string]string{
		"terraform-aws-modules/alb/aws":                                                         RegistryALB,
		"registry.terraform.io/terraform-aws-modules/elb/aws":                                   RegistryELB,
		"git::https://github.com/terraform-aws-modules/terraform-aws-cloudfront.git?ref=v5.0.0": RegistryCloudFront,
		"terraform-aws-modules/alb/aws//modules/x":                                              "",
		"terraform-aws-modules/vpc/aws":                                                         "",
		"./modules/alb":                                                                         "",
	} {
		if got := registryKind(src); got != want {
			t.Errorf("registryKind(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestComments(t *testing.T) {
	src := "# hoplint:ignore one\nresource \"aws_lb\" \"x\" { # two\n  name = \"a # not a comment\" // three\n  /* four */\n}\n"
	f := Parse(parsers.NewFile("main.tf", "/x/main.tf", "/x", parsers.FormatTerraform, []byte(src)))
	var got []string
	for _, c := range f.Comments {
		got = append(got, strings.TrimSpace(c.Text))
	}
	if strings.Join(got, "|") != "hoplint:ignore one|two|three|four" {
		t.Errorf("comments = %q", got)
	}
	if c := f.Comments[1]; c.Line != 2 || c.Col != 25 {
		t.Errorf("comment two at %d:%d, want 2:25", c.Line, c.Col)
	}
}

// TestCommentsOnlyWithDirective: a file that holds no "hoplint:" anywhere
// is not lexed a second time for comments (none could be a suppression);
// one that holds it only inside a string yields no directive comment.
func TestCommentsOnlyWithDirective(t *testing.T) {
	for src, want := range map[string]string{
		"# one\nresource \"aws_lb\" \"x\" { # two\n}\n":                                         "",
		"resource \"aws_lb\" \"x\" {\n  name = \"# hoplint:ignore keepalive-order -- no\"\n}\n": "",
		"resource \"aws_lb\" \"x\" { # hoplint:ignore keepalive-order -- why\n}\n":              "hoplint:ignore keepalive-order -- why",
	} {
		f := Parse(parsers.NewFile("main.tf", "/x/main.tf", "/x", parsers.FormatTerraform, []byte(src)))
		var got []string
		for _, c := range f.Comments {
			got = append(got, strings.TrimSpace(c.Text))
		}
		if strings.Join(got, "|") != want {
			t.Errorf("comments of %q = %q, want %q", src, got, want)
		}
	}
}

func TestParseErrorHasLine(t *testing.T) {
	f := Parse(parsers.NewFile("main.tf", "/x/main.tf", "/x", parsers.FormatTerraform, []byte("resource \"a\" \"b\" {\n  x = \n}\n")))
	if len(f.Problems) == 0 || f.Problems[0].Kind != parsers.ProblemParse || f.Problems[0].Range.Start.Line != 3 && f.Problems[0].Range.Start.Line != 2 {
		t.Fatalf("problems = %+v", f.Problems)
	}
}

func TestEvaluation(t *testing.T) {
	r := load(t, map[string]string{
		"main.tf": `
variable "ports" {
  type = map(object({ port = optional(number, 8080), proto = optional(string) }))
  default = { a = {}, b = { port = 81 } }
}
locals {
  idle  = coalesce("", null, "70")
  obj   = { a = 1 }
  delay = try(local.obj.missing, 11)
}
resource "aws_lb" "web" {
  idle_timeout = tonumber(local.idle)
}
resource "aws_lb_target_group" "tg" {
  for_each             = var.ports
  port                 = each.value.port
  deregistration_delay = local.delay
}
resource "aws_lb_listener" "l" {
  load_balancer_arn = aws_lb.web.arn
  port              = "443"
  default_action {
    type             = "forward"
    target_group_arn = try(aws_lb_target_group.tg["b"].arn, null)
  }
}
`})
	if len(r.LoadBalancers) != 1 {
		t.Fatalf("load balancers: %d", len(r.LoadBalancers))
	}
	if n, ok := r.LoadBalancers[0].IdleTimeout.Int(); !ok || n != 70 {
		t.Errorf("idle_timeout = %d, %v; want 70 (coalesce skips empty strings)", n, ok)
	}
	ports := map[string]int64{}
	for _, tg := range r.TargetGroups {
		n, _ := tg.Port.Int()
		ports[tg.Key] = n
		if d, _ := tg.DeregistrationDelay.Int(); d != 11 {
			t.Errorf("%s deregistration_delay = %d, want 11 from try's fallback", tg.Address(), d)
		}
	}
	if ports[`"a"`] != 8080 || ports[`"b"`] != 81 {
		t.Errorf("ports = %v, want optional default 8080 for a and 81 for b", ports)
	}
	l := r.Listeners[0]
	if n, ok := l.Port.Int(); !ok || n != 443 {
		t.Errorf("listener port %q = %d", render(l.Port.Val), n)
	}
	if !l.LoadBalancer.RefersTo(&r.LoadBalancers[0].Object) {
		t.Errorf("load_balancer_arn refs = %v", l.LoadBalancer.Refs)
	}
	if len(l.Forwards) != 1 || len(l.Forwards[0].TargetGroup.Refs) != 1 || l.Forwards[0].TargetGroup.Refs[0].Key != `"b"` {
		t.Errorf("forward refs = %+v (try must keep the reference)", l.Forwards)
	}
}

func TestModuleCycleAndDepth(t *testing.T) {
	r := load(t, map[string]string{
		"main.tf":    `module "a" { source = "./a" }`,
		"a/main.tf":  "module \"b\" { source = \"../b\" }\nresource \"aws_lb\" \"x\" { idle_timeout = 9 }",
		"b/main.tf":  `module "a" { source = "../a" }`,
		"outside.tf": `module "up" { source = "../../etc" }`,
	})
	if len(r.LoadBalancers) != 1 || r.LoadBalancers[0].Module != "module.a" {
		for _, lb := range r.LoadBalancers {
			t.Log(lb.Address())
		}
		t.Fatalf("want one ALB in module.a, got %d", len(r.LoadBalancers))
	}
}

func TestHugeExpressionsAreRefused(t *testing.T) {
	r := load(t, map[string]string{"main.tf": `
locals {
  big = replace(replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "a", "${"x"}aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
  wide = format("%99999999d", 1)
}
resource "aws_lb" "x" {
  count        = 100000000
  idle_timeout = length(local.big) + length(local.wide)
}
resource "aws_cloudfront_distribution" "d" {
  dynamic "origin" {
    for_each = range(1000)
    content {
      domain_name = "o${origin.value}.example.com"
      dynamic "custom_origin_config" {
        for_each = range(1000)
        content {
          origin_read_timeout = custom_origin_config.value
        }
      }
    }
  }
}`})
	if n := len(r.Distributions[0].Origins); n == 0 || n > maxBlocks {
		t.Errorf("origins read = %d, want between 1 and %d", n, maxBlocks)
	}
	if len(r.LoadBalancers) != maxInstances {
		t.Errorf("instances = %d, want the cap %d", len(r.LoadBalancers), maxInstances)
	}
	if r.LoadBalancers[0].IdleTimeout.Known {
		t.Errorf("idle_timeout should be unknown, got %s", render(r.LoadBalancers[0].IdleTimeout.Val))
	}
}
