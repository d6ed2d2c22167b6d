package rules

import (
	"fmt"
	"strings"
)

var keepaliveDisabled = &Rule{
	ID:       "keepalive-disabled",
	Title:    "keep-alive switched off on a server that sits behind a proxy or load balancer",
	Severity: Info,
	Doc: `With keep-alive off (` + "`keepalive_timeout 0`" + ` in nginx, ` + "`KeepAlive Off`" + ` in Apache) a
server closes every connection after one response. Behind a proxy or load
balancer that would otherwise reuse connections, every request then pays a
new TCP (and often TLS) handshake, and the proxy churns through ephemeral
ports. It is not an error — nothing resets — but it is rarely what was meant.

hoplint reports it only for servers it found behind another hop, and names
that hop. Turn keep-alive on with a timeout longer than the proxy's pool idle
timeout (see keepalive-order).`,
	Examples: []Example{
		{Name: "app keep-alive off behind an ALB ingress", Bad: true, Archive: "-- app.yaml --\n" + keepaliveDisabledApp},
		{Name: "app keep-alive above the ALB idle timeout", Archive: "-- app.yaml --\n" + strings.Replace(keepaliveDisabledApp, `"0s"`, `"65s"`, 1)},
	},
	Run: runKeepaliveDisabled,
}

const keepaliveDisabledApp = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
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
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
      annotations:
        hoplint.dev/keepalive-timeout: "0s"
    spec:
      containers:
        - name: web
          image: example/web:1.0
          resources:
            limits:
              memory: 256Mi
              cpu: 500m
          lifecycle:
            preStop:
              sleep:
                seconds: 10
`

func init() { Register(keepaliveDisabled) }

func runKeepaliveDisabled(p *Pass) {
	for _, h := range p.Graph.Hops {
		ka := h.KeepAlive
		if !ka.Known() || ka.Value != 0 {
			continue
		}
		in := p.Graph.In(h)
		if len(in) == 0 {
			continue
		}
		var names []string
		var related = settingRelated(ka, "")[:0]
		for _, e := range in {
			names = append(names, e.From.Name)
			related = append(related, relatedAt(e.From.Range, e.From.Name+" forwards requests to it ("+e.Why+")"))
		}
		p.Report(Finding{
			Range:   ka.Range,
			Related: related,
			Message: fmt.Sprintf("%s has keep-alive switched off (%s), yet %s %s requests to it: every request opens a new connection. Turn keep-alive on with a timeout above the proxy's pool idle timeout.%s",
				h.Name, ka.Name, strings.Join(names, " and "), plural(len(names), "forwards", "forward"), assumptions(append(h.Notes, ka.Note)...)),
		})
	}
}
