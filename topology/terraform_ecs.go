package topology

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/ecs"
	"github.com/hoplint/hoplint/parsers/terraform"
	"github.com/hoplint/hoplint/topology/appserver"
)

// ECS in Terraform: each container of an aws_ecs_task_definition is a hop
// (the app server it runs, as for a pod's container), and each
// load_balancer block of an aws_ecs_service links the target group it
// names to the container it names. The service's tasks share one network
// namespace in awsvpc mode, so the task definition plays the pod's part.
//
// ECS stops a service's task only after its targets are deregistered and
// drained (the task's DEACTIVATING state, docs/facts/aws.md), so
// stopTimeout is not compared with deregistration_delay: the ordering
// that breaks Kubernetes pods cannot happen here.

// ECSContainer is the typed object behind a container hop.
type ECSContainer struct {
	// Task is the Terraform task definition; nil for a container of a
	// task-definition JSON file (topology/ecs), whose document is File.
	Task      *terraform.ECSTaskDefinition
	File      *ecs.TaskDefinition
	Container *ecs.Container
}

// ecsTask is a task definition with its container hops by name.
type ecsTask struct {
	td    *terraform.ECSTaskDefinition
	hops  map[string]*Hop
	names []string
}

// ecsTasks builds the container hops of every task definition and links
// the services' target groups to them.
func (b *tfBuilder) ecsTasks(env *Env) {
	var tasks []*ecsTask
	for _, td := range b.res.ECSTaskDefinitions {
		b.g.AddConfig(parsers.FormatTerraform, td)
		t := &ecsTask{td: td, hops: map[string]*Hop{}}
		tasks = append(tasks, t)
		root := b.ecsDocument(td)
		if root == nil {
			continue
		}
		doc, probs := ecs.FromNode(root)
		b.g.AddProblems(probs...)
		for _, c := range doc.Containers {
			b.ecsContainerHop(t, c, env)
		}
	}
	// Every service is recorded, with or without a task definition in
	// Terraform: topology/ecs links those that name a task-definition
	// file's family.
	for _, svc := range b.res.ECSServices {
		b.g.AddConfig(parsers.FormatTerraform, svc)
	}
	if len(tasks) == 0 {
		return
	}
	refs := newTFRefIndex(tasks, func(t *ecsTask) *terraform.Object { return &t.td.Object })
	for _, svc := range b.res.ECSServices {
		ts := refs.resolve(svc.TaskDefinition, &svc.Object)
		if len(ts) != 1 {
			continue // unknown, or a count hoplint cannot tell apart
		}
		for _, lb := range svc.LoadBalancers {
			b.ecsLink(svc, ts[0], lb)
		}
	}
}

// ecsDocument returns the JSON value of a task definition's
// container_definitions, or nil (with a problem where silence would hide
// that its containers are not linted).
func (b *tfBuilder) ecsDocument(td *terraform.ECSTaskDefinition) *ecs.Node {
	cd := td.Containers
	switch {
	case cd.Tree != nil:
		return fromKubeNode(cd.Tree)
	case cd.Text != nil:
		if cd.File != nil {
			b.g.AddSource(cd.File)
		}
		root, prob := ecs.ParseJSON(ecs.Source{Path: cd.Path, Data: cd.Text, Lines: cd.Lines})
		if prob != nil {
			prob.Message = fmt.Sprintf("%s of %s: %s", "container_definitions", objName(&td.Object), prob.Message)
			b.g.AddProblems(*prob)
			return nil
		}
		return root
	}
	// Unknown: a module output or a variable without a default. The
	// target group in front of it then has nothing behind it, as before;
	// the service link needs the containers, so there is no edge either.
	return nil
}

// fromKubeNode turns the neutral tree of an HCL value into an ECS JSON
// node.
func fromKubeNode(n *terraform.KubeNode) *ecs.Node {
	if n == nil {
		return nil
	}
	out := &ecs.Node{Range: n.Range}
	switch n.Kind {
	case terraform.KubeMap:
		out.Kind = ecs.Map
		for _, k := range n.Keys {
			if v := fromKubeNode(k.Value); v != nil {
				out.Keys = append(out.Keys, ecs.Key{Name: k.Name, Range: k.Range, Value: v})
			}
		}
	case terraform.KubeList:
		out.Kind = ecs.List
		for _, it := range n.Items {
			if v := fromKubeNode(it); v != nil {
				out.Items = append(out.Items, v)
			}
		}
	case terraform.KubeScalar:
		out.Kind, out.Value, out.Quoted = ecs.Scalar, n.Value, n.Quoted
	default:
		out.Kind, out.Value = ecs.Unknown, n.Symbol
	}
	return out
}

func (b *tfBuilder) ecsContainerHop(t *ecsTask, c *ecs.Container, env *Env) {
	name := c.Name.Value
	if !c.Name.Known || name == "" {
		return // a container that no load_balancer block can name
	}
	if _, dup := t.hops[name]; dup {
		return // ECS refuses duplicate names
	}
	taskID := b.uniqueID(objID(&t.td.Object), &t.td.Object)
	h := ECSContainerHop(b.g, taskID, objName(&t.td.Object), &ECSContainer{Task: t.td, Container: c}, env)
	h.Notes = append(append([]string(nil), objNotes(&t.td.Object)...), h.Notes...)
	t.hops[name] = h
	t.names = append(t.names, name)
}

