package linttest

import (
	"testing"

	"github.com/hoplint/hoplint/internal/corpus"
)

// RepoRoot is the directory holding go.mod.
func RepoRoot() string { return corpus.RepoRoot() }

// CorpusDir returns ../shared/corpus beside the repository (corpus.Dir): in
// CI a missing corpus fails the test, elsewhere it is skipped.
func CorpusDir(t testing.TB) string { return corpus.Dir(t) }
