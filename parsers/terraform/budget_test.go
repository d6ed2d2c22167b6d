package terraform

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// evalLocals runs one root module made of src and returns its evaluated
// locals and problems.
func evalLocals(t *testing.T, src string) (map[string]cty.Value, []parsers.Problem) {
	t.Helper()
	f := parsers.NewFile("main.tf", "/m/main.tf", "/m", parsers.FormatTerraform, []byte(src))
	l := &loader{res: &Result{}, dirs: map[string]*moduleDir{}}
	md := newModuleDir("/m", ".", "/m", []*File{Parse(f)})
	m := l.newInst(md, "", nil, nil, []string{"/m"})
	m.root = true
	m.setVariables()
	m.run()
	return m.locals, l.res.Problems
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
