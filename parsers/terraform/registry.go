package terraform

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// Registry modules hoplint understands from their documented inputs,
// without downloading them.
const (
	RegistryALB        = "terraform-aws-modules/alb/aws"
	RegistryELB        = "terraform-aws-modules/elb/aws"
	RegistryCloudFront = "terraform-aws-modules/cloudfront/aws"
)

// registryKind recognises a module source as one of the registry modules
// hoplint models: the registry address (with or without its host) or the
// module's GitHub repository. A submodule ("…//modules/x") is not the
// module itself.
func registryKind(src string) string {
	s := strings.ToLower(strings.TrimSpace(src))
	s = strings.TrimPrefix(s, "registry.terraform.io/")
	s = strings.TrimPrefix(s, "git::")
	s = strings.TrimPrefix(s, "https://")
	s = strings.TrimPrefix(s, "ssh://git@")
	s = strings.TrimPrefix(s, "git@github.com:")
	if i := strings.Index(s, "?"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
	if strings.Contains(s, "//") {
		return registrySubmodule(s)
	}
	switch s {
	case RegistryALB, "github.com/terraform-aws-modules/terraform-aws-alb":
		return RegistryALB
	case RegistryELB, "github.com/terraform-aws-modules/terraform-aws-elb":
		return RegistryELB
	case RegistryCloudFront, "github.com/terraform-aws-modules/terraform-aws-cloudfront":
		return RegistryCloudFront
	}
	return ""
}

// node is a part of a module input: its value without marks, the marks
// found anywhere in the input (with their paths), and the syntax it was
// written with when hoplint can find it, for ranges.
type node struct {
	m      *modInst
	val    cty.Value // unmarked; NilVal when absent
	pvm    []cty.PathValueMarks
	path   cty.Path
	expr   hcl.Expression // nil when the value was not written literally here
	rng    parsers.Range
	exists bool
}

func (m *modInst) inputNode(c *moduleCall, inputs map[string]cty.Value, name string) node {
	v, ok := inputs[name]
	a := c.inputs[name]
	if !ok || a == nil {
		return node{m: m, rng: m.rng(c.decl)}
	}
	un, pvm := v.UnmarkDeepWithPaths()
	return node{m: m, val: un, pvm: pvm, expr: a.Expr, rng: m.rng(a.Range), exists: true}
}

// get descends into an attribute or map key.
func (n node) get(name string) node {
	out := node{m: n.m, rng: n.rng, path: n.path.Copy().GetAttr(name)}
	out.pvm = n.pvm
	if !n.exists || n.val == cty.NilVal {
		return out
	}
	v := n.val
	switch {
	case !v.IsKnown():
		out.val, out.exists = cty.DynamicVal, true
	case v.IsNull():
		return out
	case v.Type().IsObjectType():
		if !v.Type().HasAttribute(name) {
			return out
		}
		out.val, out.exists = v.GetAttr(name), true
	case v.Type().IsMapType():
		k := cty.StringVal(name)
		if hv := v.HasIndex(k); !hv.IsKnown() || !hv.True() {
			return out
		}
		out.val, out.exists = v.Index(k), true
	default:
		return out
	}
	if e, r := findItem(n.expr, name); e != nil {
		out.expr, out.rng = e, n.m.rng(r)
	}
	return out
}

// keys lists the keys of a map or object input, sorted.
func (n node) keys() []string {
	if !n.exists || !n.val.IsKnown() || n.val.IsNull() {
		return nil
	}
	ty := n.val.Type()
	if !ty.IsMapType() && !ty.IsObjectType() {
		return nil
	}
	var ks []string
	for it := n.val.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		ks = append(ks, k.AsString())
	}
	sort.Strings(ks)
	return ks
}

// elems lists the elements of a list or tuple input.
func (n node) elems() []node {
	if !n.exists || !n.val.IsKnown() || n.val.IsNull() {
		return nil
	}
	ty := n.val.Type()
	if !ty.IsListType() && !ty.IsTupleType() {
		return nil
	}
	var out []node
	i := 0
	for it := n.val.ElementIterator(); it.Next(); i++ {
		_, ev := it.Element()
		e := node{m: n.m, val: ev, pvm: n.pvm, path: n.path.Copy().IndexInt(i), rng: n.rng, exists: true}
		if tc, ok := n.expr.(*hclsyntax.TupleConsExpr); ok && i < len(tc.Exprs) {
			e.expr, e.rng = tc.Exprs[i], n.m.rng(tc.Exprs[i].Range())
		}
		out = append(out, e)
	}
	return out
}

