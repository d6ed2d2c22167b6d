package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestConfigCases runs hoplint on each testdata/config case as a user
// would. The archive's comment holds "cwd:" (directory to run in, relative
// to the archive's root), "args:", "exit:" and "stdout:"/"stderr:"
// (regular expressions the output must match).
func TestConfigCases(t *testing.T) {
	cases, _ := filepath.Glob("../../testdata/config/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no config cases")
	}
	for _, c := range cases {
		t.Run(filepath.Base(c), func(t *testing.T) {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			linttest.Extract(t, ar, dir)
			head := map[string]string{}
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				if k, v, ok := strings.Cut(line, ": "); ok {
					switch k {
					case "cwd", "args", "exit", "stdout", "stderr":
						head[k] = v
					}
				}
			}
			code, out, errs := runIn(t, filepath.Join(dir, head["cwd"]), append(strings.Fields(head["args"]), "--no-color")...)
			if want, _ := strconv.Atoi(head["exit"]); code != want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, want, out, errs)
			}
			for k, got := range map[string]string{"stdout": out, "stderr": errs} {
				if re := head[k]; re != "" && !regexp.MustCompile("(?m)"+re).MatchString(got) {
					t.Errorf("%s %q does not match %q", k, got, re)
				}
			}
			if code == 2 && strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("usage errors are one line, got %q", errs)
			}
		})
	}
}
