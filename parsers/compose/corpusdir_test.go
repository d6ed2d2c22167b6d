package compose_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// corpusDir is ../shared/corpus beside the repository. It is found here
// rather than through internal/linttest, whose other imports (the whole
// linter) would make every fuzzing build of this package instrument them
// all. In CI a missing corpus fails the test.
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
