// Package ecs is the source of the path for Amazon ECS task-definition
// JSON files (task-definition.json, taskdef.json, what `aws ecs
// register-task-definition --cli-input-json` reads, what `aws ecs
// describe-task-definition` prints, or a bare container-definitions
// array): each container becomes a hop, as a container of a Terraform
// aws_ecs_task_definition does (topology.ECSContainerHop), with the app
// server its command line runs.
//
// A file that a Terraform task definition reads with file() or
// templatefile() is Terraform's: its containers are made there, inside
// that task definition, and this package leaves the file alone. A file no
// Terraform reads is linked to a target group only when an aws_ecs_service
// names its family as a literal ("web", "web:3", or the ARN) and no other
// linted task definition has that family: then the service's
// load_balancer blocks join their target groups to its containers by name,
// as ECS does.
//
// It registers with topology from init: import topology/sources.
package ecs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/ecs"
	"github.com/hoplint/hoplint/parsers/terraform"
	"github.com/hoplint/hoplint/topology"
)

func init() {
	topology.RegisterLoader(parsers.FormatECS, loadTaskFiles)
	// After the loaders, before the linkers that link by address
	// ("m-address") and draw assumed links ("z-assumed"), so that they see
	// these containers.
	topology.RegisterLinker("ecs-task-files", linkTaskFiles)
}

// taskFile is one parsed task-definition file, left by the loader for the
// linker: whether it is Terraform's is known only once every loader ran.
type taskFile struct {
	file *parsers.File
	res  *ecs.Result
}

func loadTaskFiles(part *topology.Graph, files []*parsers.File, _ *topology.Env) {
	res := make([]*ecs.Result, len(files))
	topology.ParallelFiles(part, files, func(i int, f *parsers.File) { res[i] = ecs.Parse(f) },
		func(i int, _ *parsers.File) { res[i] = &ecs.Result{} })
	for i, f := range files {
		part.AddConfig(parsers.FormatECS, &taskFile{file: f, res: res[i]})
	}
}

// task is a standalone task definition with its container hops by name.
type task struct {
	tf   *taskFile
	hops map[string]*topology.Hop
}

func linkTaskFiles(g *topology.Graph, env *topology.Env) {
	var files []*taskFile
	for _, c := range g.Configs[parsers.FormatECS] {
		if tf, ok := c.(*taskFile); ok {
			files = append(files, tf)
		}
	}
	if len(files) == 0 {
		return
	}
	sort.Slice(files, func(i, j int) bool { return files[i].file.Path < files[j].file.Path })
	readByTerraform := map[string]bool{}
	var tfFamilies = map[string]bool{}
	var services []*terraform.ECSService
	for _, c := range g.Configs[parsers.FormatTerraform] {
		switch o := c.(type) {
		case *terraform.ECSTaskDefinition:
			if f := o.Containers.File; f != nil {
				readByTerraform[f.Abs] = true
			}
			if fam, ok := o.Family.Str(); ok {
				tfFamilies[fam] = true
			} else if o.Family.Set {
				tfFamilies["\x00unknown"] = true
			}
		case *terraform.ECSService:
			services = append(services, o)
		}
	}
	byFamily := map[string][]*task{}
	for _, tf := range files {
		if readByTerraform[tf.file.Abs] {
			continue // its containers are the Terraform task definition's
		}
		g.AddProblems(tf.res.Problems...)
		if tf.res.Task == nil {
			continue
		}
		t := &task{tf: tf, hops: map[string]*topology.Hop{}}
		doc := tf.res.Task
		name := tf.file.Path
		if doc.Family.Known && doc.Family.Value != "" {
			name = doc.Family.Value
			byFamily[name] = append(byFamily[name], t)
		}
		for _, c := range doc.Containers {
			if !c.Name.Known || c.Name.Value == "" || t.hops[c.Name.Value] != nil {
				continue // no name a load_balancer block could use, or a duplicate ECS refuses
			}
			t.hops[c.Name.Value] = topology.ECSContainerHop(g, tf.file.Path+"#task-definition", name, &topology.ECSContainer{File: doc, Container: c}, env)
		}
	}
	bg := topology.TerraformBlueGreen(g)
	for _, svc := range services {
		linkService(g, svc, byFamily, tfFamilies, bg)
	}
}

// familyOf reads the family an aws_ecs_service's task_definition names
// when it is a literal: "web", "web:3" or
// "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3".
func familyOf(v terraform.Value) (string, bool) {
	if len(v.Refs) > 0 {
		return "", false // a Terraform task definition: Terraform links it
	}
	s, ok := v.Str()
	if !ok || s == "" {
		return "", false
	}
	if strings.HasPrefix(s, "arn:") {
		_, after, found := strings.Cut(s, ":task-definition/")
		if !found {
			return "", false
		}
		s = after
	}
	fam, _, _ := strings.Cut(s, ":")
	return fam, fam != ""
}

// linkService joins the target groups of svc's load_balancer blocks to the
// containers of the one task-definition file whose family svc names, and
// the target groups a CodeDeploy blue/green deployment group moves svc's
// tasks to (topology.BlueGreen).
func linkService(g *topology.Graph, svc *terraform.ECSService, byFamily map[string][]*task, tfFamilies map[string]bool, bg *topology.BlueGreen) {
	fam, ok := familyOf(svc.TaskDefinition)
	if !ok || len(byFamily[fam]) != 1 || tfFamilies[fam] || tfFamilies["\x00unknown"] {
		return // unknown, or ambiguous: no edge
	}
	t := byFamily[fam][0]
	for _, lb := range svc.LoadBalancers {
		cname, ok := lb.ContainerName.Str()
		if !ok || t.hops[cname] == nil {
			continue
		}
		tgs := topology.TerraformTargetGroups(g, lb.TargetGroup, &svc.Object)
		if len(tgs) != 1 {
			continue
		}
		port := ""
		if p, ok := lb.ContainerPort.Int(); ok {
			port = fmt.Sprintf(" port %d", p)
		}
		g.Link(&topology.Edge{From: tgs[0], To: t.hops[cname], Confidence: topology.Address, Range: lb.Range,
			Why: fmt.Sprintf("ECS service %s runs task definition family %s (task_definition = %q), which only %s defines among the linted files, and registers its container %s%s in %s (load_balancer block)",
				topology.TerraformName(&svc.Object), fam, mustStr(svc.TaskDefinition), t.tf.file.Path, cname, port, topology.TerraformName(&tgs[0].Config.(*terraform.TargetGroup).Object))})
	}
	bg.LinkECS(g, svc, t.hops, fmt.Sprintf("task definition family %s (%s, the only linted task definition of that family)", fam, t.tf.file.Path), topology.Address,
		func(lb terraform.ECSLoadBalancer) []*topology.Hop {
			return topology.TerraformTargetGroups(g, lb.TargetGroup, &svc.Object)
		})
}

func mustStr(v terraform.Value) string {
	s, _ := v.Str()
	return s
}
