package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
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
is above its ` + "`memory`" + ` (or the task's), which ECS rejects; and the containers
of an ECS task definition that together reserve (each its ` + "`memoryReservation`" + `,
else its ` + "`memory`" + `) more than the task's ` + "`memory`" + `, which ECS requires to be
lower.`,
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
		{Name: "ecs-task-sum", Bad: true, Archive: `-- main.tf --
resource "aws_ecs_task_definition" "app" {
  family = "app"
  memory = 1024
  container_definitions = jsonencode([
    { name = "api", image = "example/api:1.0", memoryReservation = 768 },
    { name = "log-router", image = "example/fluent-bit:1.0", memory = 512 },
  ])
}
`},
		{Name: "ecs-task-fits", Archive: `-- main.tf --
resource "aws_ecs_task_definition" "app" {
  family = "app"
  memory = 1024
  container_definitions = jsonencode([
    { name = "api", image = "example/api:1.0", memoryReservation = 512 },
    { name = "log-router", image = "example/fluent-bit:1.0", memoryReservation = 128, memory = 256 },
  ])
}
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
	containers := otherContainers(p)
	taskReservations(p, containers)
	for _, lc := range containers {
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

// taskReservations adds up, per ECS task definition, the memory its
// containers reserve (each one's memoryReservation, else its memory),
// which ECS requires to be lower than the task's memory
// (docs/facts/aws.md). A task with a container whose share is unknown is
// left alone, as is one where a single container's reservation is
// already above its limit (reservationOther reports that one).
func taskReservations(p *Pass, containers []limited) {
	type task struct {
		name    string
		mem     *topology.Amount
		members []limited
		skip    bool
	}
	var order []string
	tasks := map[string]*task{}
	for _, lc := range containers {
		c, ok := lc.hop.Config.(*topology.ECSContainer)
		if !ok || lc.r.TaskMemory == nil || len(lc.hop.Pods) != 1 {
			continue
		}
		id := lc.hop.Pods[0]
		t := tasks[id]
		if t == nil {
			t = &task{name: c.TaskName, mem: lc.r.TaskMemory}
			tasks[id] = t
			order = append(order, id)
		}
		res, lim := lc.r.MemoryReservation, lc.r.MemoryLimit
		if lc.r.TaskShareUnknown || res != nil && lim != nil && res.N > lim.N {
			t.skip = true
		}
		t.members = append(t.members, lc)
	}
	for _, id := range order {
		t := tasks[id]
		if t.skip {
			continue
		}
		var sum int64
		var parts []string
		var related []parsers.Related
		for _, lc := range t.members {
			sh := lc.r.TaskShare
			if sh == nil {
				continue
			}
			sum += sh.N
			name := lc.hop.Config.(*topology.ECSContainer).Container.Name.Value // grouped as ECS above
			parts = append(parts, fmt.Sprintf("%s %s (%s)", name, sh.Raw, sh.Key))
			related = append(related, relatedAt(sh.Range, fmt.Sprintf("container %s reserves %s here (%s)", name, sh.Raw, sh.Key)))
		}
		if len(parts) < 2 || sum <= t.mem.N {
			continue // one container alone is reservationOther's
		}
		p.Report(Finding{
			Range:   t.mem.Range,
			Related: related,
			Message: fmt.Sprintf("the containers of ECS task definition %s reserve %d MiB of memory together (%s), more than the task's memory, %s (%s): ECS requires the memory reserved by all containers of a task (each one's memoryReservation, else its memory) to be lower than the task's memory. Raise the task's memory above %d MiB (on Fargate, to a size Fargate offers), or lower the containers' memoryReservation.",
				t.name, sum>>20, strings.Join(parts, ", "), t.mem.Raw, amountSource(t.mem), sum>>20),
		})
	}
}
