package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// placementALB and placementNginx are an ALB in front of an nginx server
// whose keepalive_timeout (75s) is above the ALB's idle_timeout (30s):
// clean. Raising the idle_timeout to 120s makes a keepalive-order finding
// whose primary location is nginx's keepalive_timeout, with the ALB's
// idle_timeout as a related location.
const placementALB = `resource "aws_lb" "shop" {
  name               = "shop"
  load_balancer_type = "application"
  idle_timeout       = 30
}

resource "aws_lb_target_group" "nginx" {
  name     = "shop-nginx"
  port     = 8080
  protocol = "HTTP"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.nginx.arn
  }
}
`

const placementNginx = `events {}
http {
    server {
        listen 8080;
        keepalive_timeout 75s;
        location / {
            return 200;
        }
    }
}
`

type placedFinding struct {
	Rule     string
	Message  string
	Location struct {
		File string
		Line int
	}
	Related []struct {
		Location struct {
			File string
			Line int
		}
		Message string
	}
	Fingerprint string
}

// TestNewFromRevPlacement: issue 23 item 3. A pull request that raises
// the ALB's idle_timeout is annotated on that line, not on the unchanged
// nginx.conf the finding is about: in JSON, GitHub annotations, SARIF and
// Checkstyle the primary location is the changed line, nginx.conf is a
// related location, and the message and the fingerprint are those of the
// finding without --new-from-rev. Without the flag nothing moves.
// Before the change the annotation named nginx/nginx.conf line 5.
func TestNewFromRevPlacement(t *testing.T) {
	needGit(t)
	dir := writeTree(t, map[string]string{"terraform/alb.tf": placementALB, "nginx/nginx.conf": placementNginx})
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	writeFile(t, dir, "terraform/alb.tf", strings.Replace(placementALB, "idle_timeout       = 30", "idle_timeout       = 120", 1))

	all := placedJSON(t, dir)
	if len(all) != 1 || all[0].Rule != "keepalive-order" || all[0].Location.File != "nginx/nginx.conf" || all[0].Location.Line != 5 {
		t.Fatalf("without --new-from-rev: want one keepalive-order at nginx/nginx.conf:5, got %+v", all)
	}
	placed := placedJSON(t, dir, "--new-from-rev", "HEAD")
	if len(placed) != 1 {
		t.Fatalf("with --new-from-rev: %d findings, want 1", len(placed))
	}
	f := placed[0]
	if f.Location.File != "terraform/alb.tf" || f.Location.Line != 4 {
		t.Errorf("with --new-from-rev the finding is at %s:%d, want the changed line terraform/alb.tf:4", f.Location.File, f.Location.Line)
	}
	if f.Message != all[0].Message || f.Fingerprint != all[0].Fingerprint {
		t.Errorf("the message or fingerprint changed with the placement:\n%s %s\n%s %s", f.Message, f.Fingerprint, all[0].Message, all[0].Fingerprint)
	}
	if len(f.Related) == 0 || f.Related[0].Location.File != "nginx/nginx.conf" || f.Related[0].Location.Line != 5 || !strings.Contains(f.Related[0].Message, "the place this finding is about") {
		t.Errorf("nginx.conf:5 is not the first related location: %+v", f.Related)
	}
	for _, r := range f.Related {
		if r.Location.File == "terraform/alb.tf" && r.Location.Line == 4 {
			t.Errorf("the new primary location is still among the related ones: %+v", f.Related)
		}
	}

	_, gh, _ := runIn(t, dir, "--new-from-rev", "HEAD", "--format", "github")
	if !strings.HasPrefix(gh, "::error file=terraform/alb.tf,line=4,endLine=4,col=3,") || !strings.Contains(gh, "%0Anginx/nginx.conf:5:9: the place this finding is about") {
		t.Errorf("GitHub annotation:\n%s", gh)
	}
	_, gh, _ = runIn(t, dir, "--format", "github")
	if !strings.HasPrefix(gh, "::error file=nginx/nginx.conf,line=5,") {
		t.Errorf("without --new-from-rev the annotation moved:\n%s", gh)
	}

	_, cs, _ := runIn(t, dir, "--new-from-rev", "HEAD", "--format", "checkstyle")
	if !strings.Contains(cs, `<file name="terraform/alb.tf">`) || !strings.Contains(cs, `<error line="4" column="3" severity="error"`) || strings.Contains(cs, `<file name="nginx/nginx.conf">`) {
		t.Errorf("Checkstyle:\n%s", cs)
	}

	_, out, _ := runIn(t, dir, "--new-from-rev", "HEAD", "--format", "sarif")
	log, err := sarif.FromBytes([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Validate(); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results[0]
	if uri := *res.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "terraform/alb.tf" || *res.Locations[0].PhysicalLocation.Region.StartLine != 4 {
		t.Errorf("SARIF location %s:%d", uri, *res.Locations[0].PhysicalLocation.Region.StartLine)
	}
	if uri := *res.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI; uri != "nginx/nginx.conf" {
		t.Errorf("SARIF first related location %s", uri)
	}
	if !strings.Contains(*res.Message.Text, "[nginx/nginx.conf:5:9](1)") {
		t.Errorf("SARIF message does not link nginx.conf: %s", *res.Message.Text)
	}

	md := filepath.Join(t.TempDir(), "summary.md")
	runIn(t, dir, "--new-from-rev", "HEAD", "--format", "markdown="+md)
	b, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "| terraform/alb.tf:4:3 |") {
		t.Errorf("Markdown row is not at the changed line:\n%s", b)
	}
}

// TestNewFromRevPlacementPrimaryChanged: a finding whose primary location
// is itself on a changed line stays there.
func TestNewFromRevPlacementPrimaryChanged(t *testing.T) {
	needGit(t)
	dir := writeTree(t, map[string]string{"terraform/alb.tf": strings.Replace(placementALB, "= 30", "= 120", 1), "nginx/nginx.conf": strings.Replace(placementNginx, "75s", "150s", 1)})
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	writeFile(t, dir, "nginx/nginx.conf", placementNginx)
	placed := placedJSON(t, dir, "--new-from-rev", "HEAD")
	if len(placed) != 1 || placed[0].Location.File != "nginx/nginx.conf" || placed[0].Location.Line != 5 {
		t.Errorf("want the finding on nginx.conf's changed line 5, got %+v", placed)
	}
}

func placedJSON(t *testing.T, dir string, args ...string) []placedFinding {
	t.Helper()
	_, out, errs := runIn(t, dir, append([]string{"--format", "json", "--fail-on", "never"}, args...)...)
	var rep struct{ Findings []placedFinding }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s %s", err, out, errs)
	}
	return rep.Findings
}
