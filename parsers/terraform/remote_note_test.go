package terraform

import "testing"

func TestRemotePathModule(t *testing.T) {
	for _, c := range []struct {
		src, name string
		ok        bool
	}{
		{"cloudposse/ecs-alb-service-task/aws", "ecs-alb-service-task", true},
		{"cloudposse/alb/aws", "alb", true},
		{"app.terraform.io/acme/cloudfront-site/aws", "cloudfront-site", true},
		{"git::https://github.com/acme/terraform-aws-alb.git?ref=v1.2.0", "terraform-aws-alb", true},
		{"git::https://github.com/acme/infra.git//modules/ecs_service?ref=v1", "ecs_service", true},
		{"acme/platform/aws//modules/vpc", "", false},
		{"github.com/acme/terraform-aws-nlb", "terraform-aws-nlb", true},
		{"terraform-aws-modules/vpc/aws", "", false},
		{"cloudposse/label/null", "", false},
		{"cloudposse/albatross/aws", "", false}, // a word that only starts with alb
		{"cn-terraform/ecs-service-autoscaling/aws", "", false},
		{"cloudposse/alb-target-group-cloudwatch-sns-alarms/aws", "", false},
		{"cn-terraform/ecs-cluster/aws", "", false},
		{"cn-terraform/ecs-fargate-task-definition/aws", "ecs-fargate-task-definition", true},
		{"./modules/alb", "", false}, // local: read, not noted
		{"../alb", "", false},
	} {
		name, ok := remotePathModule(c.src)
		if ok != c.ok || ok && name != c.name {
			t.Errorf("remotePathModule(%q) = %q, %v; want %q, %v", c.src, name, ok, c.name, c.ok)
		}
	}
}
