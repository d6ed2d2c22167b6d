package openapi_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// TestOpenAPICorpusAnythingLLM: the corpus repository that ships its API
// spec next to the manifests that serve it. The spec's servers are
// relative (/api), so its routes link by assumption to the one hop that
// serves /api/…: the Ingress (path /). Its controller class
// (internal-ingress) is not one hoplint models, so the Ingress's body
// limit and read timeout are unknown and no OpenAPI rule may report
// anything (checked by hand: nothing in the manifest says otherwise).
func TestOpenAPICorpusAnythingLLM(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	dir := filepath.Join(corpus, "Mintplex-Labs__anything-llm")
	g, err := topology.Load([]string{dir}, &config.Config{}, corpus)
	if err != nil {
		t.Fatal(err)
	}
	routes, linked := 0, 0
	for _, h := range g.Hops {
		if h.Kind != topology.KindOpenAPIRoute {
			continue
		}
		routes++
		for _, e := range g.In(h) {
			if e.Within {
				continue
			}
			if e.Confidence != topology.Assumed || !strings.HasPrefix(e.From.Name, "Ingress {{ namespace }}/anything-llm-ingress") {
				t.Errorf("%s linked from %s (%s): %s", h.ID, e.From.Name, e.Confidence, e.Why)
			}
			linked++
		}
	}
	if routes < 60 || linked != routes {
		t.Errorf("%d routes, %d linked to the Ingress; want every route (60+) linked", routes, linked)
	}
	for _, f := range rules.Run(g, &config.Config{}, rules.Options{}) {
		switch f.Rule {
		case "body-size-order", "stream-cut-by-timeout", "missing-body-size-limit", "parse-error", "include-not-followed":
			if f.Rule == "include-not-followed" && strings.HasSuffix(f.Range.File, "docker/docker-compose.yml") && strings.Contains(f.Message, "env_file") {
				// True: the compose file's env_file .env is gitignored
				// (it is not in the repository).
				continue
			}
			t.Errorf("unexpected %s at %s: %s", f.Rule, f.Range, f.Message)
		}
	}
}
