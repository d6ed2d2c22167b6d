package terraform

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// evalLocals runs one root module made of src, evaluates every local (as
// if something read them all: a root module's run evaluates only what
// hoplint reads) and returns its locals and problems.
func evalLocals(t *testing.T, src string) (map[string]cty.Value, []parsers.Problem) {
	t.Helper()
	m := runRootModule(src)
	m.allLocals()
	return m.locals, m.l.res.Problems
}

// runRootModule evaluates src as the main.tf of a root module of its own.
func runRootModule(src string) *modInst {
	f := parsers.NewFile("main.tf", "/m/main.tf", "/m", parsers.FormatTerraform, []byte(src))
	l := &loader{res: &Result{}, modules: &modules{dirs: map[string]*dirEntry{}}}
	md := newModuleDir("/m", ".", "/m", []*File{Parse(f)})
	m := l.newInst(md, "", nil, nil, []string{"/m"})
	m.root = true
	m.setVariables()
	m.run()
	return m
}

func doubling(expr string) string {
	var b strings.Builder
	b.WriteString("locals {\n  p0 = \"ab\"\n")
	for i := 1; i <= 41; i++ {
		fmt.Fprintf(&b, "  p%d = %s\n", i, strings.ReplaceAll(expr, "PREV", fmt.Sprintf("local.p%d", i-1)))
	}
	b.WriteString("}\n")
	return b.String()
}

// Each growth shape ends with the value unknown and one finding on the
// expression where the budget ran out, instead of running out of memory.
func TestBudgetStopsGrowth(t *testing.T) {
	cases := map[string]string{
		"template":   doubling(`"${PREV}${PREV}"`),
		"join":       doubling(`join("", [PREV, PREV])`),
		"format":     doubling(`format("%s%s", PREV, PREV)`),
		"nested for": "locals {\n  x = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : a+b+c]]]\n}\n",
		"toset": `locals {
  a = range(1024)
  b = flatten([for i in local.a : [for j in local.a : "${i}-${j}"]])
  c = toset(local.b)
}
`,
		"for over a local": "locals {\n  a = range(1000)\n  x = [for i in local.a : [for j in local.a : [for k in local.a : i]]]\n}\n",
	}
	for name, src := range cases {
		_, problems := evalLocals(t, src)
		var got []string
		for _, p := range problems {
			if strings.Contains(p.Message, "more work than hoplint allows") || strings.Contains(p.Message, "larger than hoplint's limit") {
				got = append(got, p.Range.String())
			}
		}
		if len(got) != 1 {
			t.Errorf("%s: want one budget finding, got %v (all problems: %v)", name, got, problems)
		}
	}
}

// Ordinary evaluation is untouched by the instrumentation: templates, for
// expressions with keys and conditions, and literal defaults still work.
func TestBudgetKeepsValues(t *testing.T) {
	locals, problems := evalLocals(t, `
variable "n" {
  default = [for x in ["a", "b"] : x]
}
locals {
  s = "x-${var.n[1]}-${length(var.n)}"
  m = { for k, v in { a = 1, b = 2, c = 3 } : "${k}!" => v * 2 if v > 1 }
}
`)
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	if s, _ := locals["s"].UnmarkDeep(); !s.IsKnown() || s.AsString() != "x-b-2" {
		t.Errorf("s = %#v", s)
	}
	m, _ := locals["m"].UnmarkDeep()
	if !m.IsKnown() || m.LengthInt() != 2 || !m.GetAttr("c!").RawEquals(cty.NumberIntVal(6)) {
		t.Errorf("m = %#v", m)
	}
}

