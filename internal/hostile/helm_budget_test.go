//go:build linux

package hostile_test

import (
	"fmt"
	"testing"
)

// helmBudgetCases: charts that each make the Helm worker run out of
// memory. Each kill costs a new worker and the time to fill its memory
// (twenty such charts once took 78 s); after three charts that ran out of
// time or memory, the rest are not rendered, as after three time-outs.
var helmBudgetCases = []hostileCase{
	{name: "helm six charts that fill the worker's memory", gen: func(t *testing.T, d string) {
		// A 1 MiB string that doubles forty times: past the worker's
		// 256 MiB after eight, in well under a second.
		for i := 0; i < 6; i++ {
			write(t, d, fmt.Sprintf("c%d/Chart.yaml", i), chartYAML)
			write(t, d, fmt.Sprintf("c%d/templates/grow.yaml", i), "{{- $s := repeat 1048576 \"x\" }}{{- range until 40 }}{{- $s = print $s $s }}{{- end }}\nx: {{ len $s }}\n")
		}
	}, want: []want{
		{"parse-error", "d/c0/Chart.yaml", 1, `rendering needed more than 256 MiB`},
		{"parse-error", "d/c2/Chart.yaml", 1, `rendering needed more than 256 MiB`},
		{"parse-error", "d/c3/Chart.yaml", 1, `chart d/c3 was not rendered, so nothing of it is linted: 3 charts of this run already took longer than 10s or more than 256 MiB each`},
		{"parse-error", "d/c5/Chart.yaml", 1, `chart d/c5 was not rendered`},
	}, maxFindings: 6},
}

func TestHostileHelmBudget(t *testing.T) {
	for _, c := range helmBudgetCases {
		t.Run(c.name, func(t *testing.T) {
			run(t, c)
		})
	}
}
