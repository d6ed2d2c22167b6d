package rules

import (
	"fmt"
	"sort"

	"github.com/hoplint/hoplint/parsers"
)

var requestsExceedLimits = &Rule{
	ID:       "requests-exceed-limits",
	Title:    "a container requests more of a resource than its limit allows",
	Severity: Error,
	Doc: `Kubernetes requires every request to be at most the matching limit. A pod
that asks for more than it may use is rejected by the API server ("must be
less than or equal to … limit"): the Deployment never rolls out, or an HPA
scale-up silently fails. It usually comes from raising one value and
forgetting the other, or from a unit slip (` + "`1Gi`" + ` requested, ` + "`512Mi`" + ` limit).

Make the request at most the limit.

The same slip elsewhere: a compose service whose memory reservation
(` + "`deploy.resources.reservations.memory`" + `, ` + "`mem_reservation`" + `) is above its limit,
which Docker refuses to create, and an ECS container whose ` + "`memoryReservation`" + `
is above its ` + "`memory`" + ` (or the task's), which ECS rejects.`,
	Examples: []Example{
		{Name: "memory", Bad: true, Archive: `-- pod.yaml --
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: example/api:1.0
      resources:
        requests:
          memory: 1Gi
        limits:
          memory: 512Mi
`},
		{Name: "equal", Archive: `-- pod.yaml --
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: example/api:1.0
      resources:
        requests:
          memory: 512Mi
        limits:
          memory: 512Mi
`},
	},
	Run: runRequestsExceedLimits,
}

func init() { Register(requestsExceedLimits) }

func runRequestsExceedLimits(p *Pass) {
	reservationOther(p)
	for _, pc := range containers(p) {
		r := pc.c.Resources
		if r == nil {
			continue
		}
		names := make([]string, 0, len(r.Requests))
		for n := range r.Requests {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			req, lim := r.Requests[n], r.Limits[n]
			if !req.OK || !lim.OK || req.Q.Cmp(lim.Q) <= 0 {
				continue
			}
			p.Report(Finding{
				Range:   req.Range,
				Related: []parsers.Related{relatedAt(lim.Range, "the limit is "+lim.Raw+" here")},
				Message: fmt.Sprintf("%s requests %s of %s but its limit is %s: the API server rejects a pod whose request exceeds its limit. Lower the request to at most %s, or raise the limit.",
					containerWords(pc), req.Raw, n, lim.Raw, lim.Raw),
			})
		}
	}
}

// reservationOther checks the memory reservation of compose services and
// ECS containers against their hard limit: Docker refuses to create a
// container whose reservation is above its limit, and ECS rejects a
// container definition whose memoryReservation is above its memory, or
// above the task's memory (docs/facts/docker.md, docs/facts/aws.md).
func reservationOther(p *Pass) {
	for _, lc := range otherContainers(p) {
		res, lim := lc.r.MemoryReservation, lc.r.MemoryLimit
		if res == nil || lim == nil || res.N <= lim.N {
			continue
		}
		refuses := "Docker refuses to create the container (\"Minimum memory limit can not be less than memory reservation limit\"), so the service never starts"
		if lc.r.Product == "Amazon ECS" {
			refuses = "ECS rejects the task definition (a container's memoryReservation must be below its memory, and the containers' reservations below the task's memory), so it never registers"
		}
		p.Report(Finding{
			Range:   res.Range,
			Related: []parsers.Related{relatedAt(lim.Range, "the limit is "+lim.Raw+" here ("+amountSource(lim)+")")},
			Message: fmt.Sprintf("%s reserves %s of memory (%s, %s) but %s is %s (%s): %s. Lower %s to at most the limit, or raise %s.",
				lc.r.Words, res.Raw, res.Key, bytesWords(res.N), limitWords(lim), lim.Raw, bytesWords(lim.N), refuses, res.Key, limitFix(lim)),
		})
	}
}
