package topology

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/terraform"
)

// Kubernetes objects written in Terraform (kubernetes_deployment_v1,
// kubernetes_service_v1, kubernetes_ingress_v1, kubernetes_config_map_v1,
// kubernetes_manifest, …) become the same typed objects a YAML manifest
// gives, with ranges on the HCL lines, so that every Kubernetes rule and
// link sees them. They form a cluster of their own: the objects of one
// Terraform configuration link with each other (an HCL Service selects an
// HCL Deployment) and, through the linkers, with the other formats. A
// TargetGroupBinding whose targetGroupARN refers to an aws_lb_target_group
// links that target group to the Service's pods.

// kubernetesObjects builds the hops of the Kubernetes objects the
// Terraform files define, and links bound target groups to their pods.
func (b *tfBuilder) kubernetesObjects(env *Env) {
	if len(b.res.Kubernetes) == 0 {
		return
	}
	c := &k8sCluster{
		part: b.g, env: env,
		containerHops: map[*kubernetes.Workload][]*Hop{}, serviceHops: map[*kubernetes.Service]*Hop{},
		ambiguous: map[*kubernetes.Service]bool{}, strict: env.Config.Strict(),
	}
	var objs []kubernetes.Obj
	conv := &kubeYAML{}
	bound := map[*kubernetes.TargetGroupBinding][]terraform.Ref{}
	var order []*kubernetes.TargetGroupBinding
	for _, ko := range b.res.Kubernetes {
		if p, skip := unknownAnnotations(ko); skip {
			b.g.AddProblems(p)
			continue
		}
		res := kubernetes.FromNode(ko.File, conv.node(ko.Root, "", false), ko.Whole)
		b.g.AddProblems(res.Problems...)
		b.g.Suppressions = append(b.g.Suppressions, res.Suppressions...)
		for _, o := range res.Objects {
			b.g.AddConfig(parsers.FormatKubernetes, o)
			objs = append(objs, o)
			if t, ok := o.(*kubernetes.TargetGroupBinding); ok {
				if arn := ko.Root.Get("spec", "targetGroupARN"); arn != nil {
					bound[t] = arn.Refs
					order = append(order, t)
				}
			}
		}
	}
	c.index(objs)
	c.findControllers()
	for _, w := range c.workloads {
		c.workloadHops(w)
	}
	for _, s := range c.services {
		c.serviceHop(s)
	}
	for _, in := range c.ingresses {
		c.ingressHop(in)
	}
	for _, t := range c.tgbs {
		c.targetGroupBindingHop(t)
	}
	for _, t := range order {
		b.bindTargetGroup(t, bound[t])
	}
}

// bindTargetGroup links the Terraform target group that a
// TargetGroupBinding's targetGroupARN refers to (aws_lb_target_group.x.arn,
// directly or through variables, locals and module inputs) to the pods the
// binding registers: the load balancer in front of that target group then
// sends to those pods. A reference that matches several target groups (a
// count hoplint cannot know) links none.
func (b *tfBuilder) bindTargetGroup(t *kubernetes.TargetGroupBinding, refs []terraform.Ref) {
	var tgs []*tfTG
	for _, tg := range b.tgs {
		for _, r := range refs {
			if tg.tg.Matches(r) {
				tgs = append(tgs, tg)
				break
			}
		}
	}
	if len(tgs) > 1 {
		// The same module written once per environment: the binding's own
		// stack is the nearest by directory.
		tgs, _ = NewNearIndex(tgs, func(tg *tfTG) string { return tg.hop.File }).Nearest(t.File.Path)
	}
	if len(tgs) != 1 {
		return
	}
	tg := tgs[0]
	// By the typed object, not the hop ID: two module instances may
	// create bindings of the same name in one file.
	var from *Hop
	for _, h := range b.g.Hops {
		if h.Config == kubernetes.Obj(t) {
			from = h
		}
	}
	if from == nil {
		return
	}
	for _, e := range b.g.Out(from) {
		conf := e.Confidence
		if conf > Reference {
			conf = Reference
		}
		b.g.Link(&Edge{From: tg.hop, To: e.To, Confidence: conf, Range: t.TargetGroupARN.Range,
			Why: fmt.Sprintf("TargetGroupBinding %s takes its targetGroupARN from %s; %s", refName(&t.Object), objName(&tg.tg.Object), e.Why)})
	}
}

