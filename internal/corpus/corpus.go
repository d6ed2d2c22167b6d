// Package corpus finds ../shared/corpus, the real configuration files from
// public projects that the tests read. It imports nothing of hoplint, so a
// parser's tests (and its fuzzing builds) can use it without instrumenting
// the whole linter.
package corpus

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

// Dir returns ../shared/corpus beside the repository. In CI (CI=true) a
// missing corpus fails the test, so that corpus tests can never pass by not
// running; elsewhere the test is skipped with a message.
func Dir(t testing.TB) string {
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
