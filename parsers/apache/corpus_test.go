package apache_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
)

// TestCorpus parses every Apache file of ../shared/corpus (the h5bp include
// tree, httpd's .conf.in templates, netbox's vhost) from its repository's
// directory, as `hoplint REPO` would: none may have a parse error.
func TestCorpus(t *testing.T) {
	corpus := corpusDir(t)
	repos, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
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
			if f.Format != parsers.FormatApache {
				continue
			}
			n++
			c := apache.Parse(f, apache.Options{})
			for _, is := range c.Issues {
				if is.Kind == parsers.ProblemParse {
					t.Errorf("%s: %s", is.Range, is.Message)
				}
			}
			// No file is silently empty: one with directives reads some.
			if len(c.Directives) == 0 && hasDirectives(f.Bytes()) {
				t.Errorf("%s: read as empty Apache configuration", f.Path)
			}
		}
	}
	// h5bp: 24 files; httpd: 4 templates; netbox: 1.
	if n < 29 {
		t.Errorf("only %d Apache files found in the corpus; classification lost some", n)
	}
}

func hasDirectives(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}

// corpusDir is ../shared/corpus beside the repository (as
// internal/linttest.CorpusDir finds it; not imported, so that this
// package's tests and fuzzing build without the rest of hoplint). In CI a
// missing corpus fails.
func corpusDir(t *testing.T) string {
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
