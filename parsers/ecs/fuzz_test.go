package ecs_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/ecs"
)

// FuzzECS: no task-definition file may panic, hang or allocate without
// bound.
func FuzzECS(f *testing.F) {
	for _, s := range []string{
		`{"containerDefinitions": [{"name": "web", "image": "nginx:1.27", "portMappings": [{"containerPort": 80}], "memory": 512}]}`,
		`[{"name": "<N>", "image": "${var.image}", "command": ${cmd}, "stopTimeout": {{ .T }}}]`,
		`[{"name": "a", "image": "b", "environment": [{"name": "X", "value": "\u00e9\n"}]}]`,
		`[[[[[[[[`,
		`{"containerDefinitions": "x"}`,
		`[1, -2.5e3, true, null, "${a{b}c}"]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			res := ecs.Parse(parsers.NewFile("taskdef.json", "/x/taskdef.json", "/x", "", data))
			if res.Task == nil && len(res.Problems) == 0 {
				t.Fatal("neither a task nor a problem")
			}
		})
	})
}

// FuzzSniffECS: discovery's test for task-definition files reads any
// file's text (unbalanced quotes and brackets, a trailing backslash)
// without panicking, hanging or allocating without bound.
func FuzzSniffECS(f *testing.F) {
	for _, s := range []string{
		`{"family": "web", "containerDefinitions": []}`,
		`{"taskDefinition": {"containerDefinitions": [<X>]}}`,
		`{"a": "\\", "containerDefinitions"`,
		`{"\`,
		`[{"name": "a", "image": "b", "essential": true}]`,
		`}}}]]]{{{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() { parsers.SniffECS(data) })
	})
}
