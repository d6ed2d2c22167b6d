package terraform

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// Kubernetes objects written in Terraform (the hashicorp/kubernetes
// provider) are read here into a neutral tree of maps, lists and scalars
// with the HCL lines of every value, shaped as the object's manifest
// (camelCase keys, repeated blocks as lists): the topology package hands
// that tree to the Kubernetes reader, so that the same rules see them as
// YAML manifests. A value Terraform knows only at apply time (a variable
// without a default, a resource attribute, a dynamic block over an unknown
// collection) is a KubeUnknown node: never a value, never "missing".

// KubeKind says what a KubeNode holds.
type KubeKind uint8

// Node kinds.
const (
	KubeMap KubeKind = iota + 1
	KubeList
	KubeScalar
	KubeUnknown
)

// KubeNode is one value of a Kubernetes object written in HCL.
type KubeNode struct {
	Kind  KubeKind
	Keys  []KubeKey   // KubeMap entries, in source order
	Items []*KubeNode // KubeList elements
	// Value is a scalar as Kubernetes reads it ("512Mi", "80", "true");
	// Quoted is true when it was written as a string literal.
	Value  string
	Quoted bool
	// Range is where the value is written: the literal itself, or the
	// expression it was computed from.
	Range parsers.Range
	// Refs are the resources the value refers to (aws_lb_target_group.x).
	Refs []Ref
	// Symbol names an unknown value that is exactly a variable of its
	// module instance ("var.routing.service_name", with " of module.x"
	// outside the root module), written directly or through locals, object
	// constructors and merge: two unknown nodes with the same Symbol hold
	// the same value. "" when hoplint cannot tell.
	Symbol string
}

// KubeKey is one entry of a KubeMap.
type KubeKey struct {
	Name  string
	Range parsers.Range
	Value *KubeNode
}

// Get follows map keys; nil when one is absent.
func (n *KubeNode) Get(keys ...string) *KubeNode {
	for _, k := range keys {
		if n == nil || n.Kind != KubeMap {
			return nil
		}
		var next *KubeNode
		for _, e := range n.Keys {
			if e.Name == k {
				next = e.Value
			}
		}
		n = next
	}
	return n
}

// KubeObject is one Kubernetes object a resource instance creates.
type KubeObject struct {
	Object
	File *parsers.File
	// Root holds apiVersion, kind, metadata, spec (data for a ConfigMap).
	Root *KubeNode
	// Whole is the resource block, header to closing brace.
	Whole parsers.Range
}

type kubeKind struct{ api, kind string }

// kubeResources maps the provider's typed resources to the objects they
// create. kubernetes_ingress (without _v1) is the provider's
// extensions/v1beta1 Ingress.
var kubeResources = map[string]kubeKind{
	"kubernetes_deployment": {"apps/v1", "Deployment"}, "kubernetes_deployment_v1": {"apps/v1", "Deployment"},
	"kubernetes_stateful_set": {"apps/v1", "StatefulSet"}, "kubernetes_stateful_set_v1": {"apps/v1", "StatefulSet"},
	"kubernetes_daemonset": {"apps/v1", "DaemonSet"}, "kubernetes_daemon_set_v1": {"apps/v1", "DaemonSet"},
	"kubernetes_pod": {"v1", "Pod"}, "kubernetes_pod_v1": {"v1", "Pod"},
	"kubernetes_service": {"v1", "Service"}, "kubernetes_service_v1": {"v1", "Service"},
	"kubernetes_ingress": {"networking.k8s.io/v1beta1", "Ingress"}, "kubernetes_ingress_v1": {"networking.k8s.io/v1", "Ingress"},
	"kubernetes_config_map": {"v1", "ConfigMap"}, "kubernetes_config_map_v1": {"v1", "ConfigMap"},
}

// maxKubeNodes bounds the values read per object: dynamic blocks over
// large collections must not multiply without end.
const maxKubeNodes = 20000

