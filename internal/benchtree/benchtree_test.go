package benchtree_test

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/benchtree"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
	_ "github.com/hoplint/hoplint/topology/sources"
)

// lint writes total files of the corpus manifests laid out as shape and
// returns the graph and findings of a whole run over them.
func lint(t *testing.T, files []benchtree.File, shape benchtree.Shape, total int) (*topology.Graph, []rules.Finding) {
	t.Helper()
	dir := t.TempDir()
	if _, err := benchtree.Write(dir, files, shape, total); err != nil {
		t.Fatal(err)
	}
	g, err := topology.Load([]string{"."}, &config.Config{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	return g, rules.Run(g, &config.Config{}, rules.Options{})
}

// envOf returns the env<N>/ a path lies in.
func envOf(path string) string {
	env, _, _ := strings.Cut(path, "/")
	return env
}

// key renders a finding with every mention of its environment replaced by
// env1, so that the copies of one finding compare equal.
func key(f rules.Finding, env string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", f.Rule, f.Range, f.Message)
	for _, r := range f.Related {
		fmt.Fprintf(&b, "\n  %s %s", r.Range, r.Message)
	}
	return strings.ReplaceAll(b.String(), env+"/", "env1/")
}

// withCases adds the files of the repository's Kubernetes and Terraform
// txtar cases, each case in a directory of its own: they hold the
// controllers, ConfigMaps, IngressClasses and load balancers the corpus
// has few of. (Not the nginx, Apache and cross-format cases: a link by
// port takes the only server on the port in the whole tree, so copies of
// those make every port ambiguous; see linkByPort.)
func withCases(t *testing.T, files []benchtree.File) []benchtree.File {
	t.Helper()
	var cases []string
	for _, format := range []string{"kubernetes", "terraform"} {
		found, err := filepath.Glob(filepath.Join(linttest.RepoRoot(), "testdata", format, "*.txtar"))
		if err != nil || len(found) == 0 {
			t.Fatalf("no %s cases: %v", format, err)
		}
		cases = append(cases, found...)
	}
	for _, c := range cases {
		data, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(c), ".txtar")
		for _, f := range txtar.Parse(data).Files {
			if !strings.HasPrefix(f.Name, ".") {
				files = append(files, benchtree.File{Path: path.Join("hoplint-cases", name, f.Name), Data: f.Data})
			}
		}
	}
	return files
}

// TestCopiesPerEnvironment lints the whole corpus (every format) and the
// Kubernetes and Terraform cases once (env1/) and three times (env1/ …
// env3/): each environment must get exactly the findings of the single
// copy, every location of each finding inside its own environment. A
// lookup that reached into another environment (an Ingress reading every
// copy of its controller's ConfigMap, a Service linked to every copy of
// its Deployment, a CloudFront origin to every copy of its ALB) changes,
// moves or multiplies them.
func TestCopiesPerEnvironment(t *testing.T) {
	files, err := benchtree.All(linttest.CorpusDir(t))
	if err != nil {
		t.Fatal(err)
	}
	files = withCases(t, files)
	const copies = 3
	_, one := lint(t, files, benchtree.Envs, len(files))
	_, many := lint(t, files, benchtree.Envs, copies*len(files))
	if len(one) == 0 {
		t.Fatal("no findings on the corpus manifests; the test would prove nothing")
	}
	want := make([]string, len(one))
	for i, f := range one {
		want[i] = key(f, "env1")
	}
	sort.Strings(want)
	got := map[string][]string{}
	for _, f := range many {
		env := envOf(f.Range.File)
		for _, r := range f.Related {
			if e := envOf(r.Range.File); e != env {
				t.Errorf("%s finding in %s points into %s: %s", f.Rule, f.Range, r.Range, f.Message)
			}
		}
		got[env] = append(got[env], key(f, env))
	}
	for i := 1; i <= copies; i++ {
		env := fmt.Sprintf("env%d", i)
		g := got[env]
		sort.Strings(g)
		if strings.Join(g, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: %d findings, want the %d of one copy; first difference:\n%s", env, len(g), len(want), firstDiff(g, want))
		}
	}
	if len(got) != copies {
		t.Errorf("findings in %d top-level directories, want %d", len(got), copies)
	}
}

// TestCopiesInOneDirectory lints each corpus manifest written three times
// beside itself: equally near copies are a tie, linked once, so the edges
// grow with the copies, never with their square.
func TestCopiesInOneDirectory(t *testing.T) {
	files, err := benchtree.Manifests(linttest.CorpusDir(t))
	if err != nil {
		t.Fatal(err)
	}
	const copies = 3
	g1, _ := lint(t, files, benchtree.SameDir, len(files))
	g3, _ := lint(t, files, benchtree.SameDir, copies*len(files))
	if len(g1.Edges) == 0 {
		t.Fatal("no edges on the corpus manifests; the test would prove nothing")
	}
	if len(g3.Hops) != copies*len(g1.Hops) {
		t.Errorf("%d hops for %d copies, want %d", len(g3.Hops), copies, copies*len(g1.Hops))
	}
	if len(g3.Edges) > copies*len(g1.Edges) {
		t.Errorf("%d edges for %d copies of a tree with %d: more than one per copy", len(g3.Edges), copies, len(g1.Edges))
	}
}

func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		switch {
		case i >= len(got):
			return "missing: " + want[i]
		case i >= len(want):
			return "extra: " + got[i]
		case got[i] != want[i]:
			return "got:  " + got[i] + "\nwant: " + want[i]
		}
	}
	return ""
}
