package terraform

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/hoplint/hoplint/parsers"
)

// ECS task definitions and services. The container definitions are JSON
// in every form Terraform accepts them (a heredoc, jsonencode(…), file()
// or templatefile() of a JSON file, a module output); this package hands
// them on as raw material with source lines — JSON text with a map from
// its lines to the lines it was written on, or the neutral tree of the
// value jsonencode() is given — and the ECS parser reads the containers.

// ContainerDefs is the container_definitions of a task definition.
type ContainerDefs struct {
	// Range is the attribute.
	Range parsers.Range
	// Tree is the value given to jsonencode() (or a known list or object),
	// with the HCL lines of its parts; nil when Text is set.
	Tree *KubeNode
	// Text is the JSON as Terraform would send it, placeholders left in
	// for values known only at apply time (${var.port}); Path is the file
	// its positions point into and Lines maps each line of Text (index
	// line-1) to a line of Path.
	Text  []byte
	Path  string
	Lines []int
	// File is the JSON file read through file() or templatefile(); nil
	// for a definition written in the .tf file.
	File *parsers.File
	// Unknown says why nothing could be read ("" when Tree or Text is set).
	Unknown string
}

// ECSTaskDefinition is an aws_ecs_task_definition.
type ECSTaskDefinition struct {
	Object
	Family      Value
	Memory, CPU Value
	NetworkMode Value
	Containers  ContainerDefs
}

// ECSLoadBalancer is one load_balancer block of a service.
type ECSLoadBalancer struct {
	Range         parsers.Range
	TargetGroup   Value // target_group_arn
	ContainerName Value
	ContainerPort Value
}

// ECSService is an aws_ecs_service.
type ECSService struct {
	Object
	TaskDefinition Value // task_definition
	LoadBalancers  []ECSLoadBalancer
	// SvcName is the name attribute (the service's name in ECS), Cluster
	// the cluster attribute (an ARN or a name).
	SvcName, Cluster Value
	// DeploymentController is deployment_controller's type: ECS (the
	// default), CODE_DEPLOY or EXTERNAL.
	DeploymentController Value
}

var (
	ecsTaskSchema    = &hcl.BodySchema{Attributes: attrs("family", "memory", "cpu", "network_mode", "container_definitions")}
	ecsServiceSchema = &hcl.BodySchema{
		Attributes: attrs("task_definition", "name", "cluster"),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "load_balancer"}, {Type: "deployment_controller"}},
	}
	ecsLBSchema         = &hcl.BodySchema{Attributes: attrs("target_group_arn", "container_name", "container_port")}
	ecsControllerSchema = &hcl.BodySchema{Attributes: attrs("type")}
)

// maxTemplateParts bounds the parts of a template read for container
// definitions (a for directive over a large collection would multiply).
const maxTemplateParts = 20000

// extractECS reads the task definitions and services of one resource,
// every instance.
func (m *modInst) extractECS(r *resourceDecl) {
	if r.typ != "aws_ecs_task_definition" && r.typ != "aws_ecs_service" {
		return
	}
	insts := m.instances(r.count, r.forEach)
	for _, in := range insts {
		obj := m.object(r, in, len(insts))
		e := &extractor{m: m, vars: in.vars, budget: maxBlocks}
		if r.typ == "aws_ecs_task_definition" {
			c, _, _ := r.body.PartialContent(ecsTaskSchema)
			if c == nil {
				continue
			}
			a := c.Attributes
			td := &ECSTaskDefinition{Object: obj, Family: e.value(a["family"]), Memory: e.value(a["memory"]),
				CPU: e.value(a["cpu"]), NetworkMode: e.value(a["network_mode"])}
			if cd := a["container_definitions"]; cd != nil {
				td.Containers = m.containerDefs(cd, in.vars)
			}
			m.l.res.ECSTaskDefinitions = append(m.l.res.ECSTaskDefinitions, td)
			continue
		}
		// Only a service has blocks (load_balancer, deployment_controller)
		// that dynamic can make.
		body := dynblock.Expand(r.body, m.contextWith(in.vars))
		c, _, _ := body.PartialContent(ecsServiceSchema)
		if c == nil {
			continue
		}
		svc := &ECSService{Object: obj, TaskDefinition: e.value(c.Attributes["task_definition"]),
			SvcName: e.value(c.Attributes["name"]), Cluster: e.value(c.Attributes["cluster"])}
		for _, b := range e.take(c.Blocks) {
			if b.Type == "deployment_controller" {
				if dc, _, _ := b.Body.PartialContent(ecsControllerSchema); dc != nil {
					svc.DeploymentController = e.value(dc.Attributes["type"])
				}
				continue
			}
			lc, _, _ := b.Body.PartialContent(ecsLBSchema)
			if lc == nil {
				continue
			}
			svc.LoadBalancers = append(svc.LoadBalancers, ECSLoadBalancer{Range: m.rng(b.DefRange),
				TargetGroup: e.value(lc.Attributes["target_group_arn"]), ContainerName: e.value(lc.Attributes["container_name"]),
				ContainerPort: e.value(lc.Attributes["container_port"])})
		}
		m.l.res.ECSServices = append(m.l.res.ECSServices, svc)
	}
}

