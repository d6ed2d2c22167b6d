package topology

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/terraform"
)

func init() { RegisterLoader(parsers.FormatTerraform, loadTerraform) }

// Where the AWS defaults hoplint relies on are documented (docs/facts/aws.md).
var (
	ALBDefault = &DefaultSource{Product: "AWS Application Load Balancer",
		URL: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout"}
	CLBDefault = &DefaultSource{Product: "AWS Classic Load Balancer",
		URL: "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-idle-timeout.html"}
	CloudFrontKeepaliveDefault = &DefaultSource{Product: "Amazon CloudFront",
		URL: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginKeepaliveTimeout"}
	CloudFrontReadDefault = &DefaultSource{Product: "Amazon CloudFront",
		URL: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesOrigin.html#DownloadDistValuesOriginResponseTimeout"}
)

// AWS defaults, in seconds (docs/facts/aws.md).
const (
	albIdleDefault             = 60 * time.Second
	clbIdleDefault             = 60 * time.Second
	originKeepaliveDefault     = 5 * time.Second
	originReadTimeoutDefault   = 30 * time.Second
	cloudFrontHTTPPortDefault  = 80
	cloudFrontHTTPSPortDefault = 443
)

// loadTerraform parses and evaluates the modules (terraform.LoadFiles,
// which parses each directory when it is first needed) and turns the AWS
// objects into hops and the references between them into edges.
func loadTerraform(part *Graph, files []*parsers.File, env *Env) {
	// A panic while parsing costs that file only, as in ParallelFiles;
	// it is reported first, then the var files' problems, as when every
	// file was parsed before them.
	var (
		mu                  sync.Mutex
		parseErrs, varProbs Graph
	)
	opt := terraform.Options{
		Open: func(root, abs string) (*parsers.File, error) { return env.Open(root, abs, parsers.FormatTerraform) },
		// Files are parsed when a module first needs them, on the
		// evaluating goroutines.
		Parse: func(f *parsers.File) (out *terraform.File) {
			guardFile(&parseErrs, &mu, 0, f, func(int, *parsers.File) { out = terraform.Parse(f) },
				func(int, *parsers.File) { out = &terraform.File{File: f} })
			return out
		},
	}
	opt.VarFiles = varFiles(&varProbs, files, env)
	res := terraform.LoadFiles(files, opt)
	part.AddProblems(parseErrs.Problems...)
	part.AddProblems(varProbs.Problems...)
	part.AddProblems(res.Problems...)
	part.AddProblems(res.Validate()...)
	for file, cs := range res.Comments {
		part.AddComments(file, cs)
	}
	b := &tfBuilder{g: part, res: res, byObj: map[*terraform.Object]*Hop{}}
	b.build()
	b.kubernetesObjects(env)
	b.ecsTasks(env)
}

// varFiles reads the var files named in .hoplint.yml (terraform.var_files),
// relative to the working directory and only inside a linted root.
func varFiles(part *Graph, files []*parsers.File, env *Env) []*parsers.File {
	if env.Config == nil || len(env.Config.Terraform.VarFiles) == 0 {
		return nil
	}
	roots := map[string]bool{}
	for _, f := range files {
		roots[f.Root] = true
	}
	var out []*parsers.File
	for _, vf := range env.Config.Terraform.VarFiles {
		abs := vf
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(env.WorkDir, filepath.FromSlash(vf))
		}
		abs = filepath.Clean(abs)
		root := ""
		for r := range roots {
			if parsers.Within(r, abs) && len(r) > len(root) {
				root = r
			}
		}
		where := parsers.Range{File: filepath.ToSlash(vf)}
		if root == "" {
			part.AddProblems(parsers.Problem{Kind: parsers.ProblemSkipped, Range: where,
				Message: fmt.Sprintf("var file %s (terraform.var_files in .hoplint.yml) lies outside the linted Terraform files; it was not read, so the variables it sets are unknown", vf)})
			continue
		}
		f, err := env.Open(root, abs, parsers.FormatTerraform)
		if rel, e := filepath.Rel(env.WorkDir, abs); err != nil && e == nil && env.reported[filepath.ToSlash(rel)] {
			continue // discovery said why it cannot be read
		}
		if err != nil {
			part.AddProblems(parsers.Problem{Kind: parsers.ProblemParse, Range: where,
				Message: fmt.Sprintf("cannot read var file %s (terraform.var_files in .hoplint.yml): %v", vf, err)})
			continue
		}
		out = append(out, f)
	}
	return out
}

type tfBuilder struct {
	g     *Graph
	res   *terraform.Result
	byObj map[*terraform.Object]*Hop
	lbs   []*tfLB
	tgs   []*tfTG
	// lbRefs and tgRefs resolve references to load balancers and target
	// groups; listeners to listeners (for listener rules).
	lbRefs    *tfRefIndex[*tfLB]
	tgRefs    *tfRefIndex[*tfTG]
	listeners *tfRefIndex[*terraform.Listener]
	// blueGreen is what the CodeDeploy deployment groups tell about the
	// ECS services (codedeploy.go).
	blueGreen *BlueGreen
}

// tfRefIndex finds the objects a reference names (aws_lb.web, module.alb's
// aws_lb.this[0]) by root module, module path, type and name: a reference
// never leaves the root module it was evaluated in, so N copies of a stack
// (env1/, env2/, or two roots calling one modules/alb) keep their links
// apart. Without it every listener of N copies forwarded to the target
// groups of all N. Objects that still share all four (none, unless a
// parser leaves Root empty) resolve to the nearest by directory.
type tfRefIndex[T any] struct {
	byName map[string]*NearIndex[T]
	obj    func(T) *terraform.Object
}

func newTFRefIndex[T any](items []T, obj func(T) *terraform.Object) *tfRefIndex[T] {
	lists := map[string][]T{}
	for _, it := range items {
		o := obj(it)
		k := o.Root + "\x00" + o.Module + "\x00" + o.Type + "\x00" + o.Name
		lists[k] = append(lists[k], it)
	}
	x := &tfRefIndex[T]{byName: make(map[string]*NearIndex[T], len(lists)), obj: obj}
	for k, l := range lists {
		x.byName[k] = NewNearIndex(l, func(it T) string { return obj(it).Range.File })
	}
	return x
}

// resolve returns the objects v, written in object from, refers to, each
// once, in index order.
func (x *tfRefIndex[T]) resolve(v terraform.Value, from *terraform.Object) []T {
	var out []T
	seen := map[*terraform.Object]bool{}
	for _, r := range v.Refs {
		near, _ := x.byName[from.Root+"\x00"+r.Module+"\x00"+r.Type+"\x00"+r.Name].Nearest(from.Range.File)
		for _, it := range near {
			if o := x.obj(it); o.Matches(r) && !seen[o] {
				seen[o] = true
				out = append(out, it)
			}
		}
	}
	return out
}

type tfLB struct {
	hop *Hop
	lb  *terraform.LoadBalancer
	clb *terraform.ClassicELB
}

type tfTG struct {
	hop *Hop
	tg  *terraform.TargetGroup
	in  []*Edge
}

// objName is how a message names an object: its Terraform address, without
// the [0] of a count that makes exactly one instance.
func objName(o *terraform.Object) string {
	a := o.Address()
	if o.Single && o.Key == "0" {
		a = strings.TrimSuffix(a, "[0]")
	}
	return a
}

func objID(o *terraform.Object) string { return o.Range.File + "#" + o.Address() }

// uniqueID keeps hop IDs apart when one declaration makes objects in
// several root modules (env1/ and env2/ both calling modules/alb): the
// first keeps FILE#ADDRESS, the others get @ROOT, the root's directory.
func (b *tfBuilder) uniqueID(id string, o *terraform.Object) string {
	if b.g.Hop(id) != nil && o.Root != "" {
		return id + "@" + o.Root
	}
	return id
}

func objNotes(o *terraform.Object) []string {
	var notes []string
	if o.KeyUnknown {
		notes = append(notes, fmt.Sprintf("count/for_each of %s is not known before apply; this hop stands for every instance", objName(o)))
	}
	if o.Registry != "" {
		notes = append(notes, fmt.Sprintf("modelled from the documented inputs of the registry module %s", o.Registry))
	}
	return notes
}

// seconds turns an attribute holding seconds into a Duration: written in
// a file (with the variable default or tfvars line it came through), the
// AWS default when absent or null, or unknown.
func seconds(name string, v terraform.Value, obj parsers.Range, def time.Duration, src *DefaultSource) Duration {
	switch {
	case v.Defaulted():
		s := DefaultFor(name, def, obj, src)
		s.Via = v.Via
		return s
	case !v.Known:
		return Duration{Name: name, Range: v.Range, Via: v.Via}
	}
	n, ok := v.Int()
	if !ok || n < 0 {
		return Duration{Name: name, Range: v.Range, Via: v.Via}
	}
	s := SetAt(name, time.Duration(n)*time.Second, v.Range)
	s.Via = v.Via
	return s
}

func (b *tfBuilder) add(o *terraform.Object, h *Hop) {
	h.ID, h.File, h.Range = b.uniqueID(objID(o), o), o.Range.File, o.Range
	h.Notes = append(objNotes(o), h.Notes...)
	b.g.AddHop(h)
	b.byObj[o] = h
}

func (b *tfBuilder) build() {
	r := b.res
	for _, lb := range r.LoadBalancers {
		b.g.AddConfig(parsers.FormatTerraform, lb)
		name := objName(&lb.Object)
		switch lb.LBType() {
		case "application":
			idle := seconds("idle_timeout", lb.IdleTimeout, lb.Range, albIdleDefault, ALBDefault)
			h := &Hop{Kind: KindALB, Name: "ALB " + name, Config: lb,
				// idle_timeout is one timer for both sides: idle client
				// connections, idle pooled connections to targets, and the
				// longest gap in a target's response before a 504.
				KeepAlive: idle, PoolIdle: idle, UpstreamTimeout: idle}
			b.add(&lb.Object, h)
			b.lbs = append(b.lbs, &tfLB{hop: h, lb: lb})
		case "network":
			h := &Hop{Kind: KindNLB, Name: "NLB " + name, Config: lb}
			b.add(&lb.Object, h)
			b.lbs = append(b.lbs, &tfLB{hop: h, lb: lb})
		}
	}
	for _, elb := range r.ClassicELBs {
		b.g.AddConfig(parsers.FormatTerraform, elb)
		idle := seconds("idle_timeout", elb.IdleTimeout, elb.Range, clbIdleDefault, CLBDefault)
		h := &Hop{Kind: KindCLB, Name: "Classic ELB " + objName(&elb.Object), Config: elb,
			KeepAlive: idle, PoolIdle: idle, UpstreamTimeout: idle}
		pooled := false
		for _, l := range elb.Listeners {
			if p, ok := l.LBPort.Int(); ok {
				h.Listen = append(h.Listen, Listen{Port: int(p), Range: l.LBPort.Range})
			}
			through := elbPassthrough(l)
			pooled = pooled || !through
			if p, ok := l.InstancePort.Int(); ok {
				h.Targets = append(h.Targets, Target{Port: int(p), URL: fmt.Sprintf("instances :%d", p), Range: l.InstancePort.Range, Passthrough: through})
				if h.Proxy.IsZero() {
					h.Proxy = l.Range
				}
			}
		}
		if !pooled && len(elb.Listeners) > 0 {
			// Only TCP/SSL listeners: nothing is pooled, as for a Service's
			// Classic ELB without backend-protocol http.
			h.PoolIdle = Duration{Name: "idle_timeout"}
		}
		b.add(&elb.Object, h)
		b.lbs = append(b.lbs, &tfLB{hop: h, clb: elb})
	}
	for _, tg := range r.TargetGroups {
		b.g.AddConfig(parsers.FormatTerraform, tg)
		h := &Hop{Kind: KindTargetGroup, Name: "target group " + objName(&tg.Object), Config: tg}
		if p, ok := tg.Port.Int(); ok {
			h.Targets = append(h.Targets, Target{Port: int(p), URL: fmt.Sprintf("targets :%d", p), Range: tg.Port.Range})
		}
		b.add(&tg.Object, h)
		b.tgs = append(b.tgs, &tfTG{hop: h, tg: tg})
	}
	b.lbRefs = newTFRefIndex(b.lbs, lbObject)
	b.tgRefs = newTFRefIndex(b.tgs, func(t *tfTG) *terraform.Object { return &t.tg.Object })
	b.listeners = newTFRefIndex(r.Listeners, func(l *terraform.Listener) *terraform.Object { return &l.Object })
	for _, a := range r.Attachments {
		b.g.AddConfig(parsers.FormatTerraform, a)
		p, ok := a.Port.Int()
		if !ok {
			continue
		}
		for _, t := range b.tgRefs.resolve(a.TargetGroup, &a.Object) {
			if !hasPort(t.hop.Targets, int(p)) {
				t.hop.Targets = append(t.hop.Targets, Target{Port: int(p), URL: fmt.Sprintf("targets :%d", p), Range: a.Port.Range})
			}
		}
	}
	for _, l := range r.Listeners {
		b.g.AddConfig(parsers.FormatTerraform, l)
	}
	for _, lr := range r.ListenerRules {
		b.g.AddConfig(parsers.FormatTerraform, lr)
	}
	b.linkListeners()
	for _, a := range r.CodeDeployApps {
		b.g.AddConfig(parsers.FormatTerraform, a)
	}
	for _, dg := range r.CodeDeployGroups {
		b.g.AddConfig(parsers.FormatTerraform, dg)
	}
	tgHops := make([]*Hop, len(b.tgs))
	for i, t := range b.tgs {
		tgHops[i] = t.hop
	}
	b.blueGreen = newBlueGreen(r.CodeDeployGroups, r.CodeDeployApps, r.ECSServices, tgHops)
	b.linkBlueGreenListeners(b.blueGreen)
	b.poolsOfTargetGroups()
	for _, d := range r.Distributions {
		b.g.AddConfig(parsers.FormatTerraform, d)
		b.origins(d)
	}
}

// elbPassthrough reports a Classic ELB listener that forwards TCP or SSL:
// it opens one backend connection per client connection and keeps no idle
// pool (docs/facts/aws.md). AWS requires the instance
// protocol to be of the same layer as lb_protocol, so either names it; an
// unknown protocol is taken as HTTP, the case that pools.
func elbPassthrough(l *terraform.ELBListener) bool {
	for _, v := range []terraform.Value{l.LBProtocol, l.InstanceProtocol} {
		if s, ok := v.Str(); ok {
			switch strings.ToLower(s) {
			case "tcp", "ssl":
				return true
			case "http", "https":
				return false
			}
		}
	}
	return false
}

func hasPort(ts []Target, p int) bool {
	for _, t := range ts {
		if t.Port == p {
			return true
		}
	}
	return false
}

// lbOf returns the load balancers (not Classic ELBs) a listener's
// load_balancer_arn refers to.
func (b *tfBuilder) lbOf(l *terraform.Listener) []*tfLB {
	var out []*tfLB
	for _, lb := range b.lbRefs.resolve(l.LoadBalancer, &l.Object) {
		if lb.lb != nil {
			out = append(out, lb)
		}
	}
	return out
}

func listenerWords(l *terraform.Listener) string {
	s := "listener " + objName(&l.Object)
	proto, okP := l.Protocol.Str()
	port, okN := l.Port.Int()
	switch {
	case okP && okN:
		s += fmt.Sprintf(" (%s :%d)", proto, port)
	case okN:
		s += fmt.Sprintf(" (:%d)", port)
	}
	return s
}

// linkListeners draws load balancer → target group edges through the
// listeners and listener rules that forward to each group.
func (b *tfBuilder) linkListeners() {
	r := b.res
	for _, l := range r.Listeners {
		lbs := b.lbOf(l)
		for _, lb := range lbs {
			if p, ok := l.Port.Int(); ok && !hasListen(lb.hop.Listen, int(p)) {
				lb.hop.Listen = append(lb.hop.Listen, Listen{Port: int(p), Range: l.Port.Range})
			}
			b.forward(lb, l.Forwards, &l.Object, listenerWords(l)+" forwards to it")
		}
	}
	for _, rule := range r.ListenerRules {
		for _, l := range b.listeners.resolve(rule.Listener, &rule.Object) {
			for _, lb := range b.lbOf(l) {
				b.forward(lb, rule.Forwards, &rule.Object, fmt.Sprintf("listener rule %s on %s forwards to it", objName(&rule.Object), listenerWords(l)))
			}
		}
	}
}

func hasListen(ls []Listen, p int) bool {
	for _, l := range ls {
		if l.Port == p {
			return true
		}
	}
	return false
}

// forward links lb to the target groups that forwards written in object
// from name.
func (b *tfBuilder) forward(lb *tfLB, fws []terraform.Forward, from *terraform.Object, why string) {
	for _, f := range fws {
		for _, t := range b.tgRefs.resolve(f.TargetGroup, from) {
			if lb.hop.Proxy.IsZero() {
				lb.hop.Proxy = f.TargetGroup.Range
			}
			e := &Edge{From: lb.hop, To: t.hop, Why: why, Confidence: Reference, Range: f.TargetGroup.Range}
			before := len(b.g.Edges)
			b.g.Link(e)
			if len(b.g.Edges) > before {
				t.in = append(t.in, e)
			}
		}
	}
}

// poolsOfTargetGroups gives each target group the client side of the ALB
// in front of it: the ALB's idle_timeout is how long it keeps idle
// connections to the group's targets and how long it waits for a target's
// response. With several ALBs in front, the longest idle timeout applies
// (it is the one that breaks first), and the hop says which ALB it is.
func (b *tfBuilder) poolsOfTargetGroups() {
	for _, t := range b.tgs {
		var best *Hop
		var albs []string
		for _, e := range t.in {
			if e.From.Kind != KindALB {
				continue
			}
			albs = append(albs, e.From.Name)
			if best == nil || longer(e.From.PoolIdle, best.PoolIdle) {
				best = e.From
			}
		}
		if best == nil {
			continue
		}
		t.hop.PoolIdle, t.hop.UpstreamTimeout = best.PoolIdle, best.UpstreamTimeout
		t.hop.Notes = append(t.hop.Notes, best.Notes...)
		if len(albs) == 1 {
			t.hop.Name = best.Name + " via " + t.hop.Name
		} else {
			sort.Strings(albs)
			t.hop.Notes = append(t.hop.Notes, fmt.Sprintf("%s forward to this target group; the longest idle_timeout, %s's, is used", strings.Join(albs, " and "), best.Name))
			t.hop.Name = best.Name + " via " + t.hop.Name
		}
	}
}

// longer: a known value beats an unknown one; among known, the larger.
func longer(a, b Duration) bool {
	switch {
	case !a.Known():
		return false
	case !b.Known():
		return true
	}
	return a.Value > b.Value
}

// origins makes a hop of each custom origin (an HTTP server: a load
// balancer, an API) of a CloudFront distribution and links it to the load
// balancer its domain_name refers to. S3 origins are not on a proxied path.
func (b *tfBuilder) origins(d *terraform.Distribution) {
	for _, o := range d.Origins {
		if !o.Custom {
			continue
		}
		id := o.ID()
		name := fmt.Sprintf("CloudFront %s origin %q", objName(&d.Object), id)
		if id == "" {
			name = fmt.Sprintf("CloudFront %s origin", objName(&d.Object))
		}
		h := &Hop{Kind: KindCloudFrontOrigin, Name: name, Config: o, Proxy: o.Range,
			PoolIdle:        seconds("origin_keepalive_timeout", o.OriginKeepaliveTimeout, o.CustomRange, originKeepaliveDefault, CloudFrontKeepaliveDefault),
			UpstreamTimeout: seconds("origin_read_timeout", o.OriginReadTimeout, o.CustomRange, originReadTimeoutDefault, CloudFrontReadDefault),
		}
		if host, ok := o.DomainName.Str(); ok {
			for _, p := range originPorts(o) {
				h.Targets = append(h.Targets, Target{Host: host, Port: p, URL: fmt.Sprintf("%s:%d", host, p), Range: o.DomainName.Range})
			}
		}
		h.ID, h.File, h.Range = b.uniqueID(objID(&d.Object)+".origin."+id, &d.Object), d.Range.File, o.Range
		h.Notes = objNotes(&d.Object)
		b.g.AddHop(h)
		for _, lb := range b.lbRefs.resolve(o.DomainName, &d.Object) {
			obj := lbObject(lb)
			b.g.Link(&Edge{From: h, To: lb.hop, Confidence: Reference, Range: o.DomainName.Range,
				Why: fmt.Sprintf("origin %q of %s has domain_name = %s's DNS name", id, objName(&d.Object), objName(obj))})
		}
	}
}

func lbObject(lb *tfLB) *terraform.Object {
	if lb.lb != nil {
		return &lb.lb.Object
	}
	return &lb.clb.Object
}

// originPorts: the ports CloudFront connects to, by origin_protocol_policy.
func originPorts(o *terraform.Origin) []int {
	httpPort, httpsPort := cloudFrontHTTPPortDefault, cloudFrontHTTPSPortDefault
	if p, ok := o.HTTPPort.Int(); ok {
		httpPort = int(p)
	}
	if p, ok := o.HTTPSPort.Int(); ok {
		httpsPort = int(p)
	}
	switch pol, _ := o.OriginProtocolPolicy.Str(); pol {
	case "http-only":
		return []int{httpPort}
	case "https-only":
		return []int{httpsPort}
	}
	return []int{httpPort, httpsPort}
}
