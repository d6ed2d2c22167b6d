package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// BenchmarkLoadECS parses and evaluates a generated tree of ECS stacks:
// each root module (envN/) calls a shared local module per service (an
// aws_ecs_task_definition from jsonencode, an aws_ecs_service with its
// load_balancer block and a target group) and the
// terraform-aws-modules/ecs service module. Every root costs the same, so
// B/op and allocs/op per root must stay flat from one size to the next
// (compare with -benchmem); work repeated across roots (a module read or
// parsed again per caller, a scan of every root per root) shows as a
// per-root cost growing with the tree.
func BenchmarkLoadECS(b *testing.B) {
	for _, n := range []int{25, 100} {
		dir := b.TempDir()
		files := writeECSTree(b, dir, n)
		b.Run(fmt.Sprintf("roots=%d", n), func(b *testing.B) {
			for b.Loop() {
				res := LoadFiles(files, Options{Open: openWithin(dir)})
				if len(res.ECSServices) != 3*n {
					b.Fatalf("%d ECS services, want %d", len(res.ECSServices), 3*n)
				}
			}
			b.ReportMetric(float64(n), "roots/op")
		})
	}
}

func writeECSTree(b *testing.B, dir string, n int) []*parsers.File {
	b.Helper()
	module := map[string]string{
		"main.tf": `variable "name" { type = string }
variable "image" { type = string }
variable "port" {
  type    = number
  default = 8000
}
variable "stop_timeout" {
  type    = number
  default = 30
}
locals {
  env = [for k, v in { WORKERS = "4", TIMEOUT = "30" } : { name = k, value = v }]
}
resource "aws_lb_target_group" "this" {
  name                 = var.name
  port                 = var.port
  protocol             = "HTTP"
  deregistration_delay = 60
}
resource "aws_ecs_task_definition" "this" {
  family = var.name
  cpu    = 256
  memory = 512
  container_definitions = jsonencode([{
    name         = var.name
    image        = var.image
    command      = ["uvicorn", "app:app", "--port", tostring(var.port)]
    environment  = local.env
    stopTimeout  = var.stop_timeout
    portMappings = [{ containerPort = var.port }]
  }])
}
resource "aws_ecs_service" "this" {
  name            = var.name
  task_definition = aws_ecs_task_definition.this.arn
  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.name
    container_port   = var.port
  }
}
output "target_group_arn" { value = aws_lb_target_group.this.arn }
`,
	}
	root := map[string]string{
		"main.tf": `module "api" {
  source = "../modules/service"
  name   = "api"
  image  = "example/api:1.0"
}
module "worker" {
  source       = "../modules/service"
  name         = "worker"
  image        = "example/worker:1.0"
  port         = 9000
  stop_timeout = 90
}
module "web" {
  source = "terraform-aws-modules/ecs/aws//modules/service"
  name   = "web"
  container_definitions = {
    web = {
      image        = "nginx:1.27"
      portMappings = [{ containerPort = 80 }]
    }
  }
  load_balancer = {
    service = {
      target_group_arn = module.api.target_group_arn
      container_name   = "web"
      container_port   = 80
    }
  }
}
`,
	}
	var files []*parsers.File
	write := func(rel, src string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, parsers.NewFile(rel, p, dir, parsers.FormatTerraform, []byte(src)))
	}
	for i := range n {
		for name, src := range module {
			write(fmt.Sprintf("env%d/modules/service/%s", i, name), src)
		}
		for name, src := range root {
			write(fmt.Sprintf("env%d/stack/%s", i, name), src)
		}
	}
	return files
}
