package compose_test

import (
	"testing"

	testcorpus "github.com/hoplint/hoplint/internal/corpus"
	"github.com/hoplint/hoplint/parsers/compose"
)

// BenchmarkCorpusDirs loads every directory of the corpus that holds a
// default compose file, as `hoplint REPO` will.
func BenchmarkCorpusDirs(b *testing.B) {
	corpus := testcorpus.Dir(b)
	dirs, _ := corpusProjects(b, corpus)
	b.ResetTimer()
	for b.Loop() {
		for _, d := range dirs {
			compose.LoadDir(d, compose.Options{Root: repoRoot(corpus, d), WorkDir: corpus})
		}
	}
	b.ReportMetric(float64(len(dirs)), "projects/op")
}