// readAnnotations are the annotations of an Ingress or Service whose
// values hoplint reads settings from; an object whose value for one of
// them is known only at apply time cannot be read (its defaults would be
// taken for the truth). Any other annotation (security-groups,
// certificate-arn, ssl-redirect, …) may be unknown: no rule reads its
// value, and the controller it belongs to is still told by its name.
// Keep in step with the Annotations[...] reads of the Kubernetes code.
var readAnnotations = map[string]bool{
	nginxAnnotationPrefix + "proxy-connect-timeout":  true,
	nginxAnnotationPrefix + "proxy-send-timeout":     true,
	nginxAnnotationPrefix + "proxy-read-timeout":     true,
	nginxAnnotationPrefix + "proxy-http-version":     true,
	nginxAnnotationPrefix + "proxy-body-size":        true,
	albAnnotationPrefix + "load-balancer-attributes": true,
	albAnnotationPrefix + "target-group-attributes":  true,
	albAnnotationPrefix + "group.name":               true,
	awsServicePrefix + "type":                        true,
	awsServicePrefix + "connection-idle-timeout":     true,
	awsServicePrefix + "backend-protocol":            true,
	awsServicePrefix + "target-group-attributes":     true,
	TraefikTransportAnnotation:                       true,
	"kubernetes.io/ingress.class":                    true,
}

// readsAnnotation reports an annotation whose value hoplint reads.
func readsAnnotation(name string) bool {
	return readAnnotations[name] || strings.HasPrefix(name, "hoplint.dev/")
}

// unknownAnnotations reports an Ingress or Service whose annotations
// hoplint reads are known only when Terraform applies (or any object whose
// hoplint.dev/ annotation is): it is left out, with a finding that says so.
func unknownAnnotations(ko *terraform.KubeObject) (parsers.Problem, bool) {
	kind := ko.Root.Get("kind")
	ann := ko.Root.Get("metadata", "annotations")
	if kind == nil || ann == nil {
		return parsers.Problem{}, false
	}
	reads := readsAnnotation
	if kind.Value != "Ingress" && kind.Value != "Service" {
		// Other objects' settings do not come from annotations.
		reads = func(name string) bool { return strings.HasPrefix(name, "hoplint.dev/") }
		if ann.Kind == terraform.KubeUnknown {
			return parsers.Problem{}, false
		}
	}
	at, which := ann.Range, "its annotations are computed from values"
	unknown := ann.Kind == terraform.KubeUnknown
	for _, e := range ann.Keys {
		if e.Value.Kind == terraform.KubeUnknown && reads(e.Name) {
			unknown, at, which = true, e.Range, "its annotation "+e.Name+" is computed from a value"
			break
		}
	}
	if !unknown {
		return parsers.Problem{}, false
	}
	return parsers.Problem{Kind: parsers.ProblemSkipped, Range: at, Message: fmt.Sprintf(
		"%s %s is not linted: %s known only when Terraform applies (a variable without a default, another resource's attribute), and hoplint does not take the defaults for them. Give the variables defaults or a tfvars file among the linted files to lint it.",
		kind.Value, objName(&ko.Object), which)}, true
}

// kubeYAML turns the neutral tree of an HCL object into yaml Nodes at the
// HCL positions, for the Kubernetes reader. Values known only at apply
// time become placeholders tagged kubernetes.UnknownTag, each different,
// so that none equals a name, label or port; where the reader would take
// an absent field for "missing" (a container's resources or lifecycle),
// the placeholder fills the fields it reads.
type kubeYAML struct {
	// unknowns numbers the nameless unknowns of each file, so that each
	// equals nothing else and a copy of a file numbers them alike.
	unknowns map[string]int
}

