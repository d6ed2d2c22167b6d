package rules

import (
	"fmt"
)

var missingMemoryLimit = &Rule{
	ID:       "missing-memory-limit",
	Title:    "a container without a memory limit",
	Severity: Warning,
	Doc: `A container without ` + "`resources.limits.memory`" + ` may grow until its node runs
out of memory. The kernel's OOM killer then picks a victim on that node —
often another pod — and every connection that process held is reset. With a
limit, only the container that overgrows is restarted, and the scheduler can
place pods knowing what they may use.

hoplint checks every container: app containers, init containers and
sidecars. A LimitRange among the linted files that gives containers in the
namespace a memory limit (its ` + "`default`" + `, or its ` + "`max`" + `, which Kubernetes makes
the default when ` + "`default`" + ` is unset) counts as a limit. It applies when the
LimitRange and the workload name the same namespace, or when neither names
one and both sit in the same directory (assumed to be applied together). Set
` + "`resources.limits.memory`" + ` a little above the memory the container uses at
peak. The finding points at the ` + "`resources:`" + ` block, or at the container's
` + "`name:`" + ` when it has none.

It is a warning on containers that may serve requests, and an info on those
that serve none: containers of Jobs and CronJobs and init containers (they
run to completion), and containers that declare no port and that nothing in
the linted files sends requests to. An overgrowing one still endangers the
node's other pods, but no request path runs through it.

Outside Kubernetes: an ECS container is reported only when it sets
` + "`memoryReservation`" + ` alone and neither its ` + "`memory`" + ` (its hard limit) nor the
task definition's ` + "`memory`" + ` (which caps all the task's containers) is written:
ECS registers that on EC2, and the container may grow past its reservation
to the instance's memory. The task's memory counts as a limit (on Fargate it
is required, so a Fargate container is never reported), and a definition with
no memory setting at all is one ECS refuses, a fragment sized elsewhere, so it
gets no finding. Compose services are not reported: Docker sets no limit by
default and most compose files are development stacks on one machine, where
a warning on every service would be noise (docs/facts/docker.md, aws.md).`,
	Examples: []Example{
		{Name: "no limit", Bad: true, Archive: `-- deploy.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.0
          resources:
            requests:
              memory: 256Mi
              cpu: 100m
`},
		{Name: "limit set", Archive: `-- deploy.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.0
          resources:
            requests:
              memory: 256Mi
            limits:
              memory: 512Mi
`},
	},
	Run: runMissingMemoryLimit,
}

func init() { Register(missingMemoryLimit) }

func runMissingMemoryLimit(p *Pass) {
	missingOther(p)
	served := servers(p)
	for _, pc := range containers(p) {
		if pc.w.Fragment {
			// A patch: the limit may be in the object it is merged into.
			continue
		}
		if r := pc.c.Resources; r != nil {
			if _, ok := r.Limits["memory"]; ok {
				continue
			}
		}
		if _, ok := limitRangeDefault(p, pc.w, "memory"); ok {
			continue
		}
		req := ""
		if r := pc.c.Resources; r != nil {
			if q, ok := r.Requests["memory"]; ok {
				req = fmt.Sprintf(" (it requests %s, which the scheduler reserves, but nothing caps it)", q.Raw)
			}
		}
		f := Finding{
			Range: containerAnchor(pc),
			Message: fmt.Sprintf("%s has no memory limit%s: it can grow until the node runs out of memory, and the OOM killer may then kill any process on that node. Set resources.limits.memory a little above its peak use.",
				containerWords(pc), req),
		}
		if _, server := served[pc.c]; !server {
			if why := servesNoTraffic(pc); why != "" {
				// Not the reset on a request path this tool is about, but
				// still a risk to the node's other pods.
				f.Severity = Info
				f.Message += " (Info, not a warning: " + why + ", so no request path runs through it.)"
			}
		}
		p.Report(f)
	}
}

// servesNoTraffic says why a container that nothing in the linted files
// sends requests to serves none at all: it runs to completion (a Job, a
// CronJob, an init container) or declares no port. "" when it may serve
// traffic that comes from outside the linted files.
func servesNoTraffic(pc podContainer) string {
	switch {
	case pc.w.Kind == "Job" || pc.w.Kind == "CronJob":
		return "it belongs to a " + pc.w.Kind + ", which runs to completion"
	case pc.c.Init && !pc.c.Sidecar:
		return "it is an init container, which runs to completion before the pod serves"
	case len(pc.c.Ports) == 0:
		return "it declares no port, and nothing in the linted files sends requests to it"
	}
	return ""
}

// missingOther reports the ECS containers that nothing caps
// (topology.ContainerResources.NoMemoryLimit). Compose services are not
// reported: see the rule's doc.
func missingOther(p *Pass) {
	for _, lc := range otherContainers(p) {
		if lc.r.NoMemoryLimit == "" {
			continue
		}
		f := Finding{
			Range: lc.r.NoMemoryLimitAt,
			Message: fmt.Sprintf("%s has no memory limit: %s. On EC2 it can grow until the container instance runs out of memory, and the OOM killer may then kill any task's process there. Set the container definition's memory a little above its peak use, or the task definition's memory.",
				lc.r.Words, lc.r.NoMemoryLimit),
		}
		if lc.server == nil && len(lc.hop.Listen) == 0 {
			f.Severity = Info
			f.Message += " (Info, not a warning: it maps no port, and nothing in the linted files sends requests to it, so no request path runs through it.)"
		}
		if lc.server != nil && !lc.server.Range.IsZero() {
			f.Related = append(f.Related, relatedAt(lc.server.Range, lc.server.From.Name+" sends requests to this container"))
		}
		p.Report(f)
	}
}
