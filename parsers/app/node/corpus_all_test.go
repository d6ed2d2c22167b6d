package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// Every JavaScript and TypeScript file of the corpus: the prefilter's
// share, the parse time, and the files that do not parse (listed, so that
// a regression in the parser or in esbuild's output shows).
func TestCorpusAllSources(t *testing.T) {
	const c = "../../../../shared/corpus/"
	if _, err := os.Stat(c); err != nil {
		t.Skip("no corpus")
	}
	var total, passed, servers, bodies int
	var failed []string
	var filterTime, parseTime time.Duration
	err := filepath.WalkDir(c, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" || d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(p)
		if ext != ".js" && ext != ".mjs" && ext != ".cjs" && ext != ".ts" && ext != ".tsx" && ext != ".jsx" && ext != ".mts" && ext != ".cts" || strings.HasSuffix(p, ".d.ts") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		total++
		start := time.Now()
		ok := Interesting(data)
		filterTime += time.Since(start)
		if !ok {
			return nil
		}
		passed++
		rel := strings.TrimPrefix(p, c)
		start = time.Now()
		r := Parse(parsers.NewFile(rel, p, c, "", data))
		parseTime += time.Since(start)
		servers += len(r.Servers)
		bodies += len(r.BodyParsers)
		for _, pr := range r.Problems {
			failed = append(failed, pr.Range.String()+": "+pr.Message)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d JS/TS files; prefilter %s; %d passed it and were parsed in %s; %d servers, %d body parsers; %d with problems",
		total, filterTime, passed, parseTime, servers, bodies, len(failed))
	for _, f := range failed {
		t.Log(f)
	}
}
