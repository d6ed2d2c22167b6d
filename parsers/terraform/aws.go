package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// Object is what every AWS object hoplint reads has in common: which
// resource (instance) it is and where it is declared.
type Object struct {
	// Type is the resource type ("aws_lb", "aws_alb"); for an object a
	// registry module creates, the type that module uses.
	Type string
	Name string
	// Key is the count/for_each key as Terraform writes it ("0",
	// "\"blue\""); "" for a single resource.
	Key string
	// Keyed: the resource has count or for_each; KeyUnknown: hoplint could
	// not tell the keys, so this one object stands for all instances.
	Keyed, KeyUnknown bool
	// Single: count made exactly one instance (count = 1 ? … : 0), so a
	// name may leave the key out.
	Single bool
	// Module is the module path ("" for a root module, "module.alb").
	Module string
	// Root is the directory of the root module this instance was evaluated
	// from (slash-separated, relative to the working directory): a child
	// module that two roots call (env/prod and env/staging both using
	// modules/alb) makes objects that differ only by it.
	Root string
	// Range is the declaration: the resource block header, or the module
	// block of a registry module.
	Range parsers.Range
	// Registry names the registry module this object was modelled from
	// ("terraform-aws-modules/alb/aws"); "" for a resource read from source.
	Registry string
}

// Address is the Terraform address: module.alb.aws_lb.this[0].
func (o *Object) Address() string {
	s := o.Type + "." + o.Name
	if o.Keyed {
		if o.KeyUnknown {
			s += "[*]"
		} else {
			s += "[" + o.Key + "]"
		}
	}
	if o.Module != "" {
		s = o.Module + "." + s
	}
	return s
}

// Matches reports whether reference r points at this object.
func (o *Object) Matches(r Ref) bool {
	if r.Module != o.Module || r.Type != o.Type || r.Name != o.Name {
		return false
	}
	return r.AnyKey || o.KeyUnknown || r.Key == o.Key
}

// RefersTo reports whether v refers to o.
func (v Value) RefersTo(o *Object) bool {
	for _, r := range v.Refs {
		if o.Matches(r) {
			return true
		}
	}
	return false
}

// LoadBalancer is an aws_lb / aws_alb.
type LoadBalancer struct {
	Object
	LoadBalancerType Value // application (default), network, gateway
	IdleTimeout      Value
	ClientKeepAlive  Value
	EnableHTTP2      Value
}

// LBType returns the load balancer type, "application" when it is not set,
// or "" when it is unknown.
func (lb *LoadBalancer) LBType() string {
	if lb.LoadBalancerType.Defaulted() {
		return "application"
	}
	s, ok := lb.LoadBalancerType.Str()
	if !ok {
		return ""
	}
	return s
}

// Forward is one target group a listener or rule forwards to.
type Forward struct {
	TargetGroup Value
}

// Listener is an aws_lb_listener / aws_alb_listener.
type Listener struct {
	Object
	LoadBalancer          Value // load_balancer_arn
	Port                  Value
	Protocol              Value
	TCPIdleTimeoutSeconds Value
	Forwards              []Forward
}

// ListenerRule is an aws_lb_listener_rule / aws_alb_listener_rule.
type ListenerRule struct {
	Object
	Listener Value // listener_arn
	Priority Value
	Forwards []Forward
	// Conditions are the rule's condition blocks; a request must meet all.
	Conditions []Condition
}

// Condition is one condition block of a listener rule. Field names the
// kind read (host_header, path_pattern); other kinds (http_header,
// query_string, source_ip, http_request_method) have Field "" and make the
// rule's match unknown to hoplint.
type Condition struct {
	Field  string
	Values Value // values = [...]
	Range  parsers.Range
}

// TargetGroup is an aws_lb_target_group / aws_alb_target_group.
type TargetGroup struct {
	Object
	Port                Value
	Protocol            Value
	ProtocolVersion     Value
	TargetType          Value
	DeregistrationDelay Value
	HealthCheckPath     Value
	// TGName is the name attribute: the target group's name in AWS and in
	// its ARN ("…:targetgroup/NAME/…").
	TGName Value
}

// Attachment is an aws_lb_target_group_attachment.
type Attachment struct {
	Object
	TargetGroup Value
	TargetID    Value
	Port        Value
}

