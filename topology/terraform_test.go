package topology_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
