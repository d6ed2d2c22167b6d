package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// scopeModule exercises every kind of reference scopeFor resolves: input
// variables (declared and not), locals (chained, one left out of a cycle,
// one undeclared), module calls (registry and unknown), resource shapes
// (single, count, for_each, undeclared type), path/terraform/data, for
// expressions with an unknown condition, try, and references it leaves to
// the whole context (local alone, an index step after var).
const scopeModule = `
variable "port" {
  type    = number
  default = 8080
}
variable "names" {
  type    = list(string)
  default = ["a", "b"]
}
resource "aws_lb_target_group" "one" {
  port = var.port
}
resource "aws_lb_target_group" "many" {
  count = 2
  port  = var.port + count.index
}
resource "aws_lb_target_group" "keyed" {
  for_each = toset(var.names)
  name     = each.key
}
module "remote" {
  source = "git::https://example.com/m.git"
}
locals {
  a         = var.port + 1
  b         = local.a * 2
  c         = "${local.b}-${var.undeclared}-${path.module}-${terraform.workspace}"
  p         = "${path.module}/${local.a}"
  d         = [for n in var.names : "${n}-${local.a}"]
  e         = { for k, v in aws_lb_target_group.keyed : k => v.arn if v.port > local.b }
  f         = try(aws_lb_target_group.one.arn, local.missing, "x")
  g         = aws_lb_target_group.many[*].arn
  h         = module.remote.out
  i         = other_type.thing.id
  j         = data.aws_vpc.main.id
  k         = local.cycle1
  cycle1    = local.cycle2
  cycle2    = local.cycle1
  whole     = length(keys(local))
  indexed   = var["port"]
  shadowed  = [for var in var.names : var]
  objects   = { port = var.port, broken = local.nothing.at.all, b = local.b }
}
`

// TestScopeMatchesWholeContext evaluates the module twice, each
// expression in the context of just what it refers to and each in the
// module's whole context, and checks that every local and output is the
// same value with the same marks (the references and origins rules read).
func TestScopeMatchesWholeContext(t *testing.T) {
	run := func(whole bool) *modInst {
		wholeContext = whole
		defer func() { wholeContext = false }()
		m := runRootModule(scopeModule)
		m.allLocals() // nothing reads them: run evaluates none
		return m
	}
	scoped, whole := run(false), run(true)
	if len(scoped.locals) != len(whole.locals) {
		t.Errorf("%d locals, the whole context gives %d", len(scoped.locals), len(whole.locals))
	}
	known := 0
	for name, want := range whole.locals {
		got := scoped.locals[name]
		if !got.RawEquals(want) {
			t.Errorf("local.%s = %#v, the whole context gives %#v", name, got, want)
		}
		if got.IsWhollyKnown() {
			known++
		}
	}
	if known < 4 {
		t.Errorf("only %d locals are known: the module no longer tests what it should", known)
	}
	for _, name := range []string{"k", "cycle1", "cycle2"} {
		if !scoped.locals[name].RawEquals(cty.DynamicVal) {
			t.Errorf("local.%s = %#v, want unknown (a cycle)", name, scoped.locals[name])
		}
	}
}

// TestScopeKeepsMarks checks that a value read through the scope keeps the
// reference to the resource it stands for.
func TestScopeKeepsMarks(t *testing.T) {
	locals, _ := evalLocals(t, `
resource "aws_lb_target_group" "tg" {
  count = 2
}
locals {
  arn = aws_lb_target_group.tg[1].arn
}
`)
	_, marks := locals["arn"].UnmarkDeep()
	want := Ref{Type: "aws_lb_target_group", Name: "tg", Key: "1"}
	if _, ok := marks[want]; !ok {
		t.Errorf("local.arn has marks %v, want %v among them", marks, want)
	}
}

// BenchmarkEvalLocals evaluates a root module of n locals, each reading
// the one before it, a variable and a resource. A local's evaluation
// costs what it refers to, so ns/local must stay flat as n grows; a
// context rebuilt from every symbol of the module for each expression
// makes it grow with n.
func BenchmarkEvalLocals(b *testing.B) {
	for _, n := range []int{100, 1000} {
		var src strings.Builder
		src.WriteString("variable \"step\" {\n  default = 1\n}\nresource \"aws_lb\" \"x\" {}\nlocals {\n  l0 = 0\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&src, "  l%d = [local.l%d, var.step, aws_lb.x.arn][0] + var.step\n", i, i-1)
		}
		src.WriteString("}\n")
		f := parsers.NewFile("main.tf", "/m/main.tf", "/m", parsers.FormatTerraform, []byte(src.String()))
		parsed := Parse(f)
		b.Run(fmt.Sprintf("locals=%d", n), func(b *testing.B) {
			for b.Loop() {
				l := &loader{res: &Result{}, modules: &modules{dirs: map[string]*dirEntry{}}}
				md := newModuleDir("/m", ".", "/m", []*File{parsed})
				m := l.newInst(md, "", nil, nil, []string{"/m"})
				m.root = true
				m.setVariables()
				m.run()
				m.allLocals() // nothing reads them: run evaluates none
				if v, _ := m.locals[fmt.Sprintf("l%d", n-1)].Unmark(); !v.RawEquals(cty.NumberIntVal(int64(n - 1))) {
					b.Fatalf("last local = %#v, want %d", v, n-1)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/local")
		})
	}
}
