package rules

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

// Helpers shared by the Kubernetes container rules.

// podContainer is one container with the workload it belongs to.
type podContainer struct {
	w *kubernetes.Workload
	c *kubernetes.Container
}

// containers lists every container of every linted workload: app
// containers, init containers and sidecars alike.
func containers(p *Pass) []podContainer {
	var out []podContainer
	for _, o := range p.Graph.Configs[parsers.FormatKubernetes] {
		if w, ok := o.(*kubernetes.Workload); ok {
			for _, c := range w.Pod.Containers {
				out = append(out, podContainer{w, c})
			}
		}
	}
	return out
}

// containerWords names a container in messages: "container web of
// Deployment shop/web", "init container migrate of …", "sidecar …".
func containerWords(pc podContainer) string {
	kind := "container"
	switch {
	case pc.c.Sidecar:
		kind = "sidecar container"
	case pc.c.Init:
		kind = "init container"
	}
	name := pc.c.Name.Value
	if name == "" {
		name = "(unnamed)"
	}
	return fmt.Sprintf("%s %s of %s", kind, name, pc.w.Ref())
}

// containerAnchor is where a container finding points: its resources:
// block, or its name: line when it has none.
func containerAnchor(pc podContainer) parsers.Range {
	if pc.c.Resources != nil {
		return pc.c.Resources.Range
	}
	return pc.c.Range
}

// limitRanges finds the LimitRange default of one resource for a workload:
// of the LimitRanges of its namespace that give one, the nearest to the
// workload's file (its own stack, as names resolve in topology), first of
// equally near ones. Built once per rule run, so that each container costs
// a lookup instead of a scan of every object.
type limitRanges struct {
	res  string
	byNS map[string]*topology.NearIndex[*kubernetes.LimitRange]
}

func newLimitRanges(p *Pass, res string) limitRanges {
	lists := map[string][]*kubernetes.LimitRange{}
	for _, o := range p.Graph.Configs[parsers.FormatKubernetes] {
		if lr, ok := o.(*kubernetes.LimitRange); ok {
			if q, ok := lr.DefaultLimits[res]; ok && q.OK {
				lists[lr.NS()] = append(lists[lr.NS()], lr)
			}
		}
	}
	l := limitRanges{res: res, byNS: map[string]*topology.NearIndex[*kubernetes.LimitRange]{}}
	for ns, lrs := range lists {
		l.byNS[ns] = topology.NewNearIndex(lrs, func(lr *kubernetes.LimitRange) string { return lr.File.Path })
	}
	return l
}

// defaultFor returns the default limit that applies to w's containers, if
// a linted LimitRange gives one.
func (l limitRanges) defaultFor(w *kubernetes.Workload) (kubernetes.Quantity, *kubernetes.LimitRange) {
	lrs, _ := l.byNS[w.NS()].Nearest(w.File.Path)
	if len(lrs) == 0 {
		return kubernetes.Quantity{}, nil
	}
	return lrs[0].DefaultLimits[l.res], lrs[0]
}

// quantityParam reads a rule param as a Kubernetes quantity.
func quantityParam(p *Pass, name string) (resource.Quantity, error) {
	return resource.ParseQuantity(p.Param(name))
}

// isMilliTypo reports a memory quantity written with a lower-case "m"
// suffix: Kubernetes reads "512m" as 0.512 bytes, not 512 mebibytes.
func isMilliTypo(q kubernetes.Quantity) bool {
	n := len(q.Raw)
	return q.OK && n > 1 && q.Raw[n-1] == 'm' && q.Raw[n-2] >= '0' && q.Raw[n-2] <= '9'
}

// bytesWords renders a byte count the way Kubernetes users write memory.
func bytesWords(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGi", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMi", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1fMi", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKi", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
