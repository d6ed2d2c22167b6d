package ecs

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers/terraform"
)

// The forms an ECS service names its task definition by; only literals
// name a task-definition file's family.
func TestFamilyOf(t *testing.T) {
	for in, want := range map[string]string{
		"web":   "web",
		"web:3": "web",
		"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3": "web",
		"arn:aws:iam::123456789012:role/web":                       "",
		"":                                                         "",
	} {
		v := terraform.Value{Val: cty.StringVal(in), Set: true, Known: true}
		got, ok := familyOf(v)
		if got != want || ok != (want != "") {
			t.Errorf("familyOf(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	ref := terraform.Value{Val: cty.StringVal("web"), Set: true, Known: true, Refs: []terraform.Ref{{Type: "aws_ecs_task_definition", Name: "web"}}}
	if _, ok := familyOf(ref); ok {
		t.Error("a reference to a Terraform task definition is Terraform's to link")
	}
}
