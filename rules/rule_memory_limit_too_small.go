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
spec:
  containers:
    - name: api
      image: example/api:1.0
      resources:
        limits:
          memory: 32Mi
`},
		{Name: "256Mi", Archive: `-- pod.yaml --
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
          memory: 256Mi
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
	for _, pc := range containers(p) {
		if pc.c.Resources == nil {
			continue
		}
		q, ok := pc.c.Resources.Limits["memory"]
		// A lower-case "m" is memory-quantity-typo's finding, not this one.
		if !ok || !q.OK || isMilliTypo(q) || q.Q.Cmp(min) >= 0 {
			continue
		}
		p.Report(Finding{
			Range: q.Range,
			Message: fmt.Sprintf("%s has a memory limit of %s, below the %s that hoplint takes as the least a server process needs (rule param min): it is likely to be OOM-killed under load, resetting its connections. Raise the limit to its measured peak plus headroom.",
				containerWords(pc), q.Raw, p.Param("min")),
		})
	}
}
