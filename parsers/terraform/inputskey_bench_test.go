package terraform

import (
	"fmt"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// BenchmarkInputsKey keys the inputs of a module call like the ECS
// service modules of the bench trees: strings, numbers, a list of
// container objects with environment lists, nulls of object types.
func BenchmarkInputsKey(b *testing.B) {
	env := make([]cty.Value, 10)
	for i := range env {
		env[i] = cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(fmt.Sprintf("VAR_%d", i)), "value": cty.StringVal("some value")})
	}
	container := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("app"), "image": cty.StringVal("registry.example.com/app:1.2.3"),
		"cpu": cty.NumberIntVal(256), "memory": cty.NumberIntVal(512), "environment": cty.ListVal(env),
		"port_mappings": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"containerPort": cty.NumberIntVal(8080), "protocol": cty.StringVal("tcp")})}),
	})
	inputs := map[string]cty.Value{
		"name": cty.StringVal("svc").Mark(Ref{Type: "aws_lb", Name: "x"}), "cpu": cty.NumberIntVal(512), "memory": cty.NumberIntVal(1024),
		"containers": cty.MapVal(map[string]cty.Value{"app": container, "sidecar": container}),
		"subnets":    cty.ListVal([]cty.Value{cty.StringVal("subnet-1"), cty.StringVal("subnet-2")}),
		"vpc_id":     cty.UnknownVal(cty.String),
		// Optional attributes left out are nulls, most of the leaves.
		"health_check": cty.NullVal(cty.Object(map[string]cty.Type{
			"path": cty.String, "interval": cty.Number, "timeout": cty.Number, "matcher": cty.String,
			"healthy_threshold": cty.Number, "unhealthy_threshold": cty.Number, "port": cty.String,
		})),
		"volumes": cty.NullVal(cty.List(cty.Object(map[string]cty.Type{"name": cty.String, "host_path": cty.String}))),
	}
	for b.Loop() {
		_ = inputsKey("/tree/modules/service", inputs)
	}
}
