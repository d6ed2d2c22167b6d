package parsers

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDiscoverSymlinkedRoot: a root reached through a symlink (a checkout
// under a linked home, macOS's /tmp) is walked under the name it was
// given, with links inside it followed when they stay in it; it found no
// file at all before.
func TestDiscoverSymlinkedRoot(t *testing.T) {
	top := t.TempDir()
	real := filepath.Join(top, "real")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(real, "conf.d"), 0o755))
	must(os.WriteFile(filepath.Join(real, "nginx.conf"), []byte("events {}\nhttp { include conf.d/*.conf; }\n"), 0o644))
	must(os.WriteFile(filepath.Join(real, "conf.d", "a.conf"), []byte("server { listen 80; }\n"), 0o644))
	must(os.WriteFile(filepath.Join(top, "outside.conf"), []byte("server { listen 81; }\n"), 0o644))
	if err := os.Symlink(filepath.Join(real, "conf.d", "a.conf"), filepath.Join(real, "b.conf")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	must(os.Symlink(filepath.Join(top, "outside.conf"), filepath.Join(real, "out.conf")))
	link := filepath.Join(top, "link")
	must(os.Symlink(real, link))
	for _, c := range []struct{ wd, arg string }{{top, "link"}, {top, link}, {link, "."}} {
		files, _, err := Discover([]string{c.arg}, DiscoverOptions{WorkDir: c.wd})
		must(err)
		got := map[string]bool{}
		for _, f := range files {
			got[f.Path] = true
		}
		prefix := ""
		if c.wd == top {
			prefix = "link/"
		}
		for _, want := range []string{"nginx.conf", "conf.d/a.conf", "b.conf"} {
			if !got[prefix+want] {
				t.Errorf("wd %s, %s: %s not found; got %v", c.wd, c.arg, prefix+want, got)
			}
		}
		if got[prefix+"out.conf"] {
			t.Errorf("wd %s, %s: a link out of the root was followed", c.wd, c.arg)
		}
	}
}