// Module calls multiply: each distinct input set is evaluated once, the
// cut at maxInstances and the cycle are reported where they apply, and a
// module only reachable through a cycle is still evaluated.
func TestModuleLimitsAreReported(t *testing.T) {
	nlb := "resource \"aws_lb\" \"x\" {\n  load_balancer_type = \"network\"\n}\n"
	r := load(t, map[string]string{
		"main.tf":     "module \"a\" {\n  source = \"./m1\"\n  count  = 256\n}\n",
		"m1/main.tf":  "module \"a\" {\n  source = \"../m2\"\n  count  = 256\n}\n",
		"m2/main.tf":  "module \"a\" {\n  source = \"../m3\"\n  count  = 1000\n}\n",
		"m3/main.tf":  nlb,
		"c/a/main.tf": "module \"b\" {\n  source = \"../b\"\n}\n" + nlb,
		"c/b/main.tf": "module \"a\" {\n  source = \"../a\"\n}\n",
	})
	var notes []string
	for _, p := range r.Problems {
		notes = append(notes, p.Range.String()+" "+p.Message)
	}
	all := strings.Join(notes, "\n")
	for _, want := range []string{
		`main.tf:1:1 module "a": 255 of its 256 instances have the same inputs`,
		`m2/main.tf:3:12 count = 1000 makes more than 256 instances`,
		`c/b/main.tf:2:12 module "a": source "../a" is a module already being evaluated`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
	// One NLB per distinct input set: the chain, and c/a evaluated as a root.
	if len(r.LoadBalancers) != 2 {
		t.Errorf("load balancers = %d, want 2", len(r.LoadBalancers))
	}
}

// TestUnknownInputsOfTwoCallsAreNotShared: two calls of one module whose
// inputs differ only around a value known at apply time are evaluated
// apart (each makes its target group, and each output refers to its own),
// while the instances of one call with such an input still share one
// evaluation.
func TestUnknownInputsOfTwoCallsAreNotShared(t *testing.T) {
	tg := "variable \"name\" {}\nresource \"aws_lb_target_group\" \"this\" {\n  name = var.name\n}\noutput \"tg_name\" {\n  value = aws_lb_target_group.this.name\n}\n"
	r := load(t, map[string]string{
		"main.tf": `variable "env" {}
module "blue" {
  source = "./tg"
  name   = "tg-${var.env}-b"
}
module "green" {
  source = "./tg"
  name   = "tg-${var.env}-g"
}
module "many" {
  source = "./tg"
  count  = 3
  name   = "tg-${var.env}"
}
resource "aws_lb_target_group_attachment" "green" {
  target_group_arn = module.green.tg_name
}
`,
		"tg/main.tf": tg,
	})
	var mods []string
	for _, g := range r.TargetGroups {
		mods = append(mods, g.Module)
	}
	sort.Strings(mods)
	if got, want := strings.Join(mods, " "), "module.blue module.green module.many[0]"; got != want {
		t.Errorf("target groups of %s, want %s", got, want)
	}
	if len(r.Attachments) != 1 || len(r.Attachments[0].TargetGroup.Refs) != 1 || r.Attachments[0].TargetGroup.Refs[0].Module != "module.green" {
		t.Errorf("module.green.tg_name refers to %v, want module.green's target group", r.Attachments[0].TargetGroup.Refs)
	}
	var shared []string
	for _, p := range r.Problems {
		if strings.Contains(p.Message, "have the same inputs") {
			shared = append(shared, p.Message)
		}
	}
	if len(shared) != 1 || !strings.Contains(shared[0], `module "many": 2 of its 3 instances`) {
		t.Errorf("notes of shared evaluations: %q, want one for module \"many\"", shared)
	}
}

// Two calls of one module with the same inputs share one evaluation; the
// note on the second names it as a call like the first, not as "1 of its
// 1 instances".
func TestSharedSingleInstanceNote(t *testing.T) {
	lb := "resource \"aws_lb\" \"x\" {\n  load_balancer_type = \"network\"\n}\n"
	r := load(t, map[string]string{
		"main.tf":   "module \"a\" {\n  source = \"./m\"\n}\nmodule \"b\" {\n  source = \"./m\"\n}\n",
		"m/main.tf": lb,
	})
	var notes []string
	for _, p := range r.Problems {
		notes = append(notes, p.Range.String()+" "+p.Message)
	}
	all := strings.Join(notes, "\n")
	if want := `main.tf:4:1 module "b" has the same source and inputs as a module call hoplint already evaluated`; !strings.Contains(all, want) || strings.Contains(all, "1 of its 1") {
		t.Errorf("want %q (and no \"1 of its 1\") in\n%s", want, all)
	}
}
