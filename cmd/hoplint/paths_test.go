package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRepositoryRelativePaths: issue 23 item 5. Every format names files
// relative to the repository root, whatever directory hoplint runs in and
// however the path is given; a directory named with ':', ',' and '%'
// stays intact, escaped as each format requires (GitHub's command
// properties, SARIF's percent-encoded URIs, where a ':' in a first
// segment would otherwise read as a scheme).
func TestRepositoryRelativePaths(t *testing.T) {
	const dir = "a:b,c%d"
	repo := writeTree(t, map[string]string{
		".git/HEAD":                "ref: refs/heads/main\n",
		dir + "/nginx.conf":        lingering,
		"infra/" + dir + "/x.conf": lingering,
	})
	formats := map[string][]string{
		"text":       {"a:b,c%d/nginx.conf:3:5: ", "infra/a:b,c%d/x.conf:3:5: "},
		"json":       {`"file": "a:b,c%d/nginx.conf"`, `"file": "infra/a:b,c%d/x.conf"`},
		"github":     {"file=a%3Ab%2Cc%25d/nginx.conf,", "file=infra/a%3Ab%2Cc%25d/x.conf,"},
		"sarif":      {`"uri": "a%3Ab%2Cc%25d/nginx.conf"`, `"uri": "infra/a%3Ab%2Cc%25d/x.conf"`},
		"checkstyle": {`<file name="a:b,c%d/nginx.conf">`, `<file name="infra/a:b,c%d/x.conf">`},
		"junit":      {`classname="a:b,c%d/nginx.conf:3:5"`, `<testsuite name="infra/a:b,c%d/x.conf"`},
	}
	runs := []struct{ dir, arg string }{
		{repo, "."},
		{filepath.Join(repo, dir), ".."},
		{filepath.Join(repo, "infra", dir), "../.."},
		{filepath.Join(repo, "infra"), repo},
	}
	for _, r := range runs {
		for name, want := range formats {
			_, out, errs := runIn(t, r.dir, "--format", name, "--fail-on", "never", r.arg)
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("%s from %s (%s): want %q in\n%s%s", name, r.dir, r.arg, w, out, errs)
				}
			}
		}
	}
	// The subdirectory alone, from within it: still named from the root.
	_, out, _ := runIn(t, filepath.Join(repo, "infra", dir), "--format", "json", "--fail-on", "never", ".")
	if !strings.Contains(out, `"file": "infra/a:b,c%d/x.conf"`) || strings.Contains(out, `"file": "x.conf"`) {
		t.Errorf("from the file's own directory: %s", out)
	}
}
