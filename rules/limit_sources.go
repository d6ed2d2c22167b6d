package rules

import (
	"sort"

	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

// The limit rules read Kubernetes containers (kubernetes.go) and, through
// topology.ContainerResources, the containers of the other sources:
// compose services and ECS containers, each with its product's semantics
// (docs/facts/docker.md, docs/facts/aws.md).

// limited is one non-Kubernetes container with its limits, and the edge
// that makes it a server (nil when nothing in the linted files sends it
// requests).
type limited struct {
	hop    *topology.Hop
	r      *topology.ContainerResources
	server *topology.Edge
}

// otherContainers lists the hops whose config carries limits of its own,
// in graph order.
func otherContainers(p *Pass) []limited {
	var out []limited
	for _, h := range p.Graph.Hops {
		rh, ok := h.Config.(topology.ResourceHolder)
		if !ok {
			continue
		}
		out = append(out, limited{hop: h, r: rh.Resources()})
	}
	if len(out) == 0 {
		return nil
	}
	// The first forwarding edge into each hop that hoplint did not have to
	// assume, as servers() does for pods.
	in := map[*topology.Hop]*topology.Edge{}
	for _, e := range p.Graph.Edges {
		if e.Within || e.Confidence == topology.Assumed || e.From == e.To {
			continue
		}
		if _, seen := in[e.To]; !seen {
			in[e.To] = e
		}
	}
	for i := range out {
		out[i].server = in[out[i].hop]
	}
	return out
}

// heapSettingsOf reads the heap flags of a non-Kubernetes container from
// its environment and command line, as heapSettings does for a pod's.
func heapSettingsOf(r *topology.ContainerResources) []heapSetting {
	c := &kubernetes.Container{}
	names := make([]string, 0, len(r.Env))
	for n := range r.Env {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := r.Env[n]
		if v.Unknown {
			continue
		}
		c.Env = append(c.Env, kubernetes.EnvVar{Name: kubernetes.Str{Value: n, Set: true}, Value: kubernetes.Str{Value: v.Value, Set: true, Range: v.Range}})
	}
	for _, s := range r.Command {
		if !s.Unknown {
			c.Command = append(c.Command, kubernetes.Str{Value: s.Value, Set: true, Range: s.Range})
		}
	}
	return heapSettings(c)
}

// limitWords names a memory or CPU limit of a non-Kubernetes container:
// "its mem_limit", "its memory (hard limit)", "its task's memory, which
// caps all the task's containers".
func limitWords(a *topology.Amount) string {
	switch a.Key {
	case "memory":
		return "its memory (the container's hard limit)"
	case "task memory":
		return "its task definition's memory, which caps all the task's containers together"
	case "task cpu":
		return "its task definition's cpu, which caps all the task's containers together"
	}
	return "its " + a.Key
}

// limitFix says what to change, in the product's terms.
func limitFix(a *topology.Amount) string {
	switch a.Key {
	case "task memory", "task cpu":
		return "the task definition's " + a.Key[len("task "):]
	case "memory":
		return "the container definition's memory"
	}
	return a.Key
}

// amountSource names the setting a value comes from for a related
// location: its key, and the default it is when nothing writes it.
func amountSource(a *topology.Amount) string {
	if a.Why != "" {
		return a.Key + "; " + a.Why
	}
	return a.Key
}
