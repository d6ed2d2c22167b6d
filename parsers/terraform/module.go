package terraform

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// moduleDir is one directory of Terraform files: a module, as Terraform
// reads it, before any evaluation.
type moduleDir struct {
	abs  string // absolute directory
	rel  string // slash-separated, relative to the working directory
	root string // the linted root that bounds module calls from here

	config   []*File // .tf and .tf.json, by name
	autoVars []*File // auto-loaded tfvars, in Terraform's precedence order

	variables map[string]*variableDecl
	locals    map[string]*hcl.Attribute
	resources []*resourceDecl
	byAddr    map[string]*resourceDecl // TYPE.NAME
	types     map[string]bool          // resource types declared here
	modules   []*moduleCall
	outputs   map[string]*hcl.Attribute
	problems  []parsers.Problem

	// uses are what the files refer to (demand.go), found on first use.
	usesOnce sync.Once
	uses     *dirUses
	// relevance says whether the directory's modules create anything
	// hoplint reads (relevance.go), found on first use.
	relevance atomic.Int32
}

type variableDecl struct {
	name     string
	decl     hcl.Range
	def      hcl.Expression // nil when there is no default
	ty       cty.Type
	defaults *typeexpr.Defaults
	nullable bool
}

type resourceDecl struct {
	typ, name string
	decl      hcl.Range // the block header
	body      hcl.Body
	count     hcl.Expression
	forEach   hcl.Expression
}

type moduleCall struct {
	name    string
	source  string
	srcExpr hcl.Expression
	decl    hcl.Range
	inputs  hcl.Attributes
	count   hcl.Expression
	forEach hcl.Expression
}

var topSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "terraform"},
	{Type: "moved"},
	{Type: "import"},
	{Type: "removed"},
	{Type: "check", LabelNames: []string{"name"}},
}}

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "default"}, {Name: "type"}, {Name: "description"}, {Name: "nullable"},
	{Name: "sensitive"}, {Name: "ephemeral"},
}}

var metaSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "count"}, {Name: "for_each"},
}}

var outputSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}}}

// moduleMeta are module-block arguments that are not inputs.
var moduleMeta = map[string]bool{
	"source": true, "version": true, "count": true, "for_each": true,
	"providers": true, "depends_on": true,
}

// newModuleDir decodes the top-level blocks of a directory's files.
// Structural errors Terraform would reject (a resource with one label) are
// reported as parse errors; evaluation happens later.
func newModuleDir(abs, rel, root string, files []*File) *moduleDir {
	m := &moduleDir{
		abs: abs, rel: rel, root: root,
		variables: map[string]*variableDecl{},
		locals:    map[string]*hcl.Attribute{},
		byAddr:    map[string]*resourceDecl{},
		types:     map[string]bool{},
		outputs:   map[string]*hcl.Attribute{},
	}
	var auto []*File
	for _, f := range files {
		switch KindOf(f.File.Path) {
		case KindConfig:
			m.config = append(m.config, f)
		case KindAutoVars:
			auto = append(auto, f)
		}
	}
	sort.Slice(m.config, func(i, j int) bool { return m.config[i].File.Path < m.config[j].File.Path })
	// terraform.tfvars, then terraform.tfvars.json, then *.auto.tfvars(.json)
	// in lexical order: later files override earlier ones.
	rank := func(f *File) (int, string) {
		base := strings.ToLower(baseName(f.File.Path))
		switch base {
		case "terraform.tfvars":
			return 0, base
		case "terraform.tfvars.json":
			return 1, base
		}
		return 2, baseName(f.File.Path)
	}
	sort.Slice(auto, func(i, j int) bool {
		ri, ni := rank(auto[i])
		rj, nj := rank(auto[j])
		if ri != rj {
			return ri < rj
		}
		return ni < nj
	})
	m.autoVars = auto
	for _, f := range m.config {
		if f.Body != nil {
			m.decode(f)
		}
	}
	return m
}

