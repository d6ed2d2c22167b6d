package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionBash sources the bash script in a real bash and asks it to
// complete, as bash would on TAB.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	var out, errs bytes.Buffer
	if code := dispatch([]string{"completion", "bash"}, &out, &errs); code != exitClean {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	script := filepath.Join(t.TempDir(), "hoplint.bash")
	if err := os.WriteFile(script, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	complete := func(line ...string) []string {
		t.Helper()
		var words strings.Builder
		for _, w := range line {
			words.WriteString(" '" + w + "'")
		}
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c",
			`source "$1"; COMP_WORDS=(`+words.String()+`); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _hoplint; printf '%s\n' "${COMPREPLY[@]}"`, "bash", script)
		cmd.Dir = t.TempDir()
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v: %s", err, b)
		}
		return strings.Fields(string(b))
	}
	cases := []struct {
		line []string
		want string
	}{
		{[]string{"hoplint", "gra"}, "graph"},
		{[]string{"hoplint", "--fo"}, "--format"},
		{[]string{"hoplint", "--format", "sa"}, "sarif"},
		{[]string{"hoplint", "explain", "keepalive-or"}, "keepalive-order"},
		{[]string{"hoplint", "--disable", "missing-memory"}, "missing-memory-limit"},
		{[]string{"hoplint", "--fail-on", "ne"}, "never"},
		{[]string{"hoplint", "completion", "fi"}, "fish"},
	}
	for _, c := range cases {
		got := complete(c.line...)
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%v: completed to %v, want [%s]", c.line, got, c.want)
		}
	}
}

// TestCompletionScripts: every shell's script names every rule and format,
// and a shell that is not one is a usage error.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range completionShells {
		var out, errs bytes.Buffer
		if code := dispatch([]string{"completion", sh}, &out, &errs); code != exitClean {
			t.Fatalf("%s: exit %d: %s", sh, code, errs.String())
		}
		for _, want := range append(completionRules(), completionFormats()...) {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s script does not complete %s", sh, want)
			}
		}
	}
	var out, errs bytes.Buffer
	if code := dispatch([]string{"completion", "tcsh"}, &out, &errs); code != exitUsage || !strings.Contains(errs.String(), "bash, zsh or fish") {
		t.Errorf("tcsh: exit %d, %q", code, errs.String())
	}
	if zsh, err := exec.LookPath("zsh"); err == nil {
		out.Reset()
		dispatch([]string{"completion", "zsh"}, &out, &errs)
		f := filepath.Join(t.TempDir(), "_hoplint")
		if err := os.WriteFile(f, out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(zsh, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("zsh -n: %v: %s", err, b)
		}
	}
}
