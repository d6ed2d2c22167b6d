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

// copyInto copies the directory src to dst/name.
func copyInto(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBaselineFromSubdirectory: issue 23 item 4. A baseline written at
// the repository root holds when hoplint runs in a subdirectory: the
// fingerprints name files relative to the repository and do not hash
// messages (which name files as the run does).
func TestBaselineFromSubdirectory(t *testing.T) {
	repo := writeTree(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n"})
	copyInto(t, filepath.Join("..", "..", "examples", "shop"), filepath.Join(repo, "examples", "shop"))
	code, out, errs := runIn(t, repo, "baseline", "examples/shop")
	if code != 0 {
		t.Fatalf("baseline: exit %d %s", code, errs)
	}
	if err := os.WriteFile(filepath.Join(repo, "base.json"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(repo, "examples", "shop")
	for _, c := range []struct{ dir, base, arg string }{
		{repo, "base.json", "examples/shop"},
		{sub, "../../base.json", "."},
		{filepath.Join(sub, "nginx"), "../../../base.json", ".."},
	} {
		rep := lintJSON(t, c.dir, "--baseline", c.base, c.arg)
		if len(rep.Findings) != 0 {
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Rule+" "+f.Location.File)
			}
			t.Errorf("from %s: %d findings new against a baseline written at the root: %v", c.dir, len(got), got)
		}
	}
}

// TestVersion1Baseline: a baseline written by an earlier hoplint (version
// 1 fingerprints, which hashed the message) still hides its findings when
// run from the directory it was written in, until it is written again.
func TestVersion1Baseline(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering, "base.json": `{"version": 1, "tool": "hoplint", "findings": [
		{"fingerprint": "c9e4ea16ab3ac2fb", "rule": "lingering-close-off", "file": "nginx.conf", "message": "written by hoplint before version 2 baselines"}]}`})
	if rep := lintJSON(t, dir, "--baseline", "base.json"); len(rep.Findings) != 0 {
		t.Errorf("a version 1 baseline no longer hides its finding: %+v", rep.Findings)
	}
	_, out, _ := runIn(t, dir, "baseline")
	if !strings.Contains(out, `"version": 2`) {
		t.Errorf("hoplint baseline does not write version 2: %s", out)
	}
}
