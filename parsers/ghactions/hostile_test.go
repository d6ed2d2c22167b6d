package ghactions

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// Hostile workflows end quickly, in bounded memory, with no render and
// (for the oversized one) a problem that says why.
func TestHostileWorkflows(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		n := string(rune('b' + i))
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = n
	}
	laughs += "jobs:\n  j:\n    steps: *" + prev + "\n"
	manySteps := "jobs:\n  j:\n    steps:\n" + strings.Repeat("      - {id: b, run: docker build -t a/b:1 .}\n", 60000)
	deep := "jobs: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
	bigScript := "jobs:\n  j:\n    steps:\n      - id: b\n        run: |\n" + strings.Repeat("          docker build -t x/y:1 .\n", 20000) +
		"      - uses: aws-actions/amazon-ecs-render-task-definition@v1\n        with: {task-definition: t.json, container-name: a, image: '${{ steps.b.outputs.image }}'}\n"
	nested := "jobs:\n  j:\n    steps:\n      - id: b\n        run: \"" + strings.Repeat("$(", 3000) + "docker build ." + strings.Repeat(")", 3000) + "\"\n"
	for name, src := range map[string]string{
		"billion laughs":                   laughs,
		"60,000 steps (over values)":       manySteps,
		"nesting 5,000 deep":               deep,
		"a 480 KB script":                  bigScript,
		"command substitutions 3,000 deep": nested,
	} {
		t.Run(name, func(t *testing.T) {
			fuzzbound.Check(t, func() {
				w, probs := Parse(parsers.NewFile("w.yml", "/r/w.yml", "/r", "", []byte(src)))
				if len(w.Renders) != 0 {
					t.Errorf("renders from a hostile workflow: %+v", w.Renders)
				}
				if name == "60,000 steps (over values)" && (len(probs) != 1 || probs[0].Kind != parsers.ProblemSkipped) {
					t.Errorf("problems = %+v, want one skipped-file", probs)
				}
			})
		})
	}
}
