package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestConfigCheck: `hoplint config check [PATH]` checks .hoplint.yml
// without linting: exit 0 and "FILE: ok" when hoplint would take it, exit 2
// and one line naming file and line when not (the README's contract).
func TestConfigCheck(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".git/HEAD":           "ref: refs/heads/main\n",
		".hoplint.yml":        "rules:\n  lingering-close-off:\n    exclude: [legacy/**]\n",
		"app/nginx.conf":      "events {}\n",
		"typo/.hoplint.yml":   "rules:\n  lingering-close-off:\n    enable: false\n",
		"rule/.hoplint.yml":   "rules:\n  lingering-close-of: off\n",
		"param/.hoplint.yml":  "rules:\n  memory-limit-too-small:\n    params: {min: lots}\n",
		"ignore/.hoplint.yml": "ignore: [\"a/[\"]\n",
	})
	for _, c := range []struct {
		args         []string
		code         int
		stdout, errs string
	}{
		{[]string{"config", "check"}, 0, `^\.hoplint\.yml: ok\n$`, `^$`},
		{[]string{"config", "check", "app"}, 0, `^\.hoplint\.yml: ok\n$`, `^$`},
		{[]string{"config", "check", ".hoplint.yml"}, 0, `^\.hoplint\.yml: ok\n$`, `^$`},
		{[]string{"config", "check", "typo"}, 2, `^$`, `^hoplint: typo/\.hoplint\.yml:3: unknown key under rules\.RULE .*did you mean enabled\?\n$`},
		{[]string{"config", "check", "rule/.hoplint.yml"}, 2, `^$`, `^hoplint: rule/\.hoplint\.yml:2: unknown rule under rules: .*did you mean lingering-close-off\?\n$`},
		{[]string{"config", "check", "param"}, 2, `^$`, `^hoplint: param/\.hoplint\.yml:3: rules\.memory-limit-too-small\.params\.min: must be a Kubernetes quantity`},
		{[]string{"config", "check", "ignore"}, 2, `^$`, `^hoplint: ignore/\.hoplint\.yml:1: ignore: a pattern that is not a glob`},
		{[]string{"config", "check", "missing.yml"}, 2, `^$`, `^hoplint: missing\.yml: no such file or directory\n$`},
		{[]string{"config"}, 2, `^$`, "^hoplint: config: want `hoplint config check \\[PATH\\]`\n$"},
		{[]string{"config", "check", "a", "b"}, 2, `^$`, `one PATH at most`},
	} {
		code, out, errs := runIn(t, dir, c.args...)
		name := strings.Join(c.args, " ")
		if code != c.code {
			t.Errorf("%s: exit %d, want %d (stdout %q, stderr %q)", name, code, c.code, out, errs)
		}
		if !regexp.MustCompile(c.stdout).MatchString(out) || !regexp.MustCompile(c.errs).MatchString(errs) {
			t.Errorf("%s: stdout %q stderr %q, want %q and %q", name, out, errs, c.stdout, c.errs)
		}
	}
	// Outside any configuration: defaults, exit 0.
	empty := writeTree(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n"})
	if code, out, _ := runIn(t, empty, "config", "check"); code != 0 || !strings.Contains(out, "hoplint uses its defaults") {
		t.Errorf("no configuration: exit %d, %q", code, out)
	}
}
