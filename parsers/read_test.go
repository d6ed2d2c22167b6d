//go:build linux || darwin

package parsers

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// readCapped reads regular files whole and refuses, with the messages
// findings print, what is no regular file, too large or missing.
func TestReadCapped(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, make func(p string) error) string {
		p := filepath.Join(dir, name)
		if err := make(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := strings.Repeat("server { listen 80; }\n", 1000)
	regular := mk("nginx.conf", func(p string) error { return os.WriteFile(p, []byte(text), 0o644) })
	empty := mk("empty.conf", func(p string) error { return os.WriteFile(p, nil, 0o644) })
	fifo := mk("pipe.conf", func(p string) error { return syscall.Mkfifo(p, 0o644) })
	sub := mk("conf.d", func(p string) error { return os.Mkdir(p, 0o755) })
	sock := mk("s.conf", func(p string) error {
		l, err := net.Listen("unix", p)
		if err == nil {
			t.Cleanup(func() { _ = l.Close() })
		}
		return err
	})
	huge := mk("huge.conf", func(p string) error {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Truncate(MaxFileSize + 1) // sparse: costs no disk
	})
	if data, err := readCapped(regular); err != nil || string(data) != text {
		t.Fatalf("regular file: %d bytes, %v", len(data), err)
	}
	if data, err := readCapped(empty); err != nil || len(data) != 0 {
		t.Fatalf("empty file: %q, %v", data, err)
	}
	for p, want := range map[string]string{
		fifo:                            "not a regular file", // opened without waiting for a writer
		sock:                            "not a regular file", // cannot be opened at all
		sub:                             "is a directory",
		huge:                            "over hoplint's limit",
		filepath.Join(dir, "gone.conf"): "cannot read: no such file or directory",
	} {
		if _, err := readCapped(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", filepath.Base(p), err, want)
		}
	}
}
