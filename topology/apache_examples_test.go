package topology_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
)

// dirArchive packs a directory tree into a txtar archive, so that an
// example kept as plain files runs through the same harness as the cases.
func dirArchive(dir string) (*txtar.Archive, error) {
	ar := &txtar.Archive{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		ar.Files = append(ar.Files, txtar.File{Name: filepath.ToSlash(rel), Data: data})
		return nil
	})
	return ar, err
}

// examples/apache is a Debian-style tree; its want comments are checked
// like a case's.
func TestApacheExample(t *testing.T) {
	ar, err := dirArchive("../examples/apache")
	if err != nil {
		t.Fatal(err)
	}
	if len(ar.Files) < 4 {
		t.Fatalf("example has %d files", len(ar.Files))
	}
	findings, _, _ := linttest.Lint(t, ar)
	linttest.Check(t, findings, linttest.Expectations(t, ar))
}
