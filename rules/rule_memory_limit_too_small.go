package rules

import (
	"fmt"
)

var memoryLimitTooSmall = &Rule{
	ID:       "memory-limit-too-small",
	Title:    "a container memory limit below what any server process needs",
	Severity: Warning,
	Doc: `A memory limit so small that the runtime, the language's heap and a few
buffers barely fit makes the container crash-loop or be OOM-killed under the
first burst of traffic; each kill resets every connection it held. The
threshold (param ` + "`min`" + `, default 64Mi) is deliberately low: below it hardly any
HTTP server stays up under load.

The rule applies to servers only: containers that a hop in the linted files
sends requests to, by an edge hoplint did not have to assume (a Service whose
selector matches the pod and whose targetPort is a port the container
declares, or the pod's only container; an Ingress, load balancer, target
group or proxy reaching it that way). Init containers, Jobs and CronJobs, and
workers that nothing routes to get no finding here (missing-memory-limit
still checks them all). A container without a memory limit of its own takes
the limit a LimitRange of its namespace gives it (` + "`default`" + `, else ` + "`max`" + `);
the finding then cites the LimitRange.

Raise the limit to the container's measured peak plus headroom. If a tiny
limit is intended (a static binary that truly needs 20Mi), raise nothing and
lower the param in .hoplint.yml, or suppress the finding with the reason.`,
	Params: []Param{{Name: "min", Doc: "smallest memory limit accepted, as a Kubernetes quantity", Default: "64Mi"}},
	Examples: []Example{
		{Name: "32Mi", Bad: true, Archive: `-- pod.yaml --
apiVersion: v1
kind: Pod
metadata:
  name: api
  labels: {app: api}
spec:
  containers:
    - name: api
      image: example/api:1.0
      ports:
        - containerPort: 8080
      resources:
        limits:
          memory: 32Mi
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - port: 80
      targetPort: 8080
`},
		{Name: "256Mi", Archive: `-- pod.yaml --
apiVersion: v1
kind: Pod
metadata:
  name: api
  labels: {app: api}
spec:
  containers:
    - name: api
      image: example/api:1.0
      ports:
        - containerPort: 8080
      resources:
        limits:
          memory: 256Mi
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
    - port: 80
      targetPort: 8080
`},
	},
	Run: runMemoryLimitTooSmall,
}

func init() { Register(memoryLimitTooSmall) }

func runMemoryLimitTooSmall(p *Pass) {
	min, err := quantityParam(p, "min")
	if err != nil {
		return
	}
	served := servers(p)
	for _, pc := range containers(p) {
		e, ok := served[pc.c]
		if !ok {
			continue // not a server: init containers, jobs, workers
		}
		q, from, note, lr, ok := containerLimit(p, pc, "memory")
		// A lower-case "m" is memory-quantity-typo's finding, not this one.
		if !ok || isMilliTypo(q) || q.Q.Cmp(min) >= 0 {
			continue
		}
		f, limit, fix := tooSmall(pc, e, q, lr, from, "memory",
			"Raise the limit to its measured peak plus headroom.",
			"Set resources.limits.memory on the container to its measured peak plus headroom, or raise the LimitRange's.")
		f.Message = fmt.Sprintf("%s, which %s sends requests to, has %s, below the %s that hoplint takes as the least a server process needs (rule param min): it is likely to be OOM-killed under load, resetting its connections. %s%s",
			containerWords(pc), e.From.Name, limit, p.Param("min"), fix, assumptions(note))
		p.Report(f)
	}
}
