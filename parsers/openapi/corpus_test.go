package openapi_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
)

// TestCorpus loads every OpenAPI spec of ../shared/corpus from its
// repository's directory, as `hoplint REPO` would: none may fail to load,
// and the specs named in CLASSES.md must yield their routes (the 3 MB
// OpenAI spec among them; its time and memory are measured with the
// binary, never asserted here).
func TestCorpus(t *testing.T) {
	corpus := corpusDir(t)
	repos, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]int{}
	n := 0
	for _, r := range repos {
		if !r.IsDir() {
			continue
		}
		dir := filepath.Join(corpus, r.Name())
		files, _, err := parsers.Discover([]string{dir}, parsers.DiscoverOptions{WorkDir: corpus})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Format != parsers.FormatOpenAPI {
				continue
			}
			n++
			root := f.Root
			sp := openapi.Parse(f, func(abs string) (*parsers.File, error) {
				data, err := parsers.ReadWithin(root, abs)
				if err != nil {
					return nil, err
				}
				return parsers.NewFile(parsers.RelPath(corpus, abs), abs, root, parsers.FormatOpenAPI, data), nil
			})
			for _, p := range sp.Problems {
				if p.Kind == parsers.ProblemParse {
					t.Errorf("%s:%d: %s", p.Range.File, p.Range.Start.Line, p.Message)
				}
			}
			routes[f.Path] = len(sp.Routes)
		}
	}
	t.Logf("%d specs: %v", n, routes)
	for path, min := range map[string]int{
		"Mintplex-Labs__anything-llm/server/swagger/openapi.json": 60,
		"openai__openai-openapi/openapi.yaml":                     100,
	} {
		if routes[path] < min {
			t.Errorf("%s: %d routes, want at least %d", path, routes[path], min)
		}
	}
}

func corpusDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus not found at %s", dir)
		}
		t.Skipf("corpus not found at %s", dir)
	}
	return dir
}
