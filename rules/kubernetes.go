package rules

import (
	"fmt"
	"path"

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

// rangeLimit is the limit a LimitRange gives a container that sets none.
type rangeLimit struct {
	q  kubernetes.Quantity
	lr *kubernetes.LimitRange
	// words names it for messages: "the default memory limit of LimitRange
	// shop/defaults".
	words string
	// note is the assumption it rests on, if any.
	note string
}

// limitRangeDefault returns the limit of res that a linted LimitRange
// gives the containers of w that set none (docs/facts/kubernetes.md). A
// LimitRange applies to its own namespace only. When both objects name the
// same namespace it applies; when neither names one, they land wherever
// they are applied, so it applies only to a workload in the same directory
// and the assumption is spelled out; otherwise it does not.
func limitRangeDefault(p *Pass, w *kubernetes.Workload, res string) (rangeLimit, bool) {
	// Of the LimitRanges of its namespace, the nearest copies by directory:
	// a tree that repeats one environment per directory gives each its own.
	near, _ := p.limitRanges()[w.Namespace].Nearest(w.File.Path)
	for _, lr := range near {
		note := ""
		if w.Namespace == "" {
			if path.Dir(lr.File.Path) != path.Dir(w.File.Path) {
				continue
			}
			note = fmt.Sprintf("assuming %s and %s, which name no namespace, are applied to the same one", lr.Ref(), w.Ref())
		}
		q, fromMax, ok := lr.ContainerLimit(res)
		if !ok {
			continue
		}
		words := fmt.Sprintf("the default %s limit of %s", resourceWords(res), lr.Ref())
		if fromMax {
			words = fmt.Sprintf("the %s limit of %s (its max:, which Kubernetes makes the default when default: is unset)", resourceWords(res), lr.Ref())
		}
		return rangeLimit{q: q, lr: lr, words: words, note: note}, true
	}
	return rangeLimit{}, false
}

func resourceWords(res string) string {
	if res == "cpu" {
		return "CPU"
	}
	return res
}

// containerLimit returns a container's own limit of res, or else the one a
// LimitRange gives it. from says where it comes from for messages ("its
// limit" or the LimitRange's words); at is where to point a related
// location; note is an assumption to repeat.
func containerLimit(p *Pass, pc podContainer, res string) (q kubernetes.Quantity, from, note string, lr *kubernetes.LimitRange, ok bool) {
	if r := pc.c.Resources; r != nil {
		if q, ok := r.Limits[res]; ok {
			return q, "", "", nil, q.OK
		}
	}
	if d, ok := limitRangeDefault(p, pc.w, res); ok {
		return d.q, d.words, d.note, d.lr, true
	}
	return kubernetes.Quantity{}, "", "", nil, false
}

// servers maps each container that a hop sends traffic to onto one such
// edge: the far end of a forwarding edge (a Service whose selector and
// port reach it, an Ingress or load balancer through that Service, a proxy
// or target group linked to it) that hoplint did not have to assume. Init
// containers have no hop; a container that nothing in the linted files
// sends requests to is not serving them.
func servers(p *Pass) map[*kubernetes.Container]*topology.Edge {
	out := map[*kubernetes.Container]*topology.Edge{}
	for _, e := range p.Graph.Edges {
		pc, ok := e.To.Config.(*kubernetes.PodContainer)
		if !ok || e.Within || e.Confidence == topology.Assumed {
			continue
		}
		if _, seen := out[pc.Container]; !seen {
			out[pc.Container] = e
		}
	}
	return out
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

// limitRanges indexes the linted LimitRanges by namespace and path, built
// once per rule run: every container asks, and the objects of a large tree
// are many while LimitRanges are few.
func (p *Pass) limitRanges() map[string]*topology.NearIndex[*kubernetes.LimitRange] {
	if p.lrs == nil {
		byNS := map[string][]*kubernetes.LimitRange{}
		for _, o := range p.Graph.Configs[parsers.FormatKubernetes] {
			if lr, ok := o.(*kubernetes.LimitRange); ok {
				byNS[lr.Namespace] = append(byNS[lr.Namespace], lr)
			}
		}
		p.lrs = map[string]*topology.NearIndex[*kubernetes.LimitRange]{}
		for ns, lrs := range byNS {
			p.lrs[ns] = topology.NewNearIndex(lrs, func(lr *kubernetes.LimitRange) string { return lr.File.Path })
		}
	}
	return p.lrs
}

// tooSmall starts the finding of a size rule on a server container whose
// limit q of a resource is below the rule's minimum: on the limit's line,
// or, when a LimitRange gave it (from names it), on the container with the
// LimitRange's line related; e is the link that makes it a server. It
// returns the finding with its related locations, the words for the limit
// and the advice, which differs when the limit comes from a LimitRange.
func tooSmall(pc podContainer, e *topology.Edge, q kubernetes.Quantity, lr *kubernetes.LimitRange, from, words, fix, fixRange string) (Finding, string, string) {
	f := Finding{Range: q.Range}
	limit := "a " + words + " limit of " + q.Raw
	if lr != nil {
		fix = fixRange
		f.Range = containerAnchor(pc)
		f.Related = []parsers.Related{relatedAt(q.Range, fmt.Sprintf("%s gives containers without a %s limit %s here", lr.Ref(), words, q.Raw))}
		limit = fmt.Sprintf("no %s limit of its own, so it gets %s, %s", words, from, q.Raw)
	}
	if !e.Range.IsZero() {
		f.Related = append(f.Related, relatedAt(e.Range, e.From.Name+" sends requests to this container"))
	}
	return f, limit, fix
}
