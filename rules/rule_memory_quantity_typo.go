package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers/kubernetes"
)

var memoryQuantityTypo = &Rule{
	ID:       "memory-quantity-typo",
	Title:    "a memory quantity written with a lower-case m (millibytes)",
	Severity: Error,
	Doc: `In Kubernetes quantities a lower-case ` + "`m`" + ` means milli: ` + "`memory: 512m`" + ` is 0.512
bytes, not 512 mebibytes. As a limit it leaves the container no memory at all
(it is killed at start or the runtime refuses it); as a request it reserves
nothing. The API accepts it without a word.

Write ` + "`512Mi`" + ` (mebibytes, 2^20) or ` + "`512M`" + ` (megabytes, 10^6).`,
	Examples: []Example{
		{Name: "512m", Bad: true, Archive: `-- pod.yaml --
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
          memory: 512m
`},
		{Name: "512Mi", Archive: `-- pod.yaml --
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
          memory: 512Mi
`},
	},
	Run: runMemoryQuantityTypo,
}

func init() { Register(memoryQuantityTypo) }

func runMemoryQuantityTypo(p *Pass) {
	for _, pc := range containers(p) {
		r := pc.c.Resources
		if r == nil {
			continue
		}
		check := func(kind string, q kubernetes.Quantity, ok bool) {
			if !ok || !isMilliTypo(q) {
				return
			}
			fixed := strings.TrimSuffix(q.Raw, "m")
			p.Report(Finding{
				Range: q.Range,
				Fix:   &Fix{Range: q.Range, Old: q.Raw, New: fixed + "Mi", Description: "write " + fixed + "Mi (mebibytes; " + fixed + "M would be megabytes)"},
				Message: fmt.Sprintf("%s has a memory %s of %q, which Kubernetes reads as %s bytes (a lower-case m means milli), not %s mebibytes. Write %sMi (or %sM for megabytes).",
					containerWords(pc), kind, q.Raw, q.Q.AsDec().String(), fixed, fixed, fixed),
			})
		}
		q, ok := r.Limits["memory"]
		check("limit", q, ok)
		q, ok = r.Requests["memory"]
		check("request", q, ok)
	}
}
