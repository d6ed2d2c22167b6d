package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestSuppressionCases runs testdata/suppress: suppressions on any location
// of a cross-file finding, and the unused check beside them.
func TestSuppressionCases(t *testing.T) { linttest.RunDir(t, "../testdata/suppress") }

// TestSuppressionIndexAcrossBuckets generates one Kubernetes file with many
// annotated objects, so that suppressions fall in every position relative
// to the index's line buckets: each one must silence its own object's
// finding only, none may be reported unused, and the one object without an
// annotation keeps its finding.
func TestSuppressionIndexAcrossBuckets(t *testing.T) {
	var b strings.Builder
	b.WriteString("-- pods.yaml --\n")
	const n = 150
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\n", i)
		if i != n/2 {
			b.WriteString("  annotations:\n    hoplint.dev/ignore: \"missing-memory-limit -- batch pods, watched by hand\"\n")
		}
		b.WriteString("spec:\n  containers:\n")
		for j := 0; j < i%7; j++ {
			fmt.Fprintf(&b, "    - name: side%d\n      image: example/side:1\n      resources: {limits: {memory: 128Mi, cpu: 500m}}\n", j)
		}
		b.WriteString("    - name: app\n      image: example/app:1\n")
	}
	findings, _, _ := linttest.Lint(t, txtar.Parse([]byte(b.String())))
	var got []string
	for _, f := range findings {
		got = append(got, f.Rule+" "+f.Message)
	}
	if len(findings) != 1 || findings[0].Rule != "missing-memory-limit" || !strings.Contains(findings[0].Message, fmt.Sprintf("Pod p%d ", n/2)) {
		t.Errorf("want one missing-memory-limit on p%d, got %d: %v", n/2, len(findings), got)
	}
}
