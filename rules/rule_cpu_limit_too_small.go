package rules

import (
	"fmt"
	"strconv"
)

var cpuLimitTooSmall = &Rule{
	ID:       "cpu-limit-too-small",
	Title:    "a container CPU limit so small that it is throttled into timeouts",
	Severity: Warning,
	Doc: `A CPU limit is enforced by CFS quota: a container limited to 10m may run
1 ms in every 100 ms period and is frozen for the rest. The floor (param
` + "`min`" + `, default 10m) is the smallest limit Kubernetes enforces as written: the
kernel takes no quota under 1 ms per period, and the kubelet raises smaller
ones to 1 ms (docs/facts/runtimes.md). Below it the written limit is not
what runs, and a server held to 1 ms of CPU per 100 ms needs more than a
second for any request that takes 10 ms of CPU, past the kubelet's default
probe timeout of 1 s: probes fail, the container restarts, and proxies in
front answer 504 or reset connections. No runtime documents a larger minimum,
so hoplint applies none: a Go exporter at 20m is fine.

The rule applies to servers only: containers that a hop in the linted files
sends requests to, by an edge hoplint did not have to assume (a Service whose
selector matches the pod and whose targetPort is a port the container
declares, or the pod's only container; an Ingress, load balancer, target
group or proxy reaching it that way). Init containers, Jobs and CronJobs, and
workers that nothing routes to get no finding: throttling slows them but
resets no connection. A container without a CPU limit of its own takes the
limit a LimitRange of its namespace gives it (` + "`default`" + `, else ` + "`max`" + `); the
finding then cites the LimitRange.

Raise the limit, or drop the CPU limit and keep a CPU request (the request
alone guarantees the share under contention). To hold your own servers to a
higher floor (say 50m), set the param in .hoplint.yml.

A compose service's limit is ` + "`cpus`" + ` or ` + "`deploy.resources.limits.cpus`" + ` (0.01 is
10m). An ECS container's ` + "`cpu`" + ` is a relative share, not a limit; the task
definition's ` + "`cpu`" + ` (1024 units per vCPU) is the quota, and ECS accepts none
below 128 units, so ECS tasks meet the default floor.`,
	Params: []Param{{Name: "min", Doc: "smallest CPU limit accepted, as a Kubernetes quantity", Default: "10m"}},
	Examples: []Example{
		{Name: "5m", Bad: true, Archive: `-- pod.yaml --
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
          cpu: 5m
          memory: 128Mi
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
		{Name: "500m", Archive: `-- pod.yaml --
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
          cpu: 500m
          memory: 128Mi
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
	Run: runCPULimitTooSmall,
}

func init() { Register(cpuLimitTooSmall) }

func runCPULimitTooSmall(p *Pass) {
	min, err := quantityParam(p, "min")
	if err != nil {
		return
	}
	cpuTooSmallOther(p, min.MilliValue())
	served := servers(p)
	for _, pc := range containers(p) {
		e, ok := served[pc.c]
		if !ok {
			continue // not a server: init containers, jobs, workers
		}
		q, from, note, lr, ok := containerLimit(p, pc, "cpu")
		if !ok || q.Q.Cmp(min) >= 0 {
			continue
		}
		f, limit, fix := tooSmall(pc, e, q, lr, from, "CPU",
			"Raise the limit, or remove it and keep a CPU request.",
			"Set resources.limits.cpu on the container, or raise the LimitRange's.")
		f.Message = fmt.Sprintf("%s, which %s sends requests to, has %s (%s ms of CPU per 100 ms), below the %s that hoplint takes as the least a server needs (rule param min): CFS throttling stretches requests into timeouts. %s%s",
			containerWords(pc), e.From.Name, limit, cpuMillisPerPeriod(q.Q.MilliValue()), p.Param("min"), fix, assumptions(note))
		p.Report(f)
	}
}

// cpuMillisPerPeriod is the CPU time a limit of milli millicores allows in
// each 100 ms CFS period, in milliseconds: 20m is 2 ms, 5m is 0.5 ms (an
// integer division said "0 ms", which reads as no CPU at all).
func cpuMillisPerPeriod(milli int64) string {
	return strconv.FormatFloat(float64(milli)/10, 'f', -1, 64)
}

// cpuTooSmallOther checks the CPU quota of compose services (cpus,
// deploy.resources.limits.cpus) and ECS tasks (the task's cpu; a
// container's cpu is a relative share, not a limit) that something sends
// requests to.
func cpuTooSmallOther(p *Pass, minMilli int64) {
	for _, lc := range otherContainers(p) {
		lim := lc.r.CPULimit
		if lc.server == nil || lim == nil || lim.N >= minMilli {
			continue
		}
		f := Finding{Range: lim.Range, Message: fmt.Sprintf("%s, which %s sends requests to, has a CPU limit of %s (%s, %s ms of CPU per 100 ms), below the %s that hoplint takes as the least a server needs (rule param min): CFS throttling stretches requests into timeouts. Raise %s.",
			lc.r.Words, lc.server.From.Name, lim.Raw, limitWords(lim), cpuMillisPerPeriod(lim.N), p.Param("min"), limitFix(lim))}
		if !lc.server.Range.IsZero() {
			f.Related = append(f.Related, relatedAt(lc.server.Range, lc.server.From.Name+" sends requests to this container"))
		}
		p.Report(f)
	}
}