// extractKubernetes reads the Kubernetes objects of one resource, every
// instance. Only native-syntax (.tf) resources are read.
func (m *modInst) extractKubernetes(r *resourceDecl) {
	kk, typed := kubeResources[r.typ]
	if !typed && r.typ != "kubernetes_manifest" {
		return
	}
	body, ok := r.body.(*hclsyntax.Body)
	if !ok {
		return
	}
	f := m.fileOf(r.decl.Filename)
	if f == nil {
		return
	}
	insts := m.instances(r.count, r.forEach)
	for _, in := range insts {
		w := &kubeWalker{m: m, budget: maxKubeNodes}
		var root *KubeNode
		manifest := body.Attributes["manifest"]
		switch {
		case typed:
			root = w.typed(body, in.vars, kk)
		case manifest == nil:
			// Terraform refuses the resource ("The argument "manifest" is
			// required"); there is no object to lint.
			m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: m.rng(r.decl),
				Message: "kubernetes_manifest." + r.name + " has no manifest argument, which Terraform requires, so there is no object to lint; add manifest = { apiVersion = …, kind = …, … }"})
			return
		default:
			root = w.value(m.eval(manifest.Expr, in.vars), manifest.Expr, manifest.Expr, nil)
		}
		if w.budget < 0 {
			m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: m.rng(r.decl),
				Message: fmt.Sprintf("%s.%s writes more than %d values (dynamic blocks over large collections?); hoplint does not lint this Kubernetes object", r.typ, r.name, maxKubeNodes)})
			continue
		}
		if root == nil || root.Kind != KubeMap {
			if !typed {
				// A manifest read from a file (yamldecode(file(…))) or
				// computed from unknown values: say so, never stay silent.
				m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: m.rng(manifest.SrcRange),
					Message: "the manifest of kubernetes_manifest." + r.name + " is known only when Terraform applies (hoplint does not read files through file() or decode them, and leaves values of other resources unknown), so this object is not linted"})
			}
			continue
		}
		m.l.res.Kubernetes = append(m.l.res.Kubernetes, &KubeObject{
			Object: Object{Type: r.typ, Name: r.name, Key: in.key, Keyed: in.keyed, KeyUnknown: in.unknown,
				Single: len(insts) == 1 && !in.unknown, Module: m.path, Range: m.rng(r.decl)},
			File: f, Root: root, Whole: m.rng(body.SrcRange),
		})
	}
}

type kubeWalker struct {
	m      *modInst
	budget int
}

func (w *kubeWalker) spend() bool {
	w.budget--
	return w.budget >= 0
}

// typed builds the manifest of a typed resource: apiVersion and kind from
// the resource type, metadata and spec from its blocks, data (a ConfigMap)
// from its attribute.
func (w *kubeWalker) typed(b *hclsyntax.Body, vars map[string]cty.Value, kk kubeKind) *KubeNode {
	at := w.m.rng(b.SrcRange)
	root := &KubeNode{Kind: KubeMap, Range: at}
	root.Keys = append(root.Keys,
		KubeKey{Name: "apiVersion", Range: at, Value: &KubeNode{Kind: KubeScalar, Value: kk.api, Range: at}},
		KubeKey{Name: "kind", Range: at, Value: &KubeNode{Kind: KubeScalar, Value: kk.kind, Range: at}})
	full := w.block(b, vars, "")
	for _, e := range full.Keys {
		switch e.Name {
		case "metadata", "spec":
			if e.Value.Kind == KubeList { // written once: a map
				if len(e.Value.Items) > 0 {
					e.Value = e.Value.Items[0]
				}
			}
			root.Keys = append(root.Keys, e)
		case "data":
			if kk.kind == "ConfigMap" {
				root.Keys = append(root.Keys, e)
			}
		}
	}
	return root
}

// listBlocks are the provider's nested blocks that repeat, with the list
// field of the manifest they fill.
var listBlocks = map[string]string{
	"container": "containers", "init_container": "initContainers", "volume": "volumes",
	"volume_mount": "volumeMounts", "env": "env", "env_from": "envFrom", "toleration": "tolerations",
	"rule": "rules", "tls": "tls", "items": "items", "sources": "sources", "port": "ports",
	"host_aliases": "hostAliases", "image_pull_secrets": "imagePullSecrets",
	"topology_spread_constraint": "topologySpreadConstraints",
}

// blockField returns the manifest field a nested block of type typ fills
// inside a block of type parent, and whether it is a list.
func blockField(parent, typ string) (string, bool) {
	switch {
	case typ == "port" && parent == "service":
		return "port", false // an Ingress backend's service { port { number } }
	case typ == "path" && parent == "http":
		return "paths", true
	}
	if f, ok := listBlocks[typ]; ok {
		return f, true
	}
	return camel(typ), false
}