func baseName(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

func (m *moduleDir) decode(f *File) {
	content, _, diags := f.Body.PartialContent(topSchema)
	m.problems = append(m.problems, diagProblems(f.File, diags, parsers.ProblemParse)...)
	if content == nil {
		return
	}
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			m.decodeVariable(f, b)
		case "locals":
			attrs, _ := b.Body.JustAttributes()
			for name, a := range attrs {
				m.locals[name] = a
			}
		case "resource":
			meta, _, _ := b.Body.PartialContent(metaSchema)
			r := &resourceDecl{typ: b.Labels[0], name: b.Labels[1], decl: headerRange(b), body: b.Body}
			if meta != nil {
				if a := meta.Attributes["count"]; a != nil {
					r.count = a.Expr
				}
				if a := meta.Attributes["for_each"]; a != nil {
					r.forEach = a.Expr
				}
			}
			addr := r.typ + "." + r.name
			if m.byAddr[addr] == nil {
				m.byAddr[addr] = r
				m.resources = append(m.resources, r)
				m.types[r.typ] = true
			}
		case "module":
			m.decodeModule(b)
		case "output":
			oc, _, _ := b.Body.PartialContent(outputSchema)
			if oc != nil && oc.Attributes["value"] != nil {
				m.outputs[b.Labels[0]] = oc.Attributes["value"]
			}
		}
	}
}

func headerRange(b *hcl.Block) hcl.Range {
	r := b.DefRange
	if len(b.LabelRanges) > 0 {
		r = hcl.RangeBetween(b.TypeRange, b.LabelRanges[len(b.LabelRanges)-1])
	}
	return r
}

func (m *moduleDir) decodeVariable(f *File, b *hcl.Block) {
	c, _, _ := b.Body.PartialContent(variableSchema)
	v := &variableDecl{name: b.Labels[0], decl: headerRange(b), ty: cty.DynamicPseudoType, nullable: true}
	if c != nil {
		if a := c.Attributes["default"]; a != nil {
			v.def = a.Expr
		}
		if a := c.Attributes["type"]; a != nil {
			expr := a.Expr
			if f.JSON {
				// In JSON the type is a string holding the expression.
				if s, d := a.Expr.Value(nil); !d.HasErrors() && s.Type() == cty.String && s.IsKnown() && !s.IsNull() {
					if e, d := hclsyntax.ParseExpression([]byte(s.AsString()), f.File.Path, a.Expr.Range().Start); !d.HasErrors() {
						expr = e
					}
				}
			}
			if ty, defs, d := typeexpr.TypeConstraintWithDefaults(expr); !d.HasErrors() {
				v.ty, v.defaults = ty, defs
			}
		}
		if a := c.Attributes["nullable"]; a != nil {
			if nv, d := a.Expr.Value(nil); !d.HasErrors() && nv.Type() == cty.Bool && nv.IsKnown() && !nv.IsNull() {
				v.nullable = nv.True()
			}
		}
	}
	m.variables[v.name] = v
}

func (m *moduleDir) decodeModule(b *hcl.Block) {
	attrs, _ := b.Body.JustAttributes()
	c := &moduleCall{name: b.Labels[0], decl: headerRange(b), inputs: hcl.Attributes{}}
	for name, a := range attrs {
		switch name {
		case "source":
			c.srcExpr = a.Expr
			c.source = literalSource(a)
		case "count":
			c.count = a.Expr
		case "for_each":
			c.forEach = a.Expr
		default:
			if !moduleMeta[name] {
				c.inputs[name] = a
			}
		}
	}
	m.modules = append(m.modules, c)
}

// literalSource is a module call's source, when written as a literal
// string; else "".
func literalSource(a *hcl.Attribute) string {
	if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
		return v.AsString()
	}
	return ""
}

// localSource reports whether a module source is a path on disk, which
// Terraform reads in place (./ or ../).
func localSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".."
}