// isKeyed reports whether the input is a map/object (the shape modern
// module versions take), as opposed to a list (older versions).
func (n node) isKeyed() bool {
	return n.exists && n.val.IsKnown() && !n.val.IsNull() && (n.val.Type().IsMapType() || n.val.Type().IsObjectType())
}

func (n node) value() Value {
	if !n.exists {
		return Value{}
	}
	v := Value{Val: n.val, Set: true, Known: n.val.IsWhollyKnown(), Range: n.rng}
	seenO := map[origin]bool{}
	seenR := map[Ref]bool{}
	for _, pm := range n.pvm {
		if !pathRelated(pm.Path, n.path) {
			continue
		}
		for mk := range pm.Marks {
			switch mk := mk.(type) {
			case origin:
				if !seenO[mk] {
					seenO[mk] = true
					v.Via = append(v.Via, mk.related())
				}
			case Ref:
				if !seenR[mk] {
					seenR[mk] = true
					v.Refs = append(v.Refs, mk)
				}
			}
		}
	}
	return v
}

func (n node) str() (string, bool) { return n.value().Str() }

// pathRelated: one path is a prefix of the other (a mark on a parent
// applies to its parts; a mark inside a value belongs to the value).
func pathRelated(a, b cty.Path) bool {
	n := len(a)
	if len(b) < n {
		n = len(b)
	}
	for i := 0; i < n; i++ {
		// GetAttr and a string Index name the same step in objects and maps.
		if ka := stepKey(a[i]); ka == "" || ka != stepKey(b[i]) {
			return false
		}
	}
	return true
}

func stepKey(s cty.PathStep) string {
	switch s := s.(type) {
	case cty.GetAttrStep:
		return "s:" + s.Name
	case cty.IndexStep:
		if s.Key.Type() == cty.String && s.Key.IsKnown() {
			return "s:" + s.Key.AsString()
		}
		if s.Key.Type() == cty.Number && s.Key.IsKnown() {
			return "n:" + s.Key.AsBigFloat().String()
		}
	}
	return ""
}

// findItem finds the value written for key name in an object constructor.
func findItem(expr hcl.Expression, name string) (hcl.Expression, hcl.Range) {
	oc, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil, hcl.Range{}
	}
	for _, it := range oc.Items {
		k := hcl.ExprAsKeyword(it.KeyExpr)
		if k == "" {
			if kv, d := it.KeyExpr.Value(nil); !d.HasErrors() && kv.Type() == cty.String && kv.IsKnown() && !kv.IsNull() {
				k = kv.AsString()
			}
		}
		if k == name {
			return it.ValueExpr, hcl.RangeBetween(it.KeyExpr.Range(), it.ValueExpr.Range())
		}
	}
	return nil, hcl.Range{}
}

// literal makes a value the module itself supplies (its own variable
// default), pointing at the module block.
func (m *modInst) literal(c *moduleCall, v cty.Value, why string) Value {
	r := m.rng(c.decl)
	return Value{Val: v, Set: true, Known: true, Range: r, Via: []parsers.Related{{Range: r, Message: why}}}
}

// enabled reads a module's on/off switch; absent means on.
func enabled(n node) bool {
	if !n.exists {
		return true
	}
	b, ok := n.value().Bool()
	return ok && b
}

