package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// writeFiles writes files (slash paths relative to dir) and returns what
// discovery finds in dir.
func writeFiles(t testing.TB, dir string, files map[string]string) []*parsers.File {
	t.Helper()
	for p, body := range files {
		p = filepath.Join(dir, filepath.FromSlash(p))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		must(t, os.WriteFile(p, []byte(body), 0o644))
	}
	found, _, err := parsers.Discover([]string{"."}, parsers.DiscoverOptions{WorkDir: dir})
	must(t, err)
	return found
}

// checkMapped fails when a line of a rendered file maps to no source
// position.
func checkMapped(t testing.TB, out []*parsers.File) {
	t.Helper()
	for _, o := range out {
		if o.Map == nil {
			continue
		}
		for l := 1; l <= o.NumLines(); l++ {
			if r := o.At(l, 1, l, 2); r.File == "" || r.Start.Line < 1 {
				t.Fatalf("%s: rendered line %d maps nowhere: %+v", o.Path, l, r)
			}
		}
	}
}
