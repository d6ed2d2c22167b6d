package ecs_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/ecs"
)

func parse(t *testing.T, src string) *ecs.Result {
	t.Helper()
	return ecs.Parse(parsers.NewFile("taskdef.json", "/x/taskdef.json", "/x", "", []byte(src)))
}

func TestTaskDefinitionFile(t *testing.T) {
	res := parse(t, `{
  "family": "web",
  "memory": "512",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "example/web:1.2",
      "command": ["gunicorn", "-k", "gthread", "app:app"],
      "environment": [{"name": "PORT", "value": "8000"}],
      "portMappings": [{"containerPort": 8000, "hostPort": 8000}],
      "memory": 256,
      "stopTimeout": 120,
      "essential": true
    }
  ]
}`)
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	if len(res.Task.Containers) != 1 {
		t.Fatalf("containers: %d", len(res.Task.Containers))
	}
	c := res.Task.Containers[0]
	if c.Name.Value != "web" || c.Image.Value != "example/web:1.2" || len(c.Command) != 4 || c.Command[2].Value != "gthread" {
		t.Errorf("container %+v", c)
	}
	if c.Memory.Value != 256 || c.Memory.Range.Start.Line != 11 || c.StopTimeout.Value != 120 || c.StopTimeout.Range.Start.Line != 12 {
		t.Errorf("memory %+v stopTimeout %+v", c.Memory, c.StopTimeout)
	}
	if len(c.PortMappings) != 1 || c.PortMappings[0].ContainerPort.Value != 8000 || c.PortMappings[0].ContainerPort.Range.Start.Line != 10 {
		t.Errorf("ports %+v", c.PortMappings)
	}
	if !c.Essential.Value || res.Task.Memory.Value != "512" || c.Environment[0].Value.Value != "8000" {
		t.Errorf("essential %+v task memory %+v env %+v", c.Essential, res.Task.Memory, c.Environment)
	}
}

// The CodeDeploy template of aws-samples/amazon-ecs-fullstack-app-terraform
// writes its ports unquoted as <SERVICE_PORT>: unknown values, not an error.
func TestPlaceholders(t *testing.T) {
	res := parse(t, `{
  "containerDefinitions": [
    {
      "name": "<CONTAINER_NAME>",
      "image": "<IMAGE1_NAME>",
      "command": ${command},
      "portMappings": [
        {"containerPort": <SERVICE_PORT>, "hostPort": {{ .Port }}}
      ],
      "memory": ${var.memory},
      "environment": [{"name": "A", "value": "${var.a}"}]
    }
  ]
}`)
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	c := res.Task.Containers[0]
	if c.Name.Known || !c.Name.Set || c.Image.Known || !c.CommandUnknown || c.Memory.Known || !c.Memory.Set {
		t.Errorf("placeholders taken as values: %+v", c)
	}
	pm := c.PortMappings[0]
	if pm.ContainerPort.Known || !pm.ContainerPort.Set || pm.HostPort.Known || pm.ContainerPort.Range.Start.Line != 8 {
		t.Errorf("ports %+v", pm)
	}
	if c.Environment[0].Value.Known {
		t.Errorf("env %+v", c.Environment)
	}
}

func TestInvalidJSONLine(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		want string
	}{
		{"[\n  {\"name\": \"a\",\n   \"image\": b}\n]", 3, "unexpected word"},
		{"[\n  {\"name\": \"a\",}\n]", 2, "trailing comma"},
		{"[\n  {\"name\": \"a\"\n", 3, "expected ',' or '}'"},
		{"[{\"name\": \"unterminated}]", 1, "not closed"},
		{"[] []", 1, "after the end"},
	} {
		res := parse(t, tc.src)
		if len(res.Problems) != 1 || res.Problems[0].Range.Start.Line != tc.line || !strings.Contains(res.Problems[0].Message, tc.want) ||
			res.Problems[0].Kind != parsers.ProblemParse || res.Problems[0].Range.File != "taskdef.json" {
			t.Errorf("%q: %+v", tc.src, res.Problems)
		}
	}
}

