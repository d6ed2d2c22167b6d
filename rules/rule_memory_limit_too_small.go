package rules

import (
	"fmt"
)

var memoryLimitTooSmall = &Rule{
	ID:       "memory-limit-too-small",
	Title:    "a container memory limit below what any server process needs",
	Severity: Warning,
	Doc: `A memory limit below what a container needs to start at all: the container
never serves, and every restart resets the connections sent to it. The floor
(param ` + "`min`" + `, default 6Mi) is the one no server survives, whatever it runs:
Docker refuses a memory limit under 6 MB, and since runc's 2019 security fix
the runtime itself needs about that much to start a container
(docs/facts/runtimes.md). No runtime (JVM, Node, Python, Ruby, Go, nginx)
documents a larger minimum, so hoplint applies none: a 40Mi Go exporter is
fine, and what a process needs beyond that floor is its measured peak, not a
number hoplint could know.

The rule applies to servers only: containers that a hop in the linted files
sends requests to, by an edge hoplint did not have to assume (a Service whose
selector matches the pod and whose targetPort is a port the container
declares, or the pod's only container; an Ingress, load balancer, target
group or proxy reaching it that way). Init containers, Jobs and CronJobs, and
workers that nothing routes to get no finding here (missing-memory-limit
still checks them all). A container without a memory limit of its own takes
the limit a LimitRange of its namespace gives it (` + "`default`" + `, else ` + "`max`" + `);
the finding then cites the LimitRange.

Raise the limit to the container's measured peak plus headroom. To hold your
own servers to a higher floor (say 64Mi), set the param in .hoplint.yml.

Compose services (` + "`mem_limit`" + ` or ` + "`deploy.resources.limits.memory`" + `; a number
without a unit is bytes there) and ECS containers (the container's ` + "`memory`" + `,
else the task's) are checked the same way when something sends them requests.`,
	Params: []Param{{Name: "min", Doc: "smallest memory limit accepted, as a Kubernetes quantity", Default: defaultMemoryFloor}},
	Examples: []Example{
		{Name: "4Mi", Bad: true, Archive: `-- pod.yaml --
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
          memory: 4Mi
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

// defaultMemoryFloor is the least memory limit a container starts with
// (docs/facts/runtimes.md).
const defaultMemoryFloor = "6Mi"

func runMemoryLimitTooSmall(p *Pass) {
	min, err := quantityParam(p, "min")
	if err != nil {
		return
	}
	memoryTooSmallOther(p, min.Value())
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
		why := fmt.Sprintf("below the %s that hoplint takes as the least a server process needs (rule param min): it is likely to be OOM-killed under load, resetting its connections", p.Param("min"))
		if p.Param("min") == defaultMemoryFloor {
			why = "below 6Mi, the least memory a container starts with (Docker refuses less, and the container runtime alone needs about that much): it fails to start or is OOM-killed at once, so it never serves the requests sent to it"
		}
		f.Message = fmt.Sprintf("%s, which %s sends requests to, has %s, %s. %s%s",
			containerWords(pc), e.From.Name, limit, why, fix, assumptions(note))
		p.Report(f)
	}
}

// memoryTooSmallOther checks the hard memory limit of compose services and
// ECS containers that something sends requests to.
func memoryTooSmallOther(p *Pass, min int64) {
	for _, lc := range otherContainers(p) {
		lim := lc.r.MemoryLimit
		if lc.server == nil || lim == nil || lim.N >= min {
			continue
		}
		why := fmt.Sprintf("below the %s that hoplint takes as the least a server process needs (rule param min): it is likely to be OOM-killed under load, resetting its connections", p.Param("min"))
		if p.Param("min") == defaultMemoryFloor {
			why = "below 6Mi, the least memory a container starts with (Docker refuses less, and the container runtime alone needs about that much): it fails to start or is OOM-killed at once, so it never serves the requests sent to it"
		}
		unit := ""
		if lc.r.Product == "Docker Compose" && isDigits(lim.Raw) {
			unit = "; compose reads a number without a unit as bytes: write " + lim.Raw + "m for " + lim.Raw + " MiB"
		}
		f := Finding{Range: lim.Range, Message: fmt.Sprintf("%s, which %s sends requests to, has a memory limit of %s (%s, %s%s), %s. Raise %s to its measured peak plus headroom.",
			lc.r.Words, lc.server.From.Name, lim.Raw, limitWords(lim), bytesWords(lim.N), unit, why, limitFix(lim))}
		if !lc.server.Range.IsZero() {
			f.Related = append(f.Related, relatedAt(lc.server.Range, lc.server.From.Name+" sends requests to this container"))
		}
		p.Report(f)
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