// ClassicELB is an aws_elb.
type ClassicELB struct {
	Object
	IdleTimeout               Value
	ConnectionDraining        Value
	ConnectionDrainingTimeout Value
	Listeners                 []*ELBListener
}

// ELBListener is one listener block of a Classic ELB.
type ELBListener struct {
	Range            parsers.Range
	InstancePort     Value
	InstanceProtocol Value
	LBPort           Value
	LBProtocol       Value
}

// Distribution is an aws_cloudfront_distribution.
type Distribution struct {
	Object
	Origins []*Origin
}

// Origin is one origin of a distribution.
type Origin struct {
	Distribution *Distribution
	Range        parsers.Range
	OriginID     Value
	DomainName   Value
	// Custom: the origin has a custom_origin_config (an HTTP server such as
	// a load balancer), as opposed to an S3 bucket.
	Custom                 bool
	CustomRange            parsers.Range
	HTTPPort               Value
	HTTPSPort              Value
	OriginProtocolPolicy   Value
	OriginKeepaliveTimeout Value
	OriginReadTimeout      Value
}

// ID returns the origin_id, or "" when unknown.
func (o *Origin) ID() string {
	s, _ := o.OriginID.Str()
	return s
}

func attrs(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

var (
	forwardSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "target_group"}}}
	actionSchema  = &hcl.BodySchema{
		Attributes: attrs("type", "target_group_arn"),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "forward"}},
	}
	schemas = map[string]*hcl.BodySchema{
		"aws_lb": {Attributes: attrs("load_balancer_type", "idle_timeout", "client_keep_alive", "enable_http2")},
		"aws_lb_listener": {
			Attributes: attrs("load_balancer_arn", "port", "protocol", "tcp_idle_timeout_seconds"),
			Blocks:     []hcl.BlockHeaderSchema{{Type: "default_action"}},
		},
		"aws_lb_listener_rule": {
			Attributes: attrs("listener_arn", "priority"),
			Blocks:     []hcl.BlockHeaderSchema{{Type: "action"}, {Type: "condition"}},
		},
		"aws_lb_target_group": {
			Attributes: attrs("name", "port", "protocol", "protocol_version", "target_type", "deregistration_delay"),
			Blocks:     []hcl.BlockHeaderSchema{{Type: "health_check"}},
		},
		"aws_lb_target_group_attachment": {Attributes: attrs("target_group_arn", "target_id", "port")},
		"aws_elb": {
			Attributes: attrs("idle_timeout", "connection_draining", "connection_draining_timeout"),
			Blocks:     []hcl.BlockHeaderSchema{{Type: "listener"}},
		},
		"aws_cloudfront_distribution": {Blocks: []hcl.BlockHeaderSchema{{Type: "origin"}}},
	}
	healthCheckSchema = &hcl.BodySchema{Attributes: attrs("path")}
	conditionSchema   = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "host_header"}, {Type: "path_pattern"}, {Type: "http_header"}, {Type: "http_request_method"},
		{Type: "query_string"}, {Type: "source_ip"},
	}}
	valuesSchema      = &hcl.BodySchema{Attributes: attrs("values")}
	elbListenerSchema = &hcl.BodySchema{Attributes: attrs("instance_port", "instance_protocol", "lb_port", "lb_protocol")}
	originSchema      = &hcl.BodySchema{
		Attributes: attrs("domain_name", "origin_id"),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "custom_origin_config"}},
	}
	customOriginSchema = &hcl.BodySchema{Attributes: attrs(
		"http_port", "https_port", "origin_protocol_policy", "origin_keepalive_timeout", "origin_read_timeout")}
)

// canonicalType maps the aws_alb_* aliases onto the aws_lb_* names.
func canonicalType(t string) string {
	if strings.HasPrefix(t, "aws_alb") {
		return "aws_lb" + strings.TrimPrefix(t, "aws_alb")
	}
	return t
}

// object is the Object of one instance of resource r, one of n.
func (m *modInst) object(r *resourceDecl, in instance, n int) Object {
	return Object{
		Type: r.typ, Name: r.name, Key: in.key, Keyed: in.keyed, KeyUnknown: in.unknown,
		Single: n == 1 && !in.unknown, Module: m.path, Root: m.rootRel, Range: m.rng(r.decl),
	}
}