// containerDefs reads container_definitions in whichever form it is
// written.
func (m *modInst) containerDefs(a *hcl.Attribute, vars map[string]cty.Value) ContainerDefs {
	cd := ContainerDefs{Range: m.rng(a.Range)}
	expr := unwrap(a.Expr)
	if call, ok := expr.(*hclsyntax.FunctionCallExpr); ok && !call.ExpandFinal {
		switch {
		case call.Name == "jsonencode" && len(call.Args) == 1:
			w := &kubeWalker{m: m, budget: maxKubeNodes}
			cd.Tree = w.value(m.eval(call.Args[0], vars), call.Args[0], nil, nil)
			if w.budget < 0 {
				cd.Tree, cd.Unknown = nil, fmt.Sprintf("it holds more than %d values", maxKubeNodes)
			} else if cd.Tree == nil {
				cd.Unknown = "jsonencode is given null"
			}
			return cd
		case (call.Name == "file" && len(call.Args) == 1) || (call.Name == "templatefile" && len(call.Args) == 2):
			return m.containerFile(cd, call, vars)
		}
	}
	if t, ok := expr.(*hclsyntax.TemplateExpr); ok {
		cd.Text, cd.Lines = m.templateText(t.Parts, vars, nil)
		cd.Path = cd.Range.File
		return cd
	}
	v, _ := m.eval(a.Expr, vars).UnmarkDeep()
	switch {
	case !v.IsWhollyKnown():
		cd.Unknown = "its value is known only when Terraform applies (a variable without a default, a module output or another resource's attribute)"
	case v.IsNull():
		cd.Unknown = "it is null"
	case v.Type() == cty.String:
		cd.Text, cd.Path = []byte(v.AsString()), cd.Range.File
		// A string computed elsewhere (a local, a module output): every
		// line points at the attribute.
		n := strings.Count(v.AsString(), "\n") + 1
		cd.Lines = make([]int, n)
		for i := range cd.Lines {
			cd.Lines[i] = cd.Range.Start.Line
		}
	default:
		w := &kubeWalker{m: m, budget: maxKubeNodes}
		cd.Tree = w.value(m.eval(a.Expr, vars), a.Expr, nil, nil)
		if w.budget < 0 || cd.Tree == nil {
			cd.Tree, cd.Unknown = nil, "it cannot be read as container definitions"
		}
	}
	return cd
}