// block reads a block body: attributes (with camelCase names, values as
// evaluated), nested blocks (repeated ones as lists) and dynamic blocks,
// expanded over their for_each when it is known and unknown otherwise.
func (w *kubeWalker) block(b *hclsyntax.Body, vars map[string]cty.Value, typ string) *KubeNode {
	n := &KubeNode{Kind: KubeMap, Range: w.m.rng(b.SrcRange)}
	if !w.spend() {
		return n
	}
	type item struct {
		pos  int
		attr *hclsyntax.Attribute
		blk  *hclsyntax.Block
	}
	var items []item
	for _, a := range b.Attributes {
		items = append(items, item{pos: a.SrcRange.Start.Byte, attr: a})
	}
	for _, blk := range b.Blocks {
		items = append(items, item{pos: blk.TypeRange.Start.Byte, blk: blk})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].pos < items[j].pos })
	lists := map[string]*KubeNode{}
	add := func(field string, list bool, key hcl.Range, v *KubeNode) {
		if !list {
			n.Keys = append(n.Keys, KubeKey{Name: field, Range: w.m.rng(key), Value: v})
			return
		}
		l := lists[field]
		if l == nil {
			l = &KubeNode{Kind: KubeList, Range: v.Range}
			lists[field] = l
			n.Keys = append(n.Keys, KubeKey{Name: field, Range: w.m.rng(key), Value: l})
		}
		l.Items = append(l.Items, v)
	}
	for _, it := range items {
		if w.budget < 0 {
			break
		}
		if a := it.attr; a != nil {
			if v := w.value(w.m.eval(a.Expr, vars), a.Expr, a.Expr, nil); v != nil {
				add(camel(a.Name), false, a.NameRange, v)
			}
			continue
		}
		blk := it.blk
		if blk.Type != "dynamic" {
			field, list := blockField(typ, blk.Type)
			add(field, list, blk.TypeRange, w.block(blk.Body, vars, blk.Type))
			continue
		}
		if len(blk.Labels) != 1 {
			continue
		}
		name := blk.Labels[0]
		field, list := blockField(typ, name)
		for _, v := range w.dynamic(blk, vars, name) {
			add(field, list, blk.LabelRanges[0], v)
		}
	}
	return n
}

// dynamic expands a dynamic block: one body per element of a known
// for_each, or one unknown node when the collection is known only at
// apply time.
func (w *kubeWalker) dynamic(blk *hclsyntax.Block, vars map[string]cty.Value, name string) []*KubeNode {
	fe := blk.Body.Attributes["for_each"]
	var content *hclsyntax.Block
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	unknown := []*KubeNode{{Kind: KubeUnknown, Range: w.m.rng(blk.TypeRange)}}
	if fe == nil || content == nil {
		return unknown
	}
	iter := name
	if a := blk.Body.Attributes["iterator"]; a != nil {
		if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
			iter = kw
		}
	}
	v, _ := w.m.eval(fe.Expr, vars).UnmarkDeep()
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return unknown
	}
	var out []*KubeNode
	for it := v.ElementIterator(); it.Next(); {
		if w.budget < 0 {
			break
		}
		k, ev := it.Element()
		child := make(map[string]cty.Value, len(vars)+1)
		for vk, vv := range vars {
			child[vk] = vv
		}
		child[iter] = cty.ObjectVal(map[string]cty.Value{"key": k, "value": ev})
		out = append(out, w.block(content.Body, child, name))
	}
	return out
}

// value turns an evaluated value into a node; ranges come from the object
// and tuple constructors written in expr where there are some, else from
// expr itself. A null value is nil: the field is not sent.
//
// sym is the expression that yields exactly this value, when hoplint can
// follow it (nil otherwise), for Symbol.
func (w *kubeWalker) value(v cty.Value, expr, sym hcl.Expression, inherited []Ref) *KubeNode {
	if !w.spend() {
		return nil
	}
	v, marks := v.Unmark()
	refs := inherited
	for mk := range marks {
		if r, ok := mk.(Ref); ok {
			refs = append(refs, r)
		}
	}
	n := &KubeNode{Range: w.m.rng(expr.Range()), Refs: refs}
	if r, ok := writtenRange(marks); ok {
		n.Range = r
	}
	if !v.IsKnown() {
		n.Kind = KubeUnknown
		n.Symbol = w.symbol(sym)
		return n
	}
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		n.Kind, n.Value = KubeScalar, v.AsString()
		_, n.Quoted = expr.(*hclsyntax.TemplateExpr)
	case ty == cty.Number:
		n.Kind, n.Value = KubeScalar, v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		n.Kind, n.Value = KubeScalar, "false"
		if v.True() {
			n.Value = "true"
		}
	case ty.IsObjectType() || ty.IsMapType():
		n.Kind = KubeMap
		keys := map[string]hcl.Range{}
		exprs := map[string]hcl.Expression{}
		if oc, ok := unwrap(expr).(*hclsyntax.ObjectConsExpr); ok {
			for _, it := range oc.Items {
				if k := itemKey(it.KeyExpr); k != "" {
					keys[k], exprs[k] = it.KeyExpr.Range(), it.ValueExpr
				}
			}
		}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			name := k.AsString()
			kr, ok := keys[name]
			ex := exprs[name]
			if !ok {
				kr, ex = expr.Range(), expr
			}
			if c := w.value(ev, ex, w.symItem(sym, name, 0), refs); c != nil {
				n.Keys = append(n.Keys, KubeKey{Name: name, Range: w.m.rng(kr), Value: c})
			}
		}
		sort.SliceStable(n.Keys, func(i, j int) bool { return n.Keys[i].Range.Less(n.Keys[j].Range) })
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		n.Kind = KubeList
		var elems []hclsyntax.Expression
		if tc, ok := unwrap(expr).(*hclsyntax.TupleConsExpr); ok && tc.Exprs != nil && len(tc.Exprs) == v.LengthInt() {
			elems = tc.Exprs
		}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			ex := expr
			if elems != nil {
				ex = elems[i]
			}
			if c := w.value(ev, ex, nil, refs); c != nil {
				n.Items = append(n.Items, c)
			}
		}
	default:
		n.Kind = KubeUnknown
	}
	return n
}

