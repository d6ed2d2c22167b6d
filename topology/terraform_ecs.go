package topology

import (
	"strconv"
	"strings"

	"fmt"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/ecs"
	"github.com/hoplint/hoplint/parsers/terraform"
	"github.com/hoplint/hoplint/topology/appserver"
)

// ECS in Terraform: each container of an aws_ecs_task_definition is a hop
// (the app server it runs, as for a pod's container), and each
// load_balancer block of an aws_ecs_service links the target group it
// names to the container it names (and a CodeDeploy blue/green deployment
// group of the service links the other target group of its pair there
// too, codedeploy.go). The service's tasks share one network
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
	// TaskName names the task definition in messages.
	TaskName string
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
		b.blueGreen.LinkECS(b.g, svc, ts[0].hops, objName(&ts[0].td.Object), Reference, func(lb terraform.ECSLoadBalancer) []*Hop {
			var out []*Hop
			for _, t := range b.ecsTargetGroups(svc, lb) {
				out = append(out, t.hop)
			}
			return out
		})
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
	cfg.TaskName = task
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
	b := env.ImageBuild(c.Image.Value)
	if !c.Image.Known {
		b = nil
	}
	// A workflow's build of this very container wins over one found by
	// its image's name, unless .hoplint.yml names that image: the
	// configuration is the user's word.
	if cb := env.ContainerBuild(c.Range.File, c.Name.Value); cb != nil && c.Name.Known && !env.ConfigNamesImage(c.Image.Value) {
		b = cb
	}
	if b != nil {
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
		if b.Container {
			built = []string{"its image is the one " + b.Why}
		}
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
	tgs := b.ecsTargetGroups(svc, lb)
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

// ecsTargetGroups resolves the target_group_arn of a load_balancer
// block: the nearest by directory when copies of one target group remain.
func (b *tfBuilder) ecsTargetGroups(svc *terraform.ECSService, lb terraform.ECSLoadBalancer) []*tfTG {
	tgs := b.tgRefs.resolve(lb.TargetGroup, &svc.Object)
	if len(tgs) > 1 {
		tgs, _ = NewNearIndex(tgs, func(tg *tfTG) string { return tg.hop.File }).Nearest(svc.Range.File)
	}
	return tgs
}

// Resources is the container's limits as ECS applies them
// (docs/facts/aws.md, "Task and container sizes"): the container's memory
// is its hard limit, memoryReservation a soft one; the task's memory caps
// all its containers together, so a container without a memory of its own
// is held to the task's; the container's cpu is a relative share, not a
// limit, and the task's cpu is the quota.
func (c *ECSContainer) Resources() *ContainerResources {
	ct := c.Container
	r := &ContainerResources{
		Product: "Amazon ECS",
		Words:   fmt.Sprintf("container %s of ECS task definition %s", ct.Name.Value, c.TaskName),
		Anchor:  ct.Range,
		Env:     map[string]appserver.Str{},
	}
	for _, s := range append(append([]ecs.Str(nil), ct.EntryPoint...), ct.Command...) {
		if s.Known {
			r.Command = append(r.Command, appserver.Str{Value: s.Value, Range: s.Range})
		}
	}
	for _, e := range ct.Environment {
		if e.Name.Known && e.Value.Known {
			r.Env[e.Name.Value] = appserver.Str{Value: e.Value.Value, Range: e.Value.Range}
		}
	}
	if m := ct.Memory; m.Set && m.Known && m.Value > 0 {
		r.MemoryLimit = &Amount{N: m.Value << 20, Raw: fmt.Sprintf("%d MiB", m.Value), Key: "memory", Range: m.Range}
	}
	if m := ct.MemoryReservation; m.Set && m.Known && m.Value > 0 {
		r.MemoryReservation = &Amount{N: m.Value << 20, Raw: fmt.Sprintf("%d MiB", m.Value), Key: "memoryReservation", Range: m.Range}
	}
	// What the container takes from the task's memory: its
	// memoryReservation, else its memory (ContainerDefinition `memory`,
	// docs/facts/aws.md).
	switch res, mem := ct.MemoryReservation, ct.Memory; {
	case res.Set && !res.Known, !res.Set && mem.Set && !mem.Known:
		r.TaskShareUnknown = true
	case r.MemoryReservation != nil:
		r.TaskShare = r.MemoryReservation
	case r.MemoryLimit != nil:
		r.TaskShare = r.MemoryLimit // the container's memory, read above
	}
	taskMem, taskMemSet := c.taskSize("memory")
	r.TaskMemory = taskMem
	if taskMem != nil && (r.MemoryLimit == nil || taskMem.N < r.MemoryLimit.N) {
		r.MemoryLimit = taskMem
	}
	if cpu, _ := c.taskSize("cpu"); cpu != nil {
		r.CPULimit = cpu
	}
	// No hard limit at all: the container sets only memoryReservation,
	// and neither its memory nor the task's is written (an unknown value
	// is not "unset"). ECS registers that on EC2 and lets the container
	// grow past its reservation up to the instance's memory. With no
	// memory setting anywhere ECS rejects the definition (Fargate needs
	// the task's memory; EC2 one of memory or memoryReservation), so such
	// a file is a fragment whose sizes are set elsewhere, not a container
	// without a limit. Only a whole task definition can tell: a bare
	// container-definitions array may belong to a task whose memory is set
	// elsewhere.
	whole := c.Task != nil || (c.File != nil && c.File.Whole)
	if whole && !ct.Memory.Set && !taskMemSet && ct.MemoryReservation.Set && ct.MemoryReservation.Known {
		r.NoMemoryLimitAt = ct.MemoryReservation.Range
		r.NoMemoryLimit = fmt.Sprintf("it sets only memoryReservation (%d MiB), a soft limit it may grow past, and neither the container's memory (its hard limit) nor the task definition's memory (which caps all its containers) is set", ct.MemoryReservation.Value)
	}
	return r
}

// taskSize reads the task-level memory (MiB, or "N GB") or cpu (CPU
// units, or "N vCPU") as an Amount in bytes or millicores; set reports
// whether the task writes it at all, known or not.
func (c *ECSContainer) taskSize(which string) (a *Amount, set bool) {
	var raw, why string
	var at parsers.Range
	switch {
	case c.Task != nil:
		v := c.Task.Memory
		if which == "cpu" {
			v = c.Task.CPU
		}
		if !v.Set {
			return nil, false
		}
		s, ok := v.Str()
		if !ok {
			return nil, true
		}
		raw, at = s, v.Range
		if len(v.Via) > 0 && v.Via[0].Range == v.Range {
			why = v.Via[0].Message // a module default, written nowhere
		}
	case c.File != nil:
		v := c.File.Memory
		if which == "cpu" {
			v = c.File.CPU
		}
		if !v.Set {
			return nil, false
		}
		if !v.Known {
			return nil, true
		}
		raw, at = v.Value, v.Range
	default:
		return nil, false
	}
	n, ok := ecsTaskSize(raw, which)
	if !ok {
		return nil, true
	}
	if _, err := strconv.ParseFloat(strings.TrimSpace(raw), 64); err == nil {
		// A bare number: MiB or CPU units, said so in messages.
		raw = strings.TrimSpace(raw) + map[string]string{"memory": " MiB", "cpu": " CPU units"}[which]
	}
	return &Amount{N: n, Raw: raw, Key: "task " + which, Range: at, Why: why}, true
}

// ecsTaskSize converts a task size: memory as MiB ("1024") or GB ("1 GB",
// "1GB", which ECS reads as 1024 MiB) to bytes; cpu as CPU units ("256",
// 1024 per vCPU) or vCPUs ("0.25 vCPU") to millicores.
func ecsTaskSize(raw, which string) (int64, bool) {
	s := strings.ToLower(strings.TrimSpace(raw))
	unit := ""
	for _, u := range []string{"vcpu", "gb"} {
		if strings.HasSuffix(s, u) {
			unit, s = u, strings.TrimSpace(strings.TrimSuffix(s, u))
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 1<<20 {
		return 0, false
	}
	switch {
	case which == "memory" && unit == "":
		return int64(f * (1 << 20)), true
	case which == "memory" && unit == "gb":
		return int64(f * (1 << 30)), true
	case which == "cpu" && unit == "":
		return int64(f * 1000 / 1024), true
	case which == "cpu" && unit == "vcpu":
		return int64(f * 1000), true
	}
	return 0, false
}
