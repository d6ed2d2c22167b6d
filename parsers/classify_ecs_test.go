package parsers

import "testing"

// Task-definition JSON files are found by content, whatever their name:
// before, a .json file was only ever an OpenAPI spec or a manifest.
func TestClassifyECS(t *testing.T) {
	td := []byte(`{
  "family": "web",
  "containerDefinitions": [{"name": "app", "image": "example/app:1", "portMappings": [{"containerPort": <PORT>}]}]
}`)
	for _, p := range []string{"task-definition.json", "deploy/taskdef.json", "ecs/web.json", "api-task-def.json"} {
		if got := Classify(p, td); got != FormatECS {
			t.Errorf("Classify(%s) = %q, want ecs", p, got)
		}
	}
	// A container-definitions array, as terraform file() reads it.
	if got := Classify("containers.json", []byte(`[{"name": "app", "image": "x", "essential": true}]`)); got != FormatECS {
		t.Errorf("array: got %q", got)
	}
	for name, data := range map[string]string{
		"package.json":  `{"name": "x", "dependencies": {}}`,
		"images.json":   `[{"name": "logo", "image": "logo.png"}]`,
		"schema.json":   `{"properties": {"containerDefinitions": {"type": "array"}}}`,
		"td.yaml":       "containerDefinitions:\n  - name: app\n",
		"cfn.json":      `{"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"ContainerDefinitions": []}}}}`,
		"manifest.json": `{"apiVersion": "v1", "kind": "Service", "containerDefinitions": []}`,
	} {
		if got := Classify(name, []byte(data)); got == FormatECS {
			t.Errorf("Classify(%s) = ecs", name)
		}
	}
}