// contextWith is the module's evaluation context with vars added
// (count.index, each.key and each.value of one instance); the module's
// own when there are none.
func (m *modInst) contextWith(vars map[string]cty.Value) *hcl.EvalContext {
	ctx := m.evalContext()
	if len(vars) > 0 {
		ctx = ctx.NewChild()
		ctx.Variables = vars
	}
	return ctx
}

// extract reads the AWS objects of one resource, every instance.
func (m *modInst) extract(r *resourceDecl) {
	kind := canonicalType(r.typ)
	schema := schemas[kind]
	if schema == nil {
		return
	}
	insts := m.instances(r.count, r.forEach)
	for _, in := range insts {
		obj := m.object(r, in, len(insts))
		body := dynblock.Expand(r.body, m.contextWith(in.vars))
		c, _, _ := body.PartialContent(schema)
		if c == nil {
			continue
		}
		e := &extractor{m: m, vars: in.vars, budget: maxBlocks}
		a := c.Attributes
		switch kind {
		case "aws_lb":
			m.l.res.LoadBalancers = append(m.l.res.LoadBalancers, &LoadBalancer{Object: obj,
				LoadBalancerType: e.value(a["load_balancer_type"]), IdleTimeout: e.value(a["idle_timeout"]),
				ClientKeepAlive: e.value(a["client_keep_alive"]), EnableHTTP2: e.value(a["enable_http2"])})
		case "aws_lb_listener":
			m.l.res.Listeners = append(m.l.res.Listeners, &Listener{Object: obj,
				LoadBalancer: e.value(a["load_balancer_arn"]), Port: e.value(a["port"]), Protocol: e.value(a["protocol"]),
				TCPIdleTimeoutSeconds: e.value(a["tcp_idle_timeout_seconds"]), Forwards: e.forwards(e.take(c.Blocks))})
		case "aws_lb_listener_rule":
			var actions, conds hcl.Blocks
			for _, b := range e.take(c.Blocks) {
				if b.Type == "condition" {
					conds = append(conds, b)
				} else {
					actions = append(actions, b)
				}
			}
			m.l.res.ListenerRules = append(m.l.res.ListenerRules, &ListenerRule{Object: obj,
				Listener: e.value(a["listener_arn"]), Priority: e.value(a["priority"]), Forwards: e.forwards(actions),
				Conditions: e.conditions(conds)})
		case "aws_lb_target_group":
			tg := &TargetGroup{Object: obj, Port: e.value(a["port"]), Protocol: e.value(a["protocol"]),
				ProtocolVersion: e.value(a["protocol_version"]), TargetType: e.value(a["target_type"]),
				DeregistrationDelay: e.value(a["deregistration_delay"]), TGName: e.value(a["name"])}
			for _, b := range e.take(c.Blocks) {
				if hc, _, _ := b.Body.PartialContent(healthCheckSchema); hc != nil {
					tg.HealthCheckPath = e.value(hc.Attributes["path"])
				}
			}
			m.l.res.TargetGroups = append(m.l.res.TargetGroups, tg)
		case "aws_lb_target_group_attachment":
			m.l.res.Attachments = append(m.l.res.Attachments, &Attachment{Object: obj,
				TargetGroup: e.value(a["target_group_arn"]), TargetID: e.value(a["target_id"]), Port: e.value(a["port"])})
		case "aws_elb":
			elb := &ClassicELB{Object: obj, IdleTimeout: e.value(a["idle_timeout"]),
				ConnectionDraining: e.value(a["connection_draining"]), ConnectionDrainingTimeout: e.value(a["connection_draining_timeout"])}
			for _, b := range e.take(c.Blocks) {
				lc, _, _ := b.Body.PartialContent(elbListenerSchema)
				if lc == nil {
					continue
				}
				elb.Listeners = append(elb.Listeners, &ELBListener{Range: m.rng(b.DefRange),
					InstancePort: e.value(lc.Attributes["instance_port"]), InstanceProtocol: e.value(lc.Attributes["instance_protocol"]),
					LBPort: e.value(lc.Attributes["lb_port"]), LBProtocol: e.value(lc.Attributes["lb_protocol"])})
			}
			m.l.res.ClassicELBs = append(m.l.res.ClassicELBs, elb)
		case "aws_cloudfront_distribution":
			d := &Distribution{Object: obj}
			for _, b := range e.take(c.Blocks) {
				oc, _, _ := b.Body.PartialContent(originSchema)
				if oc == nil {
					continue
				}
				o := &Origin{Distribution: d, Range: m.rng(b.DefRange),
					OriginID: e.value(oc.Attributes["origin_id"]), DomainName: e.value(oc.Attributes["domain_name"])}
				for _, cb := range e.take(oc.Blocks) {
					cc, _, _ := cb.Body.PartialContent(customOriginSchema)
					if cc == nil {
						continue
					}
					o.Custom, o.CustomRange = true, m.rng(cb.DefRange)
					o.HTTPPort, o.HTTPSPort = e.value(cc.Attributes["http_port"]), e.value(cc.Attributes["https_port"])
					o.OriginProtocolPolicy = e.value(cc.Attributes["origin_protocol_policy"])
					o.OriginKeepaliveTimeout = e.value(cc.Attributes["origin_keepalive_timeout"])
					o.OriginReadTimeout = e.value(cc.Attributes["origin_read_timeout"])
				}
				d.Origins = append(d.Origins, o)
			}
			m.l.res.Distributions = append(m.l.res.Distributions, d)
		}
	}
}

