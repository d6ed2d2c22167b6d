package ghactions

import (
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// FuzzWorkflow: no workflow may panic, hang or allocate without bound.
func FuzzWorkflow(f *testing.F) {
	f.Add([]byte(starter))
	f.Add([]byte("jobs:\n  a: &j\n    steps: [*j]\n  b: *j\n"))
	f.Add([]byte("jobs:\n  a:\n    steps:\n      - id: b\n        run: \"docker build $(( -f ))\"\n      - uses: aws-actions/amazon-ecs-render-task-definition@v1\n        with: {task-definition: t.json, container-name: a, image: '${{ steps.b.outputs.i }}'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			_, _ = Parse(parsers.NewFile("w.yml", "/r/w.yml", "/r", "", data))
			_, _ = dockerBuilds(string(data), ".")
		})
	})
}
