package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

var missingPrestopDrain = &Rule{
	ID:       "missing-prestop-drain",
	Title:    "a pod behind a load balancer or ingress stops without waiting to be drained",
	Severity: Warning,
	Doc: `When a pod is deleted (a rollout, a scale-down, a node drain), Kubernetes sends
SIGTERM to its containers at the same moment it starts removing the pod from
the Service's endpoints. The ingress controller, kube-proxy and the cloud
load balancer learn about that removal seconds later — an ALB only after the
target is deregistered. Until then they keep sending new requests, and
keep reusing pooled connections, to a process that is already shutting down:
connection refused, resets and 502s (503s behind Envoy) on every deploy.

A ` + "`preStop`" + ` hook that waits a few seconds keeps the container serving until
everyone has stopped sending to it:

    lifecycle:
      preStop:
        sleep:
          seconds: 10        # the sleep action (GA in Kubernetes 1.34); or exec: ["sleep", "10"]

Keep the wait below ` + "`terminationGracePeriodSeconds`" + ` (30 by default), which
counts the hook's time too.

The grace period must also outlast the load balancer's deregistration delay
where the files set one (a Terraform target group's ` + "`deregistration_delay`" + `,
the controller's ` + "`deregistration_delay.timeout_seconds`" + ` target-group
attribute on an Ingress or an NLB Service): the load balancer lets requests in flight to a deregistering
target run that long, but the kubelet kills the pod when the grace period
ends, cutting whatever is still running. hoplint reports only containers that an Ingress,
a load balancer or another linted proxy sends traffic to; a proxy in the
same pod (an nginx sidecar reaching the app on localhost) does not count, as
it needs no endpoints and stops with the pod.`,
	Examples: []Example{
		{Name: "ingress to pod without preStop", Bad: true, Archive: `-- app.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
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
          ports:
            - containerPort: 8000
          resources:
            limits: {memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8000
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/target-type: ip
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`},
		{Name: "preStop sleep", Archive: `-- app.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
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
          ports:
            - containerPort: 8000
          lifecycle:
            preStop:
              sleep:
                seconds: 10
          resources:
            limits: {memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8000
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`},
		{Name: "grace period shorter than the deregistration delay", Bad: true, Archive: drainOrderExample},
		{Name: "grace period longer than the deregistration delay", Archive: strings.Replace(drainOrderExample, "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 75", 1)},
	},
	Run: runMissingPrestopDrain,
}

const drainOrderExample = `-- app.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: web
          image: example/web:1.0
          ports:
            - containerPort: 8000
          lifecycle:
            preStop:
              sleep:
                seconds: 10
          resources:
            limits: {memory: 256Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8000
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/target-type: ip
    alb.ingress.kubernetes.io/target-group-attributes: deregistration_delay.timeout_seconds=60
spec:
  ingressClassName: alb
  defaultBackend:
    service:
      name: web
      port:
        number: 80
`

func init() { Register(missingPrestopDrain) }

// senders returns the hops that send traffic to a container from outside
// the pod's Service: ingresses, load balancers, other proxies, or anything
// that reaches the Service itself.
func senders(g *topology.Graph, h *topology.Hop) []*topology.Hop {
	seen := map[*topology.Hop]bool{}
	var out []*topology.Hop
	add := func(s *topology.Hop) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, e := range g.In(h) {
		from := e.From
		if from.SharesPod(h) {
			// A proxy in the same pod (nginx to localhost) reaches the
			// container without endpoints, and stops with it.
			continue
		}
		if svc, ok := from.Config.(*kubernetes.Service); ok && from.Kind == topology.KindService && svc.Type.Value != "LoadBalancer" {
			// A ClusterIP or NodePort Service is only a path; who sends
			// through it counts.
			for _, e2 := range g.In(from) {
				add(e2.From)
			}
			continue
		}
		add(from)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func runMissingPrestopDrain(p *Pass) {
	for _, h := range p.Graph.Hops {
		pc, ok := h.Config.(*kubernetes.PodContainer)
		if !ok {
			continue
		}
		from := senders(p.Graph, h)
		if len(from) == 0 {
			continue
		}
		c := pc.Container
		grace := 30
		graceWords := "terminationGracePeriodSeconds (30, the Kubernetes default)"
		g := pc.Workload.Pod.TerminationGracePeriod
		if g.Unknown {
			// Written in Terraform and known only at apply time: no
			// ordering can be judged against it.
			graceWords = "terminationGracePeriodSeconds (known only after apply)"
		}
		if g.Set && !g.Unknown {
			if n, err := strconv.Atoi(g.Value); err == nil {
				grace, graceWords = n, "terminationGracePeriodSeconds ("+g.Value+")"
			}
		}
		// Two objects of one name (the same GRPCRoute in two example
		// files) are named once; the related locations show both.
		var names []string
		related := make([]parsers.Related, 0, len(from))
		for _, s := range from {
			if len(names) == 0 || names[len(names)-1] != s.Name {
				names = append(names, s.Name)
			}
			related = append(related, relatedAt(s.Range, s.Name+" sends requests to this container"))
		}
		cw := containerWords(podContainer{pc.Workload, c})
		if c.PreStop.IsZero() {
			p.Report(Finding{
				Range:   c.Range,
				Related: related,
				Message: fmt.Sprintf("%s receives traffic from %s but has no preStop hook: on every rollout it gets SIGTERM while it is still being removed from the endpoints, and requests sent in those seconds fail with %s. Add lifecycle.preStop with a sleep of a few seconds (sleep: {seconds: 10} on Kubernetes 1.34+, or exec sleep 10), below %s.",
					cw, strings.Join(names, " and "), failWords(from), graceWords),
			})
			continue
		}
		if g.Unknown {
			continue
		}
		reportDrainOrder(p, from, cw, grace, graceWords, g.Range, c.PreStop)
		if c.PreStopSleep >= grace {
			p.Report(Finding{
				Range:   c.PreStop,
				Related: related,
				Message: fmt.Sprintf("%s waits %ds in its preStop hook, but %s counts that wait too: the container is killed before it can finish in-flight requests. Make the sleep shorter than the grace period, or raise the grace period.",
					cw, c.PreStopSleep, graceWords),
			})
		}
	}
}

// failWords says how requests sent to a stopping container fail, from
// what its senders answer when a connection is refused or reset
// (closedAnswer): "resets or 502s" behind nginx or an ALB, "resets or
// 503s" behind Envoy, "resets or errors" behind a proxy whose answer
// hoplint does not know, only refused or reset connections behind a
// Service's load balancer or an NLB, which pass TCP through.
func failWords(from []*topology.Hop) string {
	var codes []string
	seen := map[string]bool{}
	for _, s := range from {
		c := closedAnswer(s)
		switch {
		case c != "":
			c += "s"
		case s.Kind == topology.KindService || s.Kind == topology.KindNLB:
			continue
		default:
			c = "errors"
		}
		if !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	if len(codes) == 0 {
		return "refused or reset connections"
	}
	return "resets or " + strings.Join(codes, " or ")
}
