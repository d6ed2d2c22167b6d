package terraform

import (
	"github.com/zclconf/go-cty/cty"
)

// RegistryECSService is the service submodule of terraform-aws-modules/ecs:
// an aws_ecs_service with its aws_ecs_task_definition, built from the
// module's documented inputs (container_definitions, load_balancer, cpu,
// memory, family) without downloading it.
const RegistryECSService = "terraform-aws-modules/ecs/aws//modules/service"

// registrySubmodule recognises the registry submodules hoplint models,
// from a source already stripped of host and scheme.
func registrySubmodule(s string) string {
	switch s {
	case RegistryECSService, "github.com/terraform-aws-modules/terraform-aws-ecs//modules/service":
		return RegistryECSService
	}
	return ""
}

// Module defaults of modules/service (variables.tf, v5 and v6): the task's
// cpu and memory when the call sets none.
const (
	ecsModuleCPU    = 1024
	ecsModuleMemory = 2048
)

// ecsService models one call of the ECS service submodule: its task
// definition (the containers of container_definitions, each named by its
// key unless it sets name; v5's snake_case keys read as the camelCase of
// the container-definition JSON they become) and its service, whose
// load_balancer entries name a target group and a container.
func (m *modInst) ecsService(c *moduleCall, modPath string, inputs map[string]cty.Value) cty.Value {
	get := func(name string) node { return m.inputNode(c, inputs, name) }
	if !enabled(get("create")) {
		return cty.EmptyObjectVal
	}
	base := func(typ string) Object {
		return Object{Type: typ, Name: "this", Key: "0", Keyed: true, Single: true, Module: modPath, Root: m.rootRel, Range: m.rng(c.decl), Registry: RegistryECSService}
	}
	tdRef := Ref{Module: modPath, Type: "aws_ecs_task_definition", Name: "this", Key: "0"}
	svc := &ECSService{Object: base("aws_ecs_service"), SvcName: get("name").value(), Cluster: get("cluster_arn").value(),
		DeploymentController: get("deployment_controller").get("type").value()}
	if enabled(get("create_task_definition")) {
		td := &ECSTaskDefinition{Object: base("aws_ecs_task_definition"), Family: get("family").value(),
			CPU: get("cpu").value(), Memory: get("memory").value()}
		if td.CPU.Defaulted() {
			td.CPU = m.literal(c, cty.NumberIntVal(ecsModuleCPU), "the module's cpu is 1024 by default")
		}
		if td.Memory.Defaulted() {
			td.Memory = m.literal(c, cty.NumberIntVal(ecsModuleMemory), "the module's memory is 2048 (MiB) by default")
		}
		td.Containers = m.moduleContainers(c, inputs)
		m.l.res.ECSTaskDefinitions = append(m.l.res.ECSTaskDefinitions, td)
		svc.TaskDefinition = Value{Set: true, Val: cty.DynamicVal, Range: m.rng(c.decl), Refs: []Ref{tdRef}}
	} else {
		svc.TaskDefinition = get("task_definition_arn").value()
	}
	lbs := get("load_balancer")
	for _, k := range lbs.keys() {
		n := lbs.get(k)
		svc.LoadBalancers = append(svc.LoadBalancers, ECSLoadBalancer{Range: n.rng,
			TargetGroup: n.get("target_group_arn").value(), ContainerName: n.get("container_name").value(),
			ContainerPort: n.get("container_port").value()})
	}
	m.l.res.ECSServices = append(m.l.res.ECSServices, svc)
	out := cty.DynamicVal.Mark(Ref{Module: modPath, Type: "aws_ecs_service", Name: "this", Key: "0"})
	return cty.ObjectVal(map[string]cty.Value{"id": out, "name": out,
		"task_definition_arn": cty.DynamicVal.Mark(tdRef)})
}

// moduleContainers turns the module's container_definitions map into the
// list of container definitions the task definition gets.
func (m *modInst) moduleContainers(c *moduleCall, inputs map[string]cty.Value) ContainerDefs {
	a := c.inputs["container_definitions"]
	if a == nil {
		return ContainerDefs{Range: m.rng(c.decl), Unknown: "the module call sets no container_definitions"}
	}
	cd := ContainerDefs{Range: m.rng(a.Range)}
	w := &kubeWalker{m: m, budget: maxKubeNodes}
	tree := w.value(inputs["container_definitions"], a.Expr, nil, nil)
	switch {
	case w.budget < 0:
		cd.Unknown = "it holds too many values"
		return cd
	case tree == nil || tree.Kind != KubeMap:
		cd.Unknown = "its value is known only when Terraform applies"
		return cd
	}
	list := &KubeNode{Kind: KubeList, Range: tree.Range}
	for _, k := range tree.Keys {
		ct := camelKeys(k.Value)
		if ct == nil || ct.Kind != KubeMap {
			continue
		}
		if c := ct.Get("create"); c != nil && c.Kind == KubeScalar && c.Value == "false" {
			continue // create = false: the module makes no such container
		}
		if ct.Get("name") == nil {
			// The module names each container by its key.
			name := &KubeNode{Kind: KubeScalar, Value: k.Name, Quoted: true, Range: k.Range}
			ct.Keys = append([]KubeKey{{Name: "name", Range: k.Range, Value: name}}, ct.Keys...)
		}
		list.Items = append(list.Items, ct)
	}
	cd.Tree = list
	return cd
}

// camelKeys copies a tree with its snake_case keys in camelCase
// (port_mappings → portMappings), as the module's v5 container-definition
// submodule writes them into the JSON; camelCase keys (v6) stay.
func camelKeys(n *KubeNode) *KubeNode {
	if n == nil {
		return nil
	}
	out := *n
	switch n.Kind {
	case KubeMap:
		out.Keys = make([]KubeKey, 0, len(n.Keys))
		for _, k := range n.Keys {
			k.Name = camel(k.Name)
			if k.Name == "entrypoint" {
				k.Name = "entryPoint" // v6's input name for the JSON's entryPoint
			}
			k.Value = camelKeys(k.Value)
			out.Keys = append(out.Keys, k)
		}
	case KubeList:
		out.Items = make([]*KubeNode, 0, len(n.Items))
		for _, it := range n.Items {
			out.Items = append(out.Items, camelKeys(it))
		}
	}
	return &out
}