type extractor struct {
	m      *modInst
	vars   map[string]cty.Value
	budget int
}

// maxBlocks bounds the nested blocks read per resource instance: nested
// dynamic blocks over large collections would otherwise multiply. AWS
// allows 25 origins per distribution and a few actions per listener.
const maxBlocks = 128

// take returns the blocks still within the instance's budget.
func (e *extractor) take(bs hcl.Blocks) hcl.Blocks {
	if len(bs) > e.budget {
		bs = bs[:e.budget]
	}
	e.budget -= len(bs)
	return bs
}

func (e *extractor) value(a *hcl.Attribute) Value {
	if a == nil {
		return Value{}
	}
	v := e.m.eval(a.Expr, e.vars)
	un, via, refs := marksOf(v)
	return Value{Val: un, Set: true, Known: un.IsWhollyKnown(), Range: e.m.rng(a.Range), Via: via, Refs: refs}
}

// conditions reads a listener rule's condition blocks: host_header and
// path_pattern values; any other kind is kept with Field "".
func (e *extractor) conditions(blocks hcl.Blocks) []Condition {
	var out []Condition
	for _, b := range blocks {
		cc, _, _ := b.Body.PartialContent(conditionSchema)
		if cc == nil {
			continue
		}
		for _, kb := range e.take(cc.Blocks) {
			cond := Condition{Range: e.m.rng(kb.DefRange)}
			switch kb.Type {
			case "host_header", "path_pattern":
				cond.Field = kb.Type
				if vc, _, _ := kb.Body.PartialContent(valuesSchema); vc != nil {
					cond.Values = e.value(vc.Attributes["values"])
				}
			}
			out = append(out, cond)
		}
	}
	return out
}

// forwards reads the target groups of forward actions: target_group_arn,
// or forward { target_group { arn } } for weighted forwarding.
func (e *extractor) forwards(blocks hcl.Blocks) []Forward {
	var out []Forward
	for _, b := range blocks {
		ac, _, _ := b.Body.PartialContent(actionSchema)
		if ac == nil {
			continue
		}
		if t := e.value(ac.Attributes["type"]); t.Present() {
			if s, ok := t.Str(); ok && s != "forward" {
				continue
			}
		}
		if a := ac.Attributes["target_group_arn"]; a != nil {
			out = append(out, Forward{TargetGroup: e.value(a)})
		}
		for _, fb := range e.take(ac.Blocks) {
			fc, _, _ := fb.Body.PartialContent(forwardSchema)
			if fc == nil {
				continue
			}
			for _, tb := range e.take(fc.Blocks) {
				tc, _, _ := tb.Body.PartialContent(&hcl.BodySchema{Attributes: attrs("arn")})
				if tc != nil && tc.Attributes["arn"] != nil {
					out = append(out, Forward{TargetGroup: e.value(tc.Attributes["arn"])})
				}
			}
		}
	}
	return out
}