// containerFile reads the JSON file named by file() or templatefile(),
// only inside the linted root.
func (m *modInst) containerFile(cd ContainerDefs, call *hclsyntax.FunctionCallExpr, vars map[string]cty.Value) ContainerDefs {
	pv, _ := m.eval(call.Args[0], vars).UnmarkDeep()
	if !pv.IsKnown() || pv.IsNull() || pv.Type() != cty.String {
		cd.Unknown = "the path given to " + call.Name + "() is known only when Terraform applies"
		return cd
	}
	p := filepath.FromSlash(pv.AsString())
	wd := strings.TrimSuffix(m.dir.abs, filepath.FromSlash(m.dir.rel))
	if m.dir.rel == "." {
		wd = m.dir.abs
	}
	abs := p
	if !filepath.IsAbs(p) {
		rel := filepath.ToSlash(p)
		if m.dir.rel != "." && strings.HasPrefix(rel, m.dir.rel+"/") {
			abs = filepath.Join(wd, p) // ${path.module}/…
		} else {
			abs = filepath.Join(wd, filepath.FromSlash(m.rootRel), p) // relative to the root module
		}
	}
	abs = filepath.Clean(abs)
	if m.l.opt.Open == nil || !parsers.Within(m.dir.root, abs) {
		m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: cd.Range,
			Message: fmt.Sprintf("%s(%q) names a file outside the linted directory; hoplint does not read it, so the containers of this task definition are not linted", call.Name, pv.AsString())})
		cd.Unknown = "outside"
		return cd
	}
	f, err := m.l.opt.Open(m.dir.root, abs)
	if err != nil {
		m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: cd.Range,
			Message: fmt.Sprintf("cannot read %s(%q): %v; the containers of this task definition are not linted", call.Name, pv.AsString(), err)})
		cd.Unknown = "unreadable"
		return cd
	}
	cd.File, cd.Path = f, f.Path
	if call.Name == "file" {
		cd.Text = f.Bytes()
		return cd
	}
	tmpl, diags := hclsyntax.ParseTemplate(f.Bytes(), f.Path, hcl.Pos{Line: 1, Column: 1, Byte: 0})
	if diags.HasErrors() {
		d := diags[0]
		at := parsers.Range{File: f.Path}
		if d.Subject != nil {
			at.Start = parsers.Pos{Line: d.Subject.Start.Line, Col: d.Subject.Start.Column}
			at.End = at.Start
		}
		m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: at,
			Message: "templatefile() cannot read this template: " + d.Summary + ": " + d.Detail})
		cd.Unknown = "bad template"
		return cd
	}
	tv, _ := m.eval(call.Args[1], vars).UnmarkDeep()
	tvars := map[string]cty.Value{}
	if tv.IsKnown() && !tv.IsNull() && (tv.Type().IsObjectType() || tv.Type().IsMapType()) {
		for it := tv.ElementIterator(); it.Next(); {
			k, v := it.Element()
			tvars[k.AsString()] = v
		}
	}
	var parts []hclsyntax.Expression
	switch t := tmpl.(type) {
	case *hclsyntax.TemplateExpr:
		parts = t.Parts
	case *hclsyntax.TemplateWrapExpr:
		parts = []hclsyntax.Expression{t.Wrapped}
	default:
		parts = []hclsyntax.Expression{t}
	}
	cd.Text, cd.Lines = m.templateText(parts, vars, tvars)
	return cd
}

// templateText joins the parts of a template as Terraform renders it:
// literal text as written, and each interpolation's value when known,
// else its source text as a placeholder (the ECS parser takes it as an
// unknown value). lines maps each line of the text to the source line.
func (m *modInst) templateText(parts []hclsyntax.Expression, vars, tvars map[string]cty.Value) ([]byte, []int) {
	var b strings.Builder
	lines := []int{}
	extra := vars
	if len(tvars) > 0 {
		extra = make(map[string]cty.Value, len(vars)+len(tvars))
		for k, v := range vars {
			extra[k] = v
		}
		for k, v := range tvars {
			extra[k] = v
		}
	}
	write := func(s string, from, to int) {
		if len(lines) == 0 {
			lines = append(lines, from)
		}
		line := from
		for _, r := range s {
			b.WriteRune(r)
			if r == '\n' {
				if line < to {
					line++
				}
				lines = append(lines, line)
			}
		}
	}
	for i, p := range parts {
		if i == maxTemplateParts {
			break
		}
		r := p.Range()
		if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			write(lit.Val.AsString(), r.Start.Line, r.End.Line)
			continue
		}
		v, _ := m.eval(p, extra).UnmarkDeep()
		if v.IsWhollyKnown() && !v.IsNull() {
			if s, err := convert.Convert(v, cty.String); err == nil {
				write(s.AsString(), r.Start.Line, r.Start.Line)
				continue
			}
		}
		write(placeholderFor(p), r.Start.Line, r.Start.Line)
	}
	return []byte(b.String()), lines
}

// placeholderFor is an interpolation left unknown, written as ${…} so
// that the ECS parser reads it as a placeholder: the variable it names
// when it is a plain reference, else ${?}.
func placeholderFor(p hclsyntax.Expression) string {
	if t, ok := p.(*hclsyntax.ScopeTraversalExpr); ok {
		var s strings.Builder
		s.WriteString(t.Traversal.RootName())
		for _, step := range t.Traversal[1:] {
			if a, ok := step.(hcl.TraverseAttr); ok {
				s.WriteString("." + a.Name)
			} else {
				return "${?}"
			}
		}
		return "${" + s.String() + "}"
	}
	return "${?}"
}
