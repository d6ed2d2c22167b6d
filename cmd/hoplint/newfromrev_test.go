package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
}

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ruleFiles(rep jsonOut) string {
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Rule+" "+f.Location.File)
	}
	return strings.Join(sortedCopy(got), ",")
}

// TestNewFromRevLongLine: issue 25 item 6. A changed line of 17 MiB (a
// minified file) stopped the diff reader silently, and the hunks after it
// were lost: the finding on a line changed in a later file was dropped.
func TestNewFromRevLongLine(t *testing.T) {
	needGit(t)
	dir := writeTree(t, map[string]string{"aaa.txt": "small\n", "nginx.conf": "events {}\nhttp {\n}\n"})
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	writeFile(t, dir, "aaa.txt", strings.Repeat("x", 17<<20)+"\n")
	writeFile(t, dir, "nginx.conf", lingering)
	if got := ruleFiles(lintJSON(t, dir, "--new-from-rev", "HEAD")); got != "lingering-close-off nginx.conf" {
		t.Errorf("got %q, want the lingering-close-off finding of nginx.conf, changed after the long line", got)
	}
}

// TestNewFromRevContentLikeHeaders: an added line "++ /dev/null" is
// "+++ /dev/null" in a diff: content, not a file header. Read as a
// header, it dropped the file's later hunks.
func TestNewFromRevContentLikeHeaders(t *testing.T) {
	needGit(t)
	tf := func(text, timeout string) string {
		return "locals {\n  x = <<EOT\n" + text + "\nEOT\n}\nresource \"aws_lb\" \"x\" {\n  load_balancer_type = \"network\"\n  idle_timeout       = " + timeout + "\n}\n"
	}
	dir := writeTree(t, map[string]string{"main.tf": tf("x", "30")})
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	writeFile(t, dir, "main.tf", tf("++ /dev/null", "60"))
	if got := ruleFiles(lintJSON(t, dir, "--new-from-rev", "HEAD")); got != "ignored-lb-attribute main.tf" {
		t.Errorf("got %q, want the finding on the changed idle_timeout line", got)
	}
}

// TestNewFromRevMergeBase: issue 25 item 19. What the base branch changed
// after the pull request's branch left it is not the pull request's: the
// working tree is compared with the merge base, not the base's tip.
func TestNewFromRevMergeBase(t *testing.T) {
	needGit(t)
	dir := writeTree(t, map[string]string{"nginx.conf": lingering})
	gitRun(t, dir, "init", "-q", "-b", "main")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	gitRun(t, dir, "checkout", "-q", "-b", "pr")
	writeFile(t, dir, "other.txt", "x\n")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "pr")
	gitRun(t, dir, "checkout", "-q", "main")
	writeFile(t, dir, "nginx.conf", "events {}\nhttp {\n}\n") // main fixes the finding
	gitRun(t, dir, "commit", "-q", "-am", "fix on main")
	gitRun(t, dir, "checkout", "-q", "pr")
	code, out, errs := runIn(t, dir, "--new-from-rev", "main", "--format", "json")
	if code != exitClean || strings.Contains(out, "lingering") {
		t.Errorf("exit %d: the pull request is blamed for a line main changed:\n%s", code, out)
	}
	if !strings.Contains(errs, "the merge base of main and HEAD") {
		t.Errorf("stderr does not say which revision was used: %q", errs)
	}
}

// TestNewFromRevShallowMerge: issue 25 item 19. In a shallow clone of a
// pull request's merge commit, where the merge base cannot be found, the
// merge commit's first parent (the base branch as merged) is used, and
// stderr says so.
func TestNewFromRevShallowMerge(t *testing.T) {
	needGit(t)
	src := writeTree(t, map[string]string{"nginx.conf": lingering})
	gitRun(t, src, "init", "-q", "-b", "main")
	gitRun(t, src, "add", ".")
	gitRun(t, src, "commit", "-q", "-m", "B0")
	gitRun(t, src, "checkout", "-q", "-b", "pr")
	writeFile(t, src, "other.txt", "x\n")
	gitRun(t, src, "add", ".")
	gitRun(t, src, "commit", "-q", "-m", "P1")
	gitRun(t, src, "checkout", "-q", "main")
	writeFile(t, src, "b1.txt", "x\n")
	gitRun(t, src, "add", ".")
	gitRun(t, src, "commit", "-q", "-m", "B1")
	gitRun(t, src, "checkout", "-q", "-b", "merge")
	gitRun(t, src, "merge", "-q", "--no-ff", "-m", "M", "pr")
	gitRun(t, src, "checkout", "-q", "main")
	writeFile(t, src, "nginx.conf", "events {}\nhttp {\n}\n") // main moves on: fixes the finding
	gitRun(t, src, "commit", "-q", "-am", "B2")
	clone := filepath.Join(t.TempDir(), "clone")
	gitRun(t, src, "clone", "-q", "--depth", "2", "--branch", "merge", "file://"+src, clone)
	gitRun(t, clone, "fetch", "-q", "--depth", "1", "origin", "+refs/heads/main:refs/remotes/origin/main")
	code, out, errs := runIn(t, clone, "--new-from-rev", "origin/main", "--format", "json")
	if code != exitClean || strings.Contains(out, "lingering") {
		t.Errorf("exit %d: the pull request is blamed for a line main changed:\n%s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(errs, "first parent") {
		t.Errorf("stderr does not say that the merge's first parent was used: %q", errs)
	}
}

// TestNewFromRevNoFilters: issue 25 item 20. git diff would run the clean
// filter (and textconv) that the linted tree's .gitattributes selects,
// with a driver defined in git's configuration (git-lfs on CI runners,
// here the repository's own): hoplint's diff runs none.
func TestNewFromRevNoFilters(t *testing.T) {
	needGit(t)
	dir := writeTree(t, map[string]string{"nginx.conf": "events {}\nhttp {\n}\n"})
	marker := filepath.Join(t.TempDir(), "ran")
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	for _, kv := range [][2]string{
		{"filter.mark.clean", "touch " + marker + "-clean; cat"},
		{"filter.mark.smudge", "touch " + marker + "-smudge; cat"},
		{"filter.mark.required", "true"},
		{"filter.mark.process", "touch " + marker + "-process"},
		{"diff.mark.textconv", "touch " + marker + "-textconv; cat"},
		{"diff.mark.command", "touch " + marker + "-command"},
	} {
		gitRun(t, dir, "config", kv[0], kv[1])
	}
	writeFile(t, dir, ".gitattributes", "* filter=mark diff=mark\n")
	writeFile(t, dir, "nginx.conf", lingering)
	code, out, errs := runIn(t, dir, "--new-from-rev", "HEAD", "--format", "json")
	if code != exitFindings || !strings.Contains(out, "lingering") {
		t.Errorf("exit %d, want the changed line's finding:\n%s\n%s", code, out, errs)
	}
	ran, _ := filepath.Glob(marker + "*")
	if len(ran) > 0 {
		t.Errorf("git ran drivers the tree selects: %v", ran)
	}
}
