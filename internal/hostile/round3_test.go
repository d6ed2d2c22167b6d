//go:build linux

package hostile_test

import (
	"fmt"
	"strings"
	"testing"
)

// Cases of issue 25 (hostile input, round 3) that the pipeline alone
// shows; the ones that need the command line are in cmd/hoplint. Names
// carry the item number.
var round3 = []hostileCase{
	// 3. Fingerprints hashed the whole line once per finding: a one-line
	// file with many findings was quadratic in time and memory.
	{name: "3 one-line JSON manifest of 15000 Deployments", gen: func(t *testing.T, d string) {
		items := make([]string, 15000)
		for i := range items {
			items[i] = fmt.Sprintf(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d%d"},"spec":{"selector":{"matchLabels":{"app":"a%d"}},"template":{"metadata":{"labels":{"app":"a%d"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}`, i, i, i)
		}
		write(t, d, "list.json", `{"apiVersion":"v1","kind":"List","items":[`+strings.Join(items, ",")+`]}`)
	}, want: []want{{"missing-memory-limit", "d/list.json", 1, `container c`}}},
	{name: "3 20000 nginx servers on one line", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("events {} http { ")
		for i := range 20000 {
			fmt.Fprintf(&b, "upstream b%d { server 10.0.0.1:80; keepalive 8; } server { listen %d; server_name s%d; location / { proxy_pass http://b%d; } } ", i, 1000+i, i, i)
		}
		b.WriteString("}\n")
		write(t, d, "nginx.conf", b.String())
	}, want: []want{{"missing-body-size-limit", "d/nginx.conf", 1, `s19999`}}},

	// 5. A kubernetes_manifest without its manifest panicked while the
	// Terraform files were combined, and every Terraform finding of the
	// tree was lost.
	{name: "5 kubernetes_manifest without manifest", gen: func(t *testing.T, d string) {
		write(t, d, "k8s.tf", "resource \"kubernetes_manifest\" \"x\" {}\n")
		write(t, d, "lb.tf", nlb)
	}, want: []want{
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
		{"skipped-file", "d/k8s.tf", 1, `kubernetes_manifest\.x has no manifest argument`},
	}, maxFindings: 2},
	{name: "5 kubernetes_manifest without manifest, counted", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "resource \"kubernetes_manifest\" \"x\" {\n  count = 3\n}\n"+nlb)
	}, want: []want{
		{"ignored-lb-attribute", "d/main.tf", 6, `idle_timeout`},
		{"skipped-file", "d/main.tf", 1, `kubernetes_manifest\.x has no manifest argument`},
	}, maxFindings: 2},
	{name: "5 kubernetes_manifest with a null manifest", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "resource \"kubernetes_manifest\" \"x\" {\n  manifest = null\n}\n"+nlb)
	}, want: []want{{"ignored-lb-attribute", "d/main.tf", 6, `idle_timeout`}}, maxFindings: 2},
}

func TestHostileRound3(t *testing.T) {
	for _, c := range round3 {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run(t, c)
		})
	}
}