// resolve follows parentheses and references to locals of the module to
// the expression that computes the value.
func (w *kubeWalker) resolve(e hcl.Expression) hcl.Expression {
	for depth := 0; e != nil && depth < 16; depth++ {
		e = unwrap(e)
		t, ok := e.(*hclsyntax.ScopeTraversalExpr)
		if !ok || t.Traversal.RootName() != "local" || len(t.Traversal) != 2 {
			return e
		}
		attr, ok := t.Traversal[1].(hcl.TraverseAttr)
		if !ok || w.m.dir.locals[attr.Name] == nil {
			return e
		}
		e = w.m.dir.locals[attr.Name].Expr
	}
	return nil
}

// symbol names the value of e when e is a variable, or an attribute of a
// resource or data source, written as a plain reference
// (var.routing.service_name, kubernetes_namespace_v1.this.metadata[0].name):
// the same in every place of this module instance.
func (w *kubeWalker) symbol(e hcl.Expression) string {
	t, ok := w.resolve(e).(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(t.Traversal) < 2 {
		return ""
	}
	root := t.Traversal.RootName()
	if root != "var" && root != "data" && !w.m.dir.types[root] {
		return "" // each, count, self, path: not one value per module instance
	}
	s := root
	for _, step := range t.Traversal[1:] {
		switch st := step.(type) {
		case hcl.TraverseAttr:
			s += "." + st.Name
		case hcl.TraverseIndex:
			switch {
			case st.Key.Type() == cty.String && st.Key.IsKnown():
				s += "[" + strconv.Quote(st.Key.AsString()) + "]"
			case st.Key.Type() == cty.Number && st.Key.IsKnown():
				s += "[" + st.Key.AsBigFloat().Text('f', -1) + "]"
			default:
				return ""
			}
		default:
			return ""
		}
	}
	if w.m.path != "" {
		s += " of " + w.m.path
	}
	return s
}

// symItem returns the expression written for key in the object e
// computes: an object constructor's item, or the last argument of merge
// that has the key (later arguments whose known value lacks it are
// skipped). nil when hoplint cannot tell.
func (w *kubeWalker) symItem(e hcl.Expression, key string, depth int) hcl.Expression {
	if e == nil || depth > 8 {
		return nil
	}
	switch x := w.resolve(e).(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			if itemKey(it.KeyExpr) == key {
				return it.ValueExpr
			}
		}
	case *hclsyntax.FunctionCallExpr:
		if x.Name != "merge" || x.ExpandFinal {
			return nil
		}
		for i := len(x.Args) - 1; i >= 0; i-- {
			a := w.resolve(x.Args[i])
			if oc, ok := a.(*hclsyntax.ObjectConsExpr); ok {
				if it := w.symItem(oc, key, depth+1); it != nil {
					return it
				}
				continue
			}
			t, ok := a.(*hclsyntax.ScopeTraversalExpr)
			if !ok || t.Traversal.RootName() != "var" {
				return nil
			}
			v, _ := w.m.eval(a, nil).UnmarkDeep()
			if !v.IsWhollyKnown() || v.IsNull() || (!v.Type().IsMapType() && !v.Type().IsObjectType()) {
				return nil
			}
			if v.Type().IsObjectType() && v.Type().HasAttribute(key) || v.Type().IsMapType() && v.HasIndex(cty.StringVal(key)).True() {
				return nil // the variable sets it: its value is known, not this item
			}
		}
	}
	return nil
}

func unwrap(e hcl.Expression) hcl.Expression {
	for {
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			return e
		}
		e = p.Expression
	}
}

// itemKey is an object constructor key as written: a bare word or a
// literal string.
func itemKey(e hcl.Expression) string {
	if k := hcl.ExprAsKeyword(e); k != "" {
		return k
	}
	if kv, d := e.Value(nil); !d.HasErrors() && kv.Type() == cty.String && kv.IsKnown() && !kv.IsNull() {
		return kv.AsString()
	}
	return ""
}

// camel turns the provider's snake_case names into the manifest's
// camelCase ones (termination_grace_period_seconds →
// terminationGracePeriodSeconds).
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if p := parts[i]; p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}
