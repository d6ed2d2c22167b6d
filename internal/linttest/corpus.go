package linttest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot is the directory holding go.mod.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// CorpusDir returns ../shared/corpus beside the repository: real
// configuration files from public projects. In CI (CI=true) a missing corpus
// fails the test, so that corpus tests can never pass by not running.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(), "..", "shared", "corpus")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus not found at %s", dir)
		}
		t.Skipf("corpus not found at %s", dir)
	}
	return dir
}
