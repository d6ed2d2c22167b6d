package main

import (
	"strings"
	"testing"
)

// TestDoubleDashEndsFlags: issue 25 item 8. After "--" every argument is
// a path, even one named like a flag: a pull request can add a file named
// "--fail-on=never", and "hoplint -- a --fail-on=never" must lint it, not
// obey it. A "--" given as a flag's value does not end the flags.
func TestDoubleDashEndsFlags(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"nginx.conf":      lingering,
		"--fail-on=never": lingering,
		"--format=json":   lingering,
	})
	code, out, errs := runIn(t, dir, "--", "nginx.conf", "--fail-on=never", "--format=json")
	if code != exitFindings {
		t.Errorf("exit %d, want 1 (the flag-like names are files with findings); stderr %s", code, errs)
	}
	for _, f := range []string{"--fail-on=never:3", "--format=json:3", "nginx.conf:3"} {
		if !strings.Contains(out, f) {
			t.Errorf("output does not name %s:\n%s", f, out)
		}
	}
	// Paths and flags mixed before the "--", paths only after it.
	code, out, _ = runIn(t, dir, "nginx.conf", "--fail-on", "error", "--", "--format=json")
	if code != exitClean || !strings.Contains(out, "--format=json:3") || strings.HasPrefix(out, "{") {
		t.Errorf("exit %d, output:\n%s\nwant exit 0 (--fail-on error) and text naming the file --format=json", code, out)
	}
}
