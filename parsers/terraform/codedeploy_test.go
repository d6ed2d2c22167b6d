package terraform

import (
	"testing"
)

// TestCodeDeployGroup reads a deployment group whose target_group blocks
// come from a dynamic block over two target groups, with a module output
// as the service name, and the service's name, cluster and deployment
// controller.
func TestCodeDeployGroup(t *testing.T) {
	r := load(t, map[string]string{
		"main.tf": `
locals {
  tgs = ["blue", "green"]
}

resource "aws_lb_target_group" "tg" {
  for_each = toset(local.tgs)
  name     = "app-${each.key}"
}

resource "aws_lb_listener" "http" {}

resource "aws_codedeploy_app" "app" {
  compute_platform = "ECS"
  name             = "app"
}

module "svc" {
  source = "./svc"
}

resource "aws_codedeploy_deployment_group" "app" {
  app_name = aws_codedeploy_app.app.name
  ecs_service {
    cluster_name = "main"
    service_name = module.svc.name
  }
  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [aws_lb_listener.http.arn]
      }
      dynamic "target_group" {
        for_each = local.tgs
        content {
          name = aws_lb_target_group.tg[target_group.value].name
        }
      }
    }
  }
}
`,
		"svc/main.tf": `
resource "aws_ecs_service" "this" {
  name    = "app"
  cluster = "main"
  deployment_controller {
    type = "CODE_DEPLOY"
  }
}

output "name" {
  value = aws_ecs_service.this.name
}
`,
	})
	if len(r.CodeDeployApps) != 1 || len(r.CodeDeployGroups) != 1 || len(r.ECSServices) != 1 {
		t.Fatalf("%d apps, %d groups, %d services, want 1 each", len(r.CodeDeployApps), len(r.CodeDeployGroups), len(r.ECSServices))
	}
	if p, _ := r.CodeDeployApps[0].ComputePlatform.Str(); p != "ECS" {
		t.Errorf("compute_platform %q, want ECS", p)
	}
	g := r.CodeDeployGroups[0]
	if !g.AppName.RefersTo(&r.CodeDeployApps[0].Object) {
		t.Errorf("app_name refers to %v, want aws_codedeploy_app.app", g.AppName.Refs)
	}
	if g.ECS.IsZero() || g.Pair.IsZero() {
		t.Errorf("ecs_service at %v, target_group_pair_info at %v: want both", g.ECS, g.Pair)
	}
	svc := r.ECSServices[0]
	if !g.ServiceName.RefersTo(&svc.Object) {
		t.Errorf("service_name refers to %v, want module.svc.aws_ecs_service.this", g.ServiceName.Refs)
	}
	if c, _ := g.ClusterName.Str(); c != "main" {
		t.Errorf("cluster_name %q, want main", c)
	}
	if len(g.ProdListeners.Refs) != 1 || g.ProdListeners.Refs[0].String() != "aws_lb_listener.http" {
		t.Errorf("listener_arns refer to %v, want aws_lb_listener.http", g.ProdListeners.Refs)
	}
	if len(g.TargetGroups) != 2 {
		t.Fatalf("%d target groups, want 2", len(g.TargetGroups))
	}
	for i, key := range []string{`"blue"`, `"green"`} {
		refs := g.TargetGroups[i].Name.Refs
		if len(refs) != 1 || refs[0].Type != "aws_lb_target_group" || refs[0].Key != key {
			t.Errorf("target_group %d refers to %v, want aws_lb_target_group.tg[%s]", i, refs, key)
		}
	}
	if n, _ := svc.SvcName.Str(); n != "app" {
		t.Errorf("service name %q, want app", n)
	}
	if c, _ := svc.Cluster.Str(); c != "main" {
		t.Errorf("service cluster %q, want main", c)
	}
	if d, _ := svc.DeploymentController.Str(); d != "CODE_DEPLOY" {
		t.Errorf("deployment controller %q, want CODE_DEPLOY", d)
	}
}
