package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// byBase keys fingerprints by rule and file name, so that runs that name
// the same files by different paths can be compared.
func byBase(rep jsonOut) map[string]string {
	m := map[string]string{}
	for _, f := range rep.Findings {
		m[f.Rule+" "+filepath.Base(f.Location.File)] = f.Fingerprint
	}
	return m
}

// TestFingerprintsThroughSymlink: issue 25 item 21. A repository's
// subdirectory reached through a symlink from outside the repository
// gives the fingerprints it gives when linted inside the repository, so
// that a baseline written one way holds the other way.
func TestFingerprintsThroughSymlink(t *testing.T) {
	repo := writeTree(t, map[string]string{
		".git/HEAD":        "ref: refs/heads/main\n",
		"sub/nginx.conf":   lingering,
		"sub/apache2.conf": apacheConf,
	})
	outside := t.TempDir()
	if err := os.Symlink(filepath.Join(repo, "sub"), filepath.Join(outside, "link")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	inside := byBase(lintJSON(t, repo, "sub"))
	if len(inside) < 2 {
		t.Fatalf("want findings in both files, got %v", inside)
	}
	for _, c := range []struct{ dir, arg string }{{outside, "link"}, {outside, "link/"}, {filepath.Join(repo, "sub"), "."}} {
		if got := byBase(lintJSON(t, c.dir, c.arg)); !equalMaps(inside, got) {
			t.Errorf("linted as %s from %s: fingerprints %v; inside the repository: %v", c.arg, c.dir, got, inside)
		}
	}
}

// TestFingerprintLongLine: issue 25 item 3. On a line too long to hash
// whole, a finding's fingerprint depends on the text around it, not on
// the rest of the line: an edit far away on the same line keeps it, and
// findings on the line are still told apart.
func TestFingerprintLongLine(t *testing.T) {
	server := func(i int) string {
		return "upstream b" + itoa(i) + " { server 10.0.0.1:80; keepalive 8; } server { listen " + itoa(1000+i) + "; server_name s" + itoa(i) + "; location / { proxy_pass http://b" + itoa(i) + "; } } "
	}
	var b strings.Builder
	for i := range 40 {
		b.WriteString(server(i))
	}
	conf := "events {} http { " + b.String() + "}\n"
	dir := writeTree(t, map[string]string{"nginx.conf": conf})
	rep := lintJSON(t, dir)
	first := map[string]string{} // by message
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		first[f.Message] = f.Fingerprint
		if seen[f.Fingerprint] {
			t.Errorf("fingerprint %s repeated", f.Fingerprint)
		}
		seen[f.Fingerprint] = true
	}
	if len(first) < 40 {
		t.Fatalf("want a finding per server, got %d", len(first))
	}
	// A comment at the end of the line, far from the first servers.
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(strings.TrimSuffix(conf, "\n")+" # edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	after := lintJSON(t, dir)
	kept := 0
	for _, f := range after.Findings {
		if first[f.Message] == f.Fingerprint {
			kept++
		}
	}
	if kept < 30 {
		t.Errorf("%d of %d fingerprints kept after an edit at the end of the line; want those of findings far from it", kept, len(first))
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
