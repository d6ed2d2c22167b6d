package compose_test

import (
	"os"
	"path/filepath"
	"testing"
)

// workflowTree is an ALB in front of container api of a task-definition
// file; only the workflow says that api runs app/Dockerfile (uvicorn).
const workflowTree = `-- alb.tf --
resource "aws_lb" "web" {
  load_balancer_type = "application"
}

resource "aws_lb_target_group" "api" {
  port        = 8000
  protocol    = "HTTP"
  target_type = "ip"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = "api"
  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = 8000
  }
}
-- .aws/task-definition.json --
{
  "family": "api",
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [
    {
      "name": "api",
      "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:0d1e2f",
      "essential": true,
      "portMappings": [{"containerPort": 8000, "protocol": "tcp"}]
    },
    {
      "name": "log-router",
      "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
      "essential": true
    }
  ]
}
-- app/Dockerfile --
FROM python:3.12-slim
WORKDIR /app
COPY . .
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
-- app/main.py --
app = None
`

const renderWorkflow = `name: Deploy to Amazon ECS
on:
  push:
    branches: [main]
env:
  ECS_TASK_DEFINITION: .aws/task-definition.json
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build, tag, and push image to Amazon ECR
        id: build-image
        env:
          IMAGE_TAG: ${{ github.sha }}
        run: |
          docker build -f app/Dockerfile -t $ECR_REGISTRY/api:$IMAGE_TAG app
          docker push $ECR_REGISTRY/api:$IMAGE_TAG
          echo "image=$ECR_REGISTRY/api:$IMAGE_TAG" >> $GITHUB_OUTPUT
      - name: Render
        id: task-def
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: ${{ env.ECS_TASK_DEFINITION }}
          container-name: api
          image: ${{ steps.build-image.outputs.image }}
`

// A workflow is read only inside the root: one linked in from outside is
// not, and the container's server stays unknown (no finding); the same
// workflow inside the root gives the finding, so the test can fail.
func TestWorkflowOutsideRootNotRead(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "deploy.yml")
	if err := os.WriteFile(outside, []byte(renderWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		symlink bool
		want    int
	}{{"inside", false, 1}, {"symlink outside the root", true, 0}} {
		t.Run(c.name, func(t *testing.T) {
			fs := lintTree(t, workflowTree, func(root string) {
				dir := filepath.Join(root, ".github", "workflows")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(dir, "deploy.yml")
				if c.symlink {
					if err := os.Symlink(outside, p); err != nil {
						t.Skip("no symlinks here:", err)
					}
					return
				}
				if err := os.WriteFile(p, []byte(renderWorkflow), 0o644); err != nil {
					t.Fatal(err)
				}
			})
			if got := len(findings(fs, "keepalive-order")); got != c.want {
				t.Fatalf("%d keepalive-order findings, want %d: %v", got, c.want, fs)
			}
		})
	}
}
