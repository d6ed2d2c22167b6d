package ghactions

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

func parseAll(t *testing.T, src string) Workflow {
	t.Helper()
	w, probs := Parse(parsers.NewFile(".github/workflows/deploy.yml", "/r/.github/workflows/deploy.yml", "/r", "", []byte(src)))
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	return w
}

func parse(t *testing.T, src string) []Render { return parseAll(t, src).Renders }

// The shape of AWS's "Deploy to Amazon ECS" starter workflow.
const starter = `name: Deploy to Amazon ECS
on:
  push:
    branches: [main]
env:
  ECR_REPOSITORY: simple
  ECS_TASK_DEFINITION: .aws/task-definition.json
  CONTAINER_NAME: simple
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Build, tag, and push image to Amazon ECR
        id: build-image
        env:
          ECR_REGISTRY: ${{ steps.login-ecr.outputs.registry }}
          IMAGE_TAG: ${{ github.sha }}
        run: |
          # Build a docker container and push it to ECR
          docker build -t $ECR_REGISTRY/$ECR_REPOSITORY:$IMAGE_TAG .
          docker push $ECR_REGISTRY/$ECR_REPOSITORY:$IMAGE_TAG
          echo "image=$ECR_REGISTRY/$ECR_REPOSITORY:$IMAGE_TAG" >> $GITHUB_OUTPUT
      - name: Fill in the new image ID in the Amazon ECS task definition
        id: task-def
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: ${{ env.ECS_TASK_DEFINITION }}
          container-name: ${{ env.CONTAINER_NAME }}
          image: ${{ steps.build-image.outputs.image }}
`

func TestStarterWorkflow(t *testing.T) {
	r := parse(t, starter)
	if len(r) != 1 {
		t.Fatalf("renders = %+v, want 1", r)
	}
	got := r[0]
	if got.TaskDefinition != ".aws/task-definition.json" || strings.Join(got.Containers, ",") != "simple" ||
		got.Build.Context != "." || got.Build.Dockerfile != "Dockerfile" || got.Build.Target != "" {
		t.Errorf("render = %+v", got)
	}
	if got.Range.Start.Line != 26 || got.Build.Range.Start.Line != 21 {
		t.Errorf("render at line %d, build at line %d; want 26 and 21", got.Range.Start.Line, got.Build.Range.Start.Line)
	}
}

func TestBuildForms(t *testing.T) {
	step := func(run string) string {
		return strings.Replace(starter, "          docker build -t $ECR_REGISTRY/$ECR_REPOSITORY:$IMAGE_TAG .\n", run, 1)
	}
	cases := []struct {
		name, src           string
		context, dockerfile string
		target              string
		none                bool
	}{
		{"file and context", step("          docker build -f app/Dockerfile.prod --target prod -t x app\n"), "app", "app/Dockerfile.prod", "prod", false},
		{"buildx, inline options", step("          docker buildx build --file=docker/Dockerfile --push --platform linux/amd64 -t \"$R:$T\" ./svc\n"), "svc", "docker/Dockerfile", "", false},
		{"continuation lines", step("          docker build \\\n            --build-arg A=1 \\\n            -t x \\\n            services/api\n"), "services/api", "services/api/Dockerfile", "", false},
		{"working directory", strings.Replace(step("          docker build -t x .\n"), "        id: build-image\n", "        id: build-image\n        working-directory: backend\n", 1), "backend", "backend/Dockerfile", "", false},
		{"job default working directory", strings.Replace(starter, "    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: web\n", 1), "web", "web/Dockerfile", "", false},
		// What hoplint cannot know, it does not guess.
		{"context from a variable", step("          docker build -t x $DIR\n"), "", "", "", true},
		{"dockerfile from a variable", step("          docker build -f $DF -t x .\n"), "", "", "", true},
		{"two builds", step("          docker build -t x .\n          docker build -t y ./other\n"), "", "", "", true},
		{"unknown option", step("          docker build --frobnicate x -t y .\n"), "", "", "", true},
		{"remote context", step("          docker build -t x https://github.com/a/b.git\n"), "", "", "", true},
		{"stdin", step("          docker build -t x - < Dockerfile\n"), "", "", "", true},
		{"outside the workspace", step("          docker build -t x ../elsewhere\n"), "", "", "", true},
		{"a command replaces the image's", strings.Replace(starter, "          image: ${{ steps.build-image.outputs.image }}\n", "          image: ${{ steps.build-image.outputs.image }}\n          command: npm run start\n", 1), "", "", "", true},
		{"an image from elsewhere", strings.Replace(starter, "${{ steps.build-image.outputs.image }}", "nginx:1.27", 1), "", "", "", true},
		{"task definition from a secret", strings.Replace(starter, "${{ env.ECS_TASK_DEFINITION }}", "${{ secrets.TD }}", 1), "", "", "", true},
		{"not a shell script", step("          docker build -t x . )\n"), "", "", "", true},
	}
	for _, c := range cases {
		r := parse(t, c.src)
		switch {
		case c.none && len(r) != 0:
			t.Errorf("%s: renders = %+v, want none", c.name, r)
		case !c.none && len(r) != 1:
			t.Errorf("%s: renders = %+v, want 1", c.name, r)
		case !c.none && (r[0].Build.Context != c.context || r[0].Build.Dockerfile != c.dockerfile || r[0].Build.Target != c.target):
			t.Errorf("%s: build = %+v, want context %s, Dockerfile %s, target %q", c.name, r[0].Build, c.context, c.dockerfile, c.target)
		}
	}
}

