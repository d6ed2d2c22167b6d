package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

var ambiguousLink = &Rule{
	ID:       "ambiguous-link",
	Title:    "a link with too many candidates to draw, so what lies behind it is not checked",
	Severity: Info,
	Doc: `hoplint links hops it can tell apart: an Ingress to its Service, a Service to
the workloads its selector matches. When a selector matches more than 64
workloads (` + "`app: web`" + `, carried by the pods of hundreds of Deployments),
every one of those links would be a guess, and together they are a cross
product that no finding could word usefully. hoplint then draws none and says
so here: the timeouts and limits behind that Service are not compared.

Give the Service a selector that names its own pods (add a label only its
Deployment's pods carry), or declare the stack in ` + "`.hoplint.yml`" + `.

Apache httpd gives every virtual host the main server's ProxyPass,
RewriteRule and balancer workers. When that cross product passes 100,000
pairs (a thousand of each), hoplint links the virtual hosts past the limit, in
order, to none of those workers and says so on the first of them. Move the
main server's proxying into the virtual hosts that use it.

Copies of one object (the same Deployment written once per environment) are
not ambiguous: each Service links to the copy nearest to it by directory, and
when several copies are equally near, to the first, with the assumption
written into the link (the cross-hop findings repeat it; ` + "`link: strict`" + ` drops such
links).`,
	Examples: []Example{
		{Name: "one selector for every Deployment", Bad: true, Archive: sharedSelectorArchive(65)},
		{Name: "a selector two Deployments share", Archive: sharedSelectorArchive(2)},
	},
	Run: func(p *Pass) { reportProblems(p, parsers.ProblemAmbiguous) },
}

func init() { Register(ambiguousLink) }

// sharedSelectorArchive is a Service whose selector matches n Deployments.
func sharedSelectorArchive(n int) string {
	var b strings.Builder
	b.WriteString(`-- service.yaml --
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8000}]
-- deployments.yaml --
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-%d
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
          ports: [{containerPort: 8000}]
          resources: {limits: {memory: 256Mi, cpu: 500m}}
`, i)
	}
	return b.String()
}