// ECSContainerHop makes the hop of one ECS container (its Container has a
// known name) and adds it to g: the app server its command line runs
// (topology/appserver), the ports its portMappings open, inside the task
// taskID (the unit loopback stays in) that messages call task. Terraform
// and the task-definition files of topology/ecs make their container hops
// with it, so that both read the same.
func ECSContainerHop(g *Graph, taskID, task string, cfg *ECSContainer, env *Env) *Hop {
	c := cfg.Container
	name := c.Name.Value
	h := &Hop{
		ID:     taskID + "/containers/" + name,
		Kind:   KindAppServer,
		File:   c.Range.File,
		Range:  c.Range,
		Config: cfg,
		Pods:   []string{taskID},
	}
	for _, pm := range c.PortMappings {
		if pm.ContainerPort.Known && pm.ContainerPort.Value > 0 && pm.ContainerPort.Value < 65536 {
			h.Listen = append(h.Listen, Listen{Port: int(pm.ContainerPort.Value), Range: pm.ContainerPort.Range})
		}
	}
	app := ecsAppServer(g, c, env)
	app.set(h)
	h.Notes = append(h.Notes, app.notes...)
	h.Name = fmt.Sprintf("container %s of ECS task definition %s", name, task)
	if app.label != "" {
		h.Name = fmt.Sprintf("%s in container %s of ECS task definition %s", app.label, name, task)
	}
	g.AddHop(h)
	return h
}

// ecsAppServer finds the app server a container runs from its command
// line, as for a pod's container (topology/appserver). The image's own
// ENTRYPOINT and CMD are known when the tree builds the image (a compose
// service names it with its Dockerfile): ECS's entryPoint replaces the
// ENTRYPOINT and drops the CMD, its command replaces the CMD, as Docker
// does. Values known only at apply time are left out.
func ecsAppServer(g *Graph, c *ecs.Container, env *Env) appInfo {
	known := func(ss []ecs.Str) []appserver.Str {
		var out []appserver.Str
		for _, s := range ss {
			if s.Known {
				out = append(out, appserver.Str{Value: s.Value, Range: s.Range})
			}
		}
		return out
	}
	ep, cmd := known(c.EntryPoint), known(c.Command)
	vars := map[string]appserver.Str{}
	proc := appserver.Process{
		Image: appserver.Str{Value: c.Image.Value, Range: c.Image.Range, Unknown: !c.Image.Known},
		Env:   vars, Version: env.Config.Version, Files: env.appFiles(nil, c.Range.File),
		// mountPoints are not read: any path may hold a config file.
		Opaque: []string{"/"},
	}
	var built []string
	if b := env.ImageBuild(c.Image.Value); b != nil && c.Image.Known {
		if len(c.EntryPoint) == 0 {
			ep = b.Entrypoint
			if len(c.Command) == 0 {
				cmd = b.Cmd
			}
		}
		for k, v := range b.Env {
			vars[k] = v
		}
		proc.FromImage = appserver.Str{Value: b.From, Range: b.FromRange, Unknown: b.From == ""}
		proc.Dockerfile, proc.Context = b.Dockerfile, b.Context
		proc.Mounts, proc.Runs = b.Mounts, b.Runs
		built = []string{"assuming image " + c.Image.Value + " is the one " + b.Why}
	}
	proc.Command = append(ep, cmd...)
	for _, e := range c.Environment {
		if e.Name.Known && e.Value.Known {
			vars[e.Name.Value] = appserver.Str{Value: e.Value.Value, Range: e.Value.Range}
		}
	}
	info := appserver.Identify(proc)
	recordApp(g, info)
	notes := info.Notes
	if info.Label != "" {
		notes = append(built, notes...)
	}
	return appLimits(appInfo{label: info.Label, keepAlive: info.KeepAlive, notes: notes}, info)
}

// ecsLink draws target group → container for one load_balancer block.
// Every part must resolve: the target group by reference, the container
// by its name in the service's task definition; a value known only at
// apply time (a module output, a variable without a default) draws no
// edge.
func (b *tfBuilder) ecsLink(svc *terraform.ECSService, t *ecsTask, lb terraform.ECSLoadBalancer) {
	name, ok := lb.ContainerName.Str()
	if !ok {
		return
	}
	h := t.hops[name]
	if h == nil {
		return
	}
	tgs := b.tgRefs.resolve(lb.TargetGroup, &svc.Object)
	if len(tgs) > 1 {
		tgs, _ = NewNearIndex(tgs, func(tg *tfTG) string { return tg.hop.File }).Nearest(svc.Range.File)
	}
	if len(tgs) != 1 {
		return
	}
	tg := tgs[0]
	port := ""
	if p, ok := lb.ContainerPort.Int(); ok {
		port = fmt.Sprintf(" port %d", p)
	}
	b.g.Link(&Edge{From: tg.hop, To: h, Confidence: Reference, Range: lb.Range,
		Why: fmt.Sprintf("ECS service %s registers container %s%s of %s in %s (load_balancer block)",
			objName(&svc.Object), name, port, objName(&t.td.Object), objName(&tg.tg.Object))})
}