// dropWhenUnknown are the fields whose unknown value is left out: lists
// and maps the reader takes as they come (an unknown list of containers
// gives no container, unknown labels match no selector).
var dropWhenUnknown = map[string]bool{
	"containers": true, "initContainers": true, "ports": true, "env": true, "command": true, "args": true,
	"volumeMounts": true, "volumes": true, "data": true, "rules": true, "labels": true, "annotations": true,
	"matchLabels": true, "selector": true, "items": true, "sources": true,
}

// dropUnknownEntries are the maps whose unknown entries are left out.
var dropUnknownEntries = map[string]bool{"labels": true, "annotations": true, "data": true}

// unknown is the placeholder of a value known only at apply time: named
// after the variable it is, when the parser could tell (the same variable
// is the same value), else numbered so that it equals nothing.
func (k *kubeYAML) unknown(r parsers.Range, symbol string) *yaml.Node {
	v := "(" + symbol + ", known after apply)"
	if symbol == "" {
		if k.unknowns == nil {
			k.unknowns = map[string]int{}
		}
		k.unknowns[r.File]++
		v = fmt.Sprintf("(known after apply #%d of %s)", k.unknowns[r.File], r.File)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: kubernetes.UnknownTag, Value: v, Line: r.Start.Line, Column: r.Start.Col}
}

// filled is an unknown map with the given keys, each unknown.
func (k *kubeYAML) filled(r parsers.Range, keys ...string) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Line: r.Start.Line, Column: r.Start.Col}
	for _, key := range keys {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: r.Start.Line, Column: r.Start.Col}, k.unknown(r, ""))
	}
	return m
}

// node converts n, found under key (the list's key for its items);
// container says n is one container of a pod.
func (k *kubeYAML) node(n *terraform.KubeNode, key string, container bool) *yaml.Node {
	r := n.Range
	switch n.Kind {
	case terraform.KubeMap:
		m := &yaml.Node{Kind: yaml.MappingNode, Line: r.Start.Line, Column: r.Start.Col}
		for _, e := range n.Keys {
			v := k.entry(e, key, container)
			if v == nil {
				continue
			}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: e.Name,
				Line: e.Range.Start.Line, Column: e.Range.Start.Col}, v)
		}
		return m
	case terraform.KubeList:
		l := &yaml.Node{Kind: yaml.SequenceNode, Line: r.Start.Line, Column: r.Start.Col}
		inPod := key == "containers" || key == "initContainers"
		for _, it := range n.Items {
			if it.Kind == terraform.KubeUnknown && (inPod || dropWhenUnknown[key]) {
				continue // a container (or entry) hoplint cannot see
			}
			l.Content = append(l.Content, k.node(it, key, inPod))
		}
		return l
	case terraform.KubeScalar:
		s := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: n.Value, Line: r.Start.Line, Column: r.Start.Col}
		if n.Quoted {
			s.Style = yaml.DoubleQuotedStyle
		}
		return s
	}
	return k.unknown(r, n.Symbol)
}

// entry converts the value of map entry e of a map found under parent.
func (k *kubeYAML) entry(e terraform.KubeKey, parent string, container bool) *yaml.Node {
	v := e.Value
	if v.Kind != terraform.KubeUnknown {
		return k.node(v, e.Name, false)
	}
	switch {
	case v.Symbol != "" && (parent == "labels" || parent == "matchLabels" || parent == "selector" || parent == "metadata" || parent == "serviceRef"):
		return k.unknown(v.Range, v.Symbol) // a name or label, the same wherever the variable is used
	case dropUnknownEntries[parent]:
		return nil
	case container && e.Name == "resources":
		res := &yaml.Node{Kind: yaml.MappingNode, Line: v.Range.Start.Line, Column: v.Range.Start.Col}
		for _, side := range []string{"limits", "requests"} {
			res.Content = append(res.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: side, Line: v.Range.Start.Line, Column: v.Range.Start.Col},
				k.filled(v.Range, "memory", "cpu"))
		}
		return res
	case parent == "resources" && (e.Name == "limits" || e.Name == "requests"):
		return k.filled(v.Range, "memory", "cpu")
	case container && e.Name == "lifecycle":
		return k.filled(v.Range, "preStop")
	case dropWhenUnknown[e.Name]:
		return nil
	}
	return k.unknown(v.Range, v.Symbol)
}
