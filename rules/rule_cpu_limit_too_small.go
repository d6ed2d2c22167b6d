package rules

import (
	"fmt"
)

var cpuLimitTooSmall = &Rule{
	ID:       "cpu-limit-too-small",
	Title:    "a container CPU limit so small that it is throttled into timeouts",
	Severity: Warning,
	Doc: `A CPU limit is enforced by CFS quota: a container limited to 20m may run
2 ms in every 100 ms period and is frozen for the rest. A request that needs
50 ms of CPU then takes well over two seconds, health checks time out, and
proxies in front give up with 504s or reset connections. The threshold
(param ` + "`min`" + `, default 50m) is the point below which that is near certain.

Raise the limit, or drop the CPU limit and keep a CPU request (the request
alone guarantees the share under contention).`,
	Params: []Param{{Name: "min", Doc: "smallest CPU limit accepted, as a Kubernetes quantity", Default: "50m"}},
	Examples: []Example{
		{Name: "20m", Bad: true, Archive: `-- pod.yaml --
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: example/api:1.0
      resources:
        limits:
          cpu: 20m
          memory: 128Mi
`},
		{Name: "500m", Archive: `-- pod.yaml --
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: example/api:1.0
      resources:
        limits:
          cpu: 500m
          memory: 128Mi
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
	for _, pc := range containers(p) {
		if pc.c.Resources == nil {
			continue
		}
		q, ok := pc.c.Resources.Limits["cpu"]
		if !ok || !q.OK || q.Q.Cmp(min) >= 0 {
			continue
		}
		p.Report(Finding{
			Range: q.Range,
			Message: fmt.Sprintf("%s has a CPU limit of %s (%d ms of CPU per 100 ms), below the %s that hoplint takes as the least a server needs (rule param min): CFS throttling stretches requests into timeouts. Raise the limit, or remove it and keep a CPU request.",
				containerWords(pc), q.Raw, q.Q.MilliValue()/10, p.Param("min")),
		})
	}
}
