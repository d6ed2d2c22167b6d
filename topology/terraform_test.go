package topology_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

func TestTerraformCases(t *testing.T) {
	linttest.RunDir(t, "../testdata/terraform")
}

// terraformRepos lists the corpus repositories holding Terraform files.
func terraformRepos(t *testing.T, corpus string) []string {
	t.Helper()
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		found := false
		_ = filepath.WalkDir(filepath.Join(corpus, e.Name()), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json") || strings.HasSuffix(p, ".tfvars")) {
				found = true
				return filepath.SkipAll
			}
			return nil
		})
		if found {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestTerraformCorpus proves that every Terraform file of the corpus,
// including the legacy-syntax hashicorp examples, parses without a
// parse-error, and that the terraform-aws-modules sources and examples
// evaluate into hops.
func TestTerraformCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	repos := terraformRepos(t, corpus)
	if len(repos) < 5 {
		t.Fatalf("only %d corpus repositories with Terraform files: %v", len(repos), repos)
	}
	graphs := map[string]*topology.Graph{}
	for _, repo := range repos {
		dir := filepath.Join(corpus, repo)
		g, err := topology.Load([]string{"."}, &config.Config{}, dir)
		if err != nil {
			t.Fatalf("%s: %v", repo, err)
		}
		graphs[repo] = g
		tf := 0
		for _, f := range g.Files {
			if f.Format == parsers.FormatTerraform {
				tf++
			}
		}
		if tf == 0 {
			t.Errorf("%s: no Terraform file discovered", repo)
		}
		for _, p := range g.Problems {
			if p.Kind == parsers.ProblemParse && (strings.Contains(p.Range.File, ".tf") || p.Range.File == "") {
				t.Errorf("%s: %s: %s", repo, p.Range, p.Message)
			}
		}
	}

	// The ALB module's own example calls it with idle_timeout unset: the
	// variable defaults to null, so the AWS default applies.
	alb := hopByName(t, graphs["terraform-aws-modules__terraform-aws-alb"], "ALB module.alb.aws_lb.this")
	if !alb.KeepAlive.IsDefault() || alb.KeepAlive.Value != 60*time.Second {
		t.Errorf("%s idle_timeout = %v (%v), want the AWS default 60s", alb.Name, alb.KeepAlive.Value, alb.KeepAlive.Prov)
	}
	if len(alb.KeepAlive.Via) == 0 || !strings.Contains(alb.KeepAlive.Via[0].Message, "defaults to null") {
		t.Errorf("%s idle_timeout via = %+v, want the variable's null default", alb.Name, alb.KeepAlive.Via)
	}
	g := graphs["terraform-aws-modules__terraform-aws-alb"]
	if !linked(g, alb, `ALB module.alb.aws_lb.this via target group module.alb.aws_lb_target_group.this["ex-instance"]`) {
		t.Errorf("no edge from %s to its ex-instance target group", alb.Name)
	}

	// compiler-explorer: CloudFront → ALB → target group.
	ce := graphs["compiler-explorer__infra"]
	origin := hopByName(t, ce, `CloudFront aws_cloudfront_distribution.conan-compiler-explorer-com origin "InternalServices"`)
	internal := hopByName(t, ce, "ALB aws_alb.InternalServices")
	if !linked(ce, origin, internal.Name) {
		t.Errorf("no edge from %s to %s", origin.Name, internal.Name)
	}
	if !linked(ce, internal, "ALB aws_alb.InternalServices via target group aws_alb_target_group.conan") {
		t.Errorf("no edge from %s to the conan target group", internal.Name)
	}
	if origin.PoolIdle.Value != 60*time.Second || origin.UpstreamTimeout.Value != 60*time.Second {
		t.Errorf("%s: keep-alive %v, read timeout %v; want 60s and 60s", origin.Name, origin.PoolIdle.Value, origin.UpstreamTimeout.Value)
	}
}

func hopByName(t *testing.T, g *topology.Graph, name string) *topology.Hop {
	t.Helper()
	if g == nil {
		t.Fatalf("no graph for %q", name)
	}
	for _, h := range g.Hops {
		if h.Name == name {
			return h
		}
	}
	var names []string
	for _, h := range g.Hops {
		names = append(names, h.Name)
	}
	t.Fatalf("no hop %q; hops: %s", name, strings.Join(names, "; "))
	return nil
}

func linked(g *topology.Graph, from *topology.Hop, to string) bool {
	for _, e := range g.Out(from) {
		if e.To.Name == to {
			return true
		}
	}
	return false
}

// TestTerraformRootsKeepHopsApart: a child module two roots call makes one
// hop per root, with distinct IDs, each linked from its own root only.
func TestTerraformRootsKeepHopsApart(t *testing.T) {
	ar, err := txtar.ParseFile("../testdata/terraform/copies_shared_module.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, g, _ := linttest.Lint(t, ar)
	ids := map[string]bool{}
	albs := 0
	for _, h := range g.Hops {
		if ids[h.ID] {
			t.Errorf("two hops share ID %s", h.ID)
		}
		ids[h.ID] = true
		if h.Kind != topology.KindALB {
			continue
		}
		albs++
		in := g.In(h)
		if len(in) != 1 {
			t.Fatalf("%s has %d links in, want 1 (its own root's origin)", h.ID, len(in))
		}
		root := "env1/"
		if strings.HasSuffix(h.ID, "@env2") {
			root = "env2/"
		}
		if !strings.HasPrefix(in[0].From.File, root) {
			t.Errorf("%s is linked from %s, want a file under %s", h.ID, in[0].From.File, root)
		}
	}
	if albs != 2 {
		t.Errorf("%d ALB hops, want one per root", albs)
	}
}