func TestLinesMap(t *testing.T) {
	root, prob := ecs.ParseJSON(ecs.Source{Path: "main.tf", Data: []byte("[\n{\"name\": \"a\",\n\"image\": \"b\"}]"), Lines: []int{20, 21, 22}})
	if prob != nil {
		t.Fatal(prob)
	}
	td, _ := ecs.FromNode(root)
	if got := td.Containers[0].Image.Range; got.File != "main.tf" || got.Start.Line != 22 {
		t.Errorf("image at %+v", got)
	}
}

func TestSniff(t *testing.T) {
	for src, want := range map[string]bool{
		`{"family": "x", "containerDefinitions": []}`:                true,
		`[{"name": "web", "image": "nginx", "essential": true}]`:     true,
		`[{"name": "web", "image": "nginx"}]`:                        false,
		`{"openapi": "3.0.0"}`:                                       false,
		`[{"name": "a", "image": "b", "portMappings": [<X>]}]`:       true,
		"\xef\xbb\xbf" + `{"containerDefinitions": [{"name": "a"}]}`: true,
		// CodeDeploy's templated taskdef.json: placeholders between values.
		`{"executionRoleArn": "<ARN>", "containerDefinitions": [{"name": "<N>", "portMappings": [{"hostPort": <PORT>}]}], "family": "<F>"}`: true,
		// describe-task-definition output.
		`{"taskDefinition": {"family": "web", "containerDefinitions": []}}`: true,
		// The word as a value, or as a key deeper down (a JSON schema), is
		// not a task definition.
		`{"description": "containerDefinitions", "x": 1}`:                 false,
		`{"properties": {"containerDefinitions": {"type": "array"}}}`:     false,
		`{"a": {"b": {"containerDefinitions": []}}}`:                      false,
		`{"s": "a \" quote", "containerDefinitions": []}`:                 true,
		`[{"name": "pkg", "image": "logo.png", "version": "1"}]`:          false,
		`[["name", "image", "essential"]]`:                                false,
		`{"containerDefinitions": [` + strings.Repeat(" ", 70<<10) + `]}`: false,
	} {
		if got := ecs.Sniff([]byte(src)); got != want {
			t.Errorf("Sniff(%s) = %v", src, got)
		}
	}
}

func bounded(t *testing.T, limit time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("did not end within %s", limit)
	}
}

func TestHostileManyContainers(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range 100000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n{\"name\": \"c%d\", \"image\": \"nginx\", \"memory\": 128}", i)
	}
	b.WriteString("]")
	bounded(t, 60*time.Second, func() {
		res := parse(t, b.String())
		if len(res.Task.Containers) != 100 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "at most 10") {
			t.Errorf("containers %d, problems %v", len(res.Task.Containers), res.Problems)
		}
	})
}

func TestHostileDeep(t *testing.T) {
	src := strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000)
	bounded(t, 30*time.Second, func() {
		res := parse(t, src)
		if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "nested deeper") {
			t.Errorf("%v", res.Problems)
		}
	})
}

func TestHostileHuge(t *testing.T) {
	src := "[" + strings.Repeat(`{"a": 1},`, parsers.MaxFileSize/9) + `{"a": 1}]`
	bounded(t, 60*time.Second, func() {
		res := parse(t, src)
		if len(res.Problems) != 1 {
			t.Errorf("%v", res.Problems)
		}
	})
	// Unclosed placeholders and long strings end.
	bounded(t, 30*time.Second, func() {
		_ = parse(t, "["+strings.Repeat("${", 100000))
		_ = parse(t, `["`+strings.Repeat("x", 1<<20))
		_ = parse(t, "["+strings.Repeat("<A", 100000))
	})
}

// A describe-task-definition document reads as the task definition it
// wraps, family included.
func TestDescribeOutput(t *testing.T) {
	root, prob := ecs.ParseJSON(ecs.Source{Path: "td.json", Data: []byte(`{"taskDefinition": {"family": "web", "containerDefinitions": [{"name": "app", "image": "example/app:1"}]}}`)})
	if prob != nil {
		t.Fatal(prob)
	}
	td, probs := ecs.FromNode(root)
	if len(probs) != 0 || len(td.Containers) != 1 || td.Family.Value != "web" || !td.Family.Known {
		t.Fatalf("got %+v, %v", td, probs)
	}
}