// docker/build-push-action in one job, the render in another that needs it.
func TestBuildPushActionAcrossJobs(t *testing.T) {
	r := parse(t, `jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      image: ${{ steps.push.outputs.imageid }}
    steps:
      - id: push
        uses: docker/build-push-action@v6
        with:
          context: ./api
          file: ./api/Dockerfile.ecs
          target: runtime
          push: true
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - id: render
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: deploy/taskdef.json
          container-name: api, sidecar
          image: ${{ needs.build.outputs.image }}
`)
	if len(r) != 1 {
		t.Fatalf("renders = %+v", r)
	}
	b := r[0].Build
	if b.Context != "api" || b.Dockerfile != "api/Dockerfile.ecs" || b.Target != "runtime" || strings.Join(r[0].Containers, "|") != "api|sidecar" {
		t.Errorf("render = %+v", r[0])
	}
}

func TestNotYAML(t *testing.T) {
	_, probs := Parse(parsers.NewFile("w.yml", "/r/w.yml", "/r", "", []byte("jobs: [\n")))
	if len(probs) != 1 || probs[0].Kind != parsers.ProblemParse {
		t.Errorf("problems = %+v, want one parse error", probs)
	}
}

// A build names the image repositories it tags when their repository part
// is literal: what a Kubernetes, ECS or compose container running that
// image then runs. A tag from a variable says nothing.
func TestTaggedBuilds(t *testing.T) {
	w := parseAll(t, `env:
  IMAGE: ghcr.io/acme/web
jobs:
  build:
    steps:
      - run: |
          docker build -t ghcr.io/acme/api:$GITHUB_SHA -t "acme/api:latest" --tag=registry.example.com:5000/team/api:${{ github.sha }} services/api
          docker build -t $REGISTRY/worker:1 -f worker/Dockerfile .
          docker buildx build -t acme/jobs@sha256:abc --push jobs
      - uses: docker/build-push-action@v6
        with:
          context: web
          tags: |
            ${{ env.IMAGE }}:${{ github.sha }}
            ${{ steps.meta.outputs.tags }}
`)
	var got []string
	for _, b := range w.Builds {
		got = append(got, b.Context+"="+strings.Join(b.Repos, "+"))
	}
	want := "services/api=ghcr.io/acme/api+acme/api+registry.example.com:5000/team/api|jobs=acme/jobs|web=ghcr.io/acme/web"
	if strings.Join(got, "|") != want {
		t.Errorf("builds = %s\nwant     %s", strings.Join(got, "|"), want)
	}
}

func TestRepository(t *testing.T) {
	for _, c := range []struct {
		ref      string
		complete bool
		want     string
	}{
		{"nginx", true, "nginx"},
		{"acme/api:1.2", true, "acme/api"},
		{"Acme/API:1.2", true, "acme/api"},
		{"localhost:5000/api", true, "localhost:5000/api"},
		{"localhost:5000/api:", false, "localhost:5000/api"},
		{"localhost:5000/api", false, ""}, // the repository may go on
		{"acme/api", false, ""},
		{"acme/api:", false, "acme/api"},
		{"acme/api@sha256:ab", false, "acme/api"},
		{":tag", true, ""},
		{"acme/", true, ""},
	} {
		if got := repository(c.ref, c.complete); got != c.want {
			t.Errorf("repository(%q, %v) = %q, want %q", c.ref, c.complete, got, c.want)
		}
	}
}