// registry models a registry module call from its inputs: the objects the
// module would create, appended to the result, and the outputs a caller
// may refer to.
func (m *modInst) registry(kind string, c *moduleCall, in instance, modPath string, inputs map[string]cty.Value) cty.Value {
	get := func(name string) node { return m.inputNode(c, inputs, name) }
	// Every resource of these modules is named "this".
	base := func(typ, key string) Object {
		return Object{Type: typ, Name: "this", Key: key, Keyed: key != "", Single: key == "0", Module: modPath, Root: m.rootRel, Range: m.rng(c.decl), Registry: kind}
	}
	switch kind {
	case RegistryECSService:
		return m.ecsService(c, modPath, inputs)
	case RegistryALB:
		if !enabled(get("create")) {
			return cty.EmptyObjectVal
		}
		lbObj := base("aws_lb", "0")
		lbRef := Ref{Module: modPath, Type: "aws_lb", Name: "this", Key: "0"}
		lb := &LoadBalancer{Object: lbObj,
			LoadBalancerType: get("load_balancer_type").value(), IdleTimeout: get("idle_timeout").value(),
			ClientKeepAlive: get("client_keep_alive").value(), EnableHTTP2: get("enable_http2").value()}
		m.l.res.LoadBalancers = append(m.l.res.LoadBalancers, lb)
		defPort, defProto := get("default_port").value(), get("default_protocol").value()
		if defPort.Defaulted() {
			defPort = m.literal(c, cty.NumberIntVal(80), "the module's default_port is 80")
		}
		if defProto.Defaulted() {
			defProto = m.literal(c, cty.StringVal("HTTP"), "the module's default_protocol is \"HTTP\"")
		}
		orDefault := func(v, d Value) Value {
			if v.Defaulted() {
				return d
			}
			return v
		}
		tgRef := func(key string) Ref {
			return Ref{Module: modPath, Type: "aws_lb_target_group", Name: "this", Key: strconv.Quote(key)}
		}
		tgOutputs := map[string]cty.Value{}
		tgs := get("target_groups")
		if tgs.isKeyed() {
			for _, k := range tgs.keys() {
				t := tgs.get(k)
				tg := &TargetGroup{Object: base("aws_lb_target_group", strconv.Quote(k)),
					ProtocolVersion: t.get("protocol_version").value(), TargetType: t.get("target_type").value(),
					DeregistrationDelay: t.get("deregistration_delay").value(), HealthCheckPath: t.get("health_check").get("path").value(),
					TGName: t.get("name").value()}
				if tt, _ := tg.TargetType.Str(); tt != "lambda" {
					tg.Port = orDefault(t.get("port").value(), defPort)
					tg.Protocol = orDefault(t.get("protocol").value(), defProto)
				}
				m.l.res.TargetGroups = append(m.l.res.TargetGroups, tg)
				if id := t.get("target_id"); id.exists && enabled(t.get("create_attachment")) {
					m.l.res.Attachments = append(m.l.res.Attachments, &Attachment{
						Object:      base("aws_lb_target_group_attachment", strconv.Quote(k)),
						TargetGroup: Value{Set: true, Val: cty.DynamicVal, Range: t.rng, Refs: []Ref{tgRef(k)}},
						TargetID:    id.value(), Port: tg.Port})
				}
				tgOutputs[k] = cty.DynamicVal.Mark(tgRef(k))
			}
		}
		forward := func(n node) []Forward {
			var out []Forward
			add := func(f node) {
				if key, ok := f.get("target_group_key").str(); ok {
					out = append(out, Forward{TargetGroup: Value{Set: true, Val: cty.DynamicVal, Range: f.get("target_group_key").rng, Refs: []Ref{tgRef(key)}}})
				} else if arn := f.get("target_group_arn"); arn.exists {
					out = append(out, Forward{TargetGroup: arn.value()})
				}
			}
			if f := n.get("forward"); f.exists && f.val.IsKnown() && !f.val.IsNull() {
				add(f)
			}
			if w := n.get("weighted_forward"); w.exists {
				for _, t := range w.get("target_groups").elems() {
					add(t)
				}
			}
			return out
		}
		lsOutputs := map[string]cty.Value{}
		ls := get("listeners")
		if ls.isKeyed() {
			for _, k := range ls.keys() {
				n := ls.get(k)
				lRef := Ref{Module: modPath, Type: "aws_lb_listener", Name: "this", Key: strconv.Quote(k)}
				l := &Listener{Object: base("aws_lb_listener", strconv.Quote(k)),
					LoadBalancer: Value{Set: true, Val: cty.DynamicVal, Range: n.rng, Refs: []Ref{lbRef}},
					Port:         orDefault(n.get("port").value(), defPort),
					Protocol:     orDefault(n.get("protocol").value(), defProto),
					Forwards:     forward(n)}
				// The module passes tcp_idle_timeout_seconds only to TCP listeners.
				if p, _ := l.Protocol.Str(); p == "TCP" {
					l.TCPIdleTimeoutSeconds = n.get("tcp_idle_timeout_seconds").value()
				}
				m.l.res.Listeners = append(m.l.res.Listeners, l)
				lsOutputs[k] = cty.DynamicVal.Mark(lRef)
				rules := n.get("rules")
				for _, rk := range rules.keys() {
					r := rules.get(rk)
					rule := &ListenerRule{Object: base("aws_lb_listener_rule", strconv.Quote(k+"/"+rk)),
						Listener: Value{Set: true, Val: cty.DynamicVal, Range: r.rng, Refs: []Ref{lRef}}}
					for _, a := range r.get("actions").elems() {
						rule.Forwards = append(rule.Forwards, forward(a)...)
					}
					m.l.res.ListenerRules = append(m.l.res.ListenerRules, rule)
				}
			}
		}
		lbOut := cty.DynamicVal.Mark(lbRef)
		return cty.ObjectVal(map[string]cty.Value{
			"arn": lbOut, "arn_suffix": lbOut, "dns_name": lbOut, "id": lbOut, "zone_id": lbOut,
			"target_groups": cty.ObjectVal(tgOutputs), "listeners": cty.ObjectVal(lsOutputs),
		})
	case RegistryELB:
		if !enabled(get("create_elb")) {
			return cty.EmptyObjectVal
		}
		elbPath := modPath + ".module.elb"
		ref := Ref{Module: elbPath, Type: "aws_elb", Name: "this", Key: "0"}
		o := base("aws_elb", "0")
		o.Module = elbPath
		elb := &ClassicELB{Object: o, IdleTimeout: get("idle_timeout").value(),
			ConnectionDraining: get("connection_draining").value(), ConnectionDrainingTimeout: get("connection_draining_timeout").value()}
		for _, l := range get("listener").elems() {
			elb.Listeners = append(elb.Listeners, &ELBListener{Range: l.rng,
				InstancePort: l.get("instance_port").value(), InstanceProtocol: l.get("instance_protocol").value(),
				LBPort: l.get("lb_port").value(), LBProtocol: l.get("lb_protocol").value()})
		}
		m.l.res.ClassicELBs = append(m.l.res.ClassicELBs, elb)
		out := cty.DynamicVal.Mark(ref)
		return cty.ObjectVal(map[string]cty.Value{"elb_id": out, "elb_arn": out, "elb_name": out, "elb_dns_name": out, "elb_zone_id": out})
	case RegistryCloudFront:
		if !enabled(get("create_distribution")) || !enabled(get("create")) {
			return cty.EmptyObjectVal
		}
		ref := Ref{Module: modPath, Type: "aws_cloudfront_distribution", Name: "this", Key: "0"}
		d := &Distribution{Object: base("aws_cloudfront_distribution", "0")}
		origins := get("origin")
		for _, k := range origins.keys() {
			n := origins.get(k)
			o := &Origin{Distribution: d, Range: n.rng, DomainName: n.get("domain_name").value()}
			if id := n.get("origin_id"); id.exists && !id.value().Defaulted() {
				o.OriginID = id.value()
			} else {
				o.OriginID = Value{Val: cty.StringVal(k), Set: true, Known: true, Range: n.rng}
			}
			if cc := n.get("custom_origin_config"); cc.exists && cc.val.IsKnown() && !cc.val.IsNull() {
				o.Custom, o.CustomRange = true, cc.rng
				o.HTTPPort, o.HTTPSPort = cc.get("http_port").value(), cc.get("https_port").value()
				o.OriginProtocolPolicy = cc.get("origin_protocol_policy").value()
				o.OriginKeepaliveTimeout = cc.get("origin_keepalive_timeout").value()
				o.OriginReadTimeout = cc.get("origin_read_timeout").value()
			}
			d.Origins = append(d.Origins, o)
		}
		m.l.res.Distributions = append(m.l.res.Distributions, d)
		out := cty.DynamicVal.Mark(ref)
		return cty.ObjectVal(map[string]cty.Value{
			"cloudfront_distribution_id": out, "cloudfront_distribution_arn": out,
			"cloudfront_distribution_domain_name": out, "cloudfront_distribution_hosted_zone_id": out,
		})
	}
	_ = in
	return cty.DynamicVal
}
