package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLoadRefusesNonFiles: a .hoplint.yml that is a FIFO, a device, a
// directory, a link out of the repository or a huge file is an error that
// names the file, never a hang, an exhausted memory or a quote of what the
// link points at.
func TestLoadRefusesNonFiles(t *testing.T) {
	root := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.yml")
	if err := os.WriteFile(secret, []byte("versions: {nginx: \"1.27\"}\n# password: hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, f func(p string) error) string {
		p := filepath.Join(root, name, DefaultFile)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := f(p); err != nil {
			t.Skipf("%s: %v", name, err)
		}
		return p
	}
	cases := map[string]struct {
		path, want string
	}{
		"fifo":     {mk("fifo", func(p string) error { return syscall.Mkfifo(p, 0o644) }), "not a regular file"},
		"device":   {mk("device", func(p string) error { return os.Symlink("/dev/zero", p) }), "outside"},
		"dir":      {mk("dir", func(p string) error { return os.Mkdir(p, 0o755) }), "not a regular file"},
		"escape":   {mk("escape", func(p string) error { return os.Symlink(secret, p) }), "outside"},
		"too big":  {mk("big", func(p string) error { return os.WriteFile(p, make([]byte, MaxSize+1), 0o644) }), "over hoplint's limit"},
		"dangling": {mk("dangling", func(p string) error { return os.Symlink(filepath.Join(root, "nowhere"), p) }), "no such file"},
	}
	for name, c := range cases {
		_, err := LoadFile(c.path, root)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.path) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the error quotes the file: %v", name, err)
		}
	}
	// Named with --config (no root), a device is still refused.
	if _, err := LoadFile("/dev/zero", ""); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("/dev/zero: %v", err)
	}
	// A link inside the repository is followed.
	inside := mk("inside", func(p string) error {
		if err := os.WriteFile(filepath.Join(root, "shared.yml"), []byte("link: strict\n"), 0o644); err != nil {
			return err
		}
		return os.Symlink(filepath.Join(root, "shared.yml"), p)
	})
	if c, err := LoadFile(inside, root); err != nil || !c.Strict() {
		t.Errorf("link inside the root: %v", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{".git/HEAD", DefaultFile, "a/" + DefaultFile, "a/b/c/x.conf"} {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for start, want := range map[string]string{
		"a/b/c":        "a/" + DefaultFile,
		"a/b/c/x.conf": "a/" + DefaultFile,
		"a":            "a/" + DefaultFile,
		".":            DefaultFile,
	} {
		got, repo, err := Find(filepath.Join(root, start))
		if err != nil || got != filepath.Join(root, want) || repo != root {
			t.Errorf("Find(%s) = %q, %q, %v; want %q in repository %s", start, got, repo, err, want, root)
		}
	}
}
