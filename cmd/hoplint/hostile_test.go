//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoplint/hoplint/render"
)

// The hostile cases of issue 13 that need the whole command (its
// configuration loading, reporters and exit status) run it in a child
// process, as internal/hostile does for the pipeline: the test binary
// re-executes itself with HOPLINT_CLI_CHILD set, under a hard memory limit
// and a deadline, and the parent reads its peak memory from the kernel.
const (
	cliHardLimit = 4 << 30
	cliMaxRSS    = 512 << 20
	cliDeadline  = 60 * time.Second
)

func TestMain(m *testing.M) {
	// Charts render in bounded workers, as main does.
	render.UseWorkers()
	supervisorTestModes()
	if dir := os.Getenv("HOPLINT_CLI_CHILD"); dir != "" {
		lim := &syscall.Rlimit{Cur: cliHardLimit, Max: cliHardLimit}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, lim); err != nil || os.Chdir(dir) != nil {
			os.Exit(99)
		}
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		os.Exit(run(args, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cliChild runs hoplint with args in dir in a child process and returns
// its exit status, stdout and stderr. A hang, a crash (exit status other
// than 0 to 3) or a peak memory over cliMaxRSS fails the test.
func cliChild(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "HOPLINT_CLI_CHILD="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("hoplint %v did not finish within %s: a hang", args, cliDeadline)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code > exitInternal {
		t.Fatalf("hoplint %v exited %d (a crash): %s", args, code, firstLine(stderr.String()))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss := ru.Maxrss << 10 // KiB on Linux
		t.Logf("hoplint %v: exit %d, peak memory %d MiB", args, code, rss>>20)
		if rss > cliMaxRSS {
			t.Errorf("peak memory %d MiB, over the bound of %d MiB", rss>>20, cliMaxRSS>>20)
		}
	}
	return code, stdout.String(), stderr.String()
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// passwdLine is how the first line of /etc/passwd starts on any Linux
// system: output holding it quotes a file outside the linted root.
const passwdLine = "root:"

// TestHostileConfig: item 13. .hoplint.yml is read only if it is a regular
// file inside the root and at most 1 MiB; refusing it is one line on stderr
// and exit 2, quoting nothing of what it points at.
func TestHostileConfig(t *testing.T) {
	for _, c := range []struct {
		name string
		mk   func(t *testing.T, p string)
		args []string
		want string
	}{
		{"symlink to /dev/zero", func(t *testing.T, p string) { mustSymlink(t, "/dev/zero", p) }, nil, "symbolic link to a file outside"},
		{"symlink to /etc/passwd", func(t *testing.T, p string) { mustSymlink(t, "/etc/passwd", p) }, nil, "symbolic link to a file outside"},
		{"--config /dev/zero", nil, []string{"--config", "/dev/zero"}, "not a regular file"},
		{"--config /etc/passwd", nil, []string{"--config", "/etc/passwd"}, ".hoplint.yml|/etc/passwd"},
		{"FIFO", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, nil, "not a regular file"},
		{"a 1 GiB sparse file", func(t *testing.T, p string) {
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(1 << 30); err != nil {
				t.Fatal(err)
			}
		}, nil, "over hoplint's limit of 1048576"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"nginx.conf": "events {}\nhttp {}\n"})
			if c.mk != nil {
				c.mk(t, filepath.Join(dir, ".hoplint.yml"))
			}
			code, out, errs := cliChild(t, dir, append(c.args, "--fail-on", "never", ".")...)
			if code != exitUsage || !matches(c.want, errs) || strings.Count(errs, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line matching %q", code, errs, c.want)
			}
			if strings.Contains(out+errs, passwdLine) {
				t.Errorf("output quotes /etc/passwd: %q", out+errs)
			}
		})
	}
}

// TestHostileSnippets: item 14. The text reporter quotes lines only from
// files hoplint read while linting: a var file outside the root is named,
// not opened; a file over the size limit is not read to quote it.
func TestHostileSnippets(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf":      "resource \"aws_lb\" \"x\" {\n  load_balancer_type = \"network\"\n  idle_timeout       = 60\n}\n",
		".hoplint.yml": "terraform:\n  var_files: [/etc/passwd, ../../../../../../etc/passwd, big.tfvars]\n",
	})
	big, err := os.Create(filepath.Join(dir, "big.tfvars"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	big.Close()
	for _, format := range []string{"text", "github", "markdown", "sarif", "json"} {
		_, out, errs := cliChild(t, dir, "--format", format, "--fail-on", "never", ".")
		if strings.Contains(out+errs, passwdLine) {
			t.Errorf("%s: output quotes /etc/passwd:\n%s", format, out)
		}
		for _, want := range []string{"has no effect", "/etc/passwd", "big.tfvars"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output does not name %s:\n%s", format, want, out)
			}
		}
		// Discovery reads big.tfvars too: one finding says it is too big.
		if n := strings.Count(out, "over hoplint's limit"); format == "json" && n != 1 {
			t.Errorf("json: big.tfvars reported %d times, want once:\n%s", n, out)
		}
	}
}

// TestHostileControls: item 20. Control characters in values and in file
// names never reach the output raw, and no line of text or github output
// starts a workflow command hoplint did not write.
func TestHostileControls(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"nginx.conf": "events {}\nhttp {\n server {\n  listen 80;\n  server_name \"x\r\n::error file=README.md,line=1::forged\x1b]8;;http://e\x07\x1b[2J\x00\";\n  location / { proxy_pass http://127.0.0.1:9000; }\n }\n}\n",
		"sub\n::error file=R.md::forged2\r/nginx.conf": "events {}\nhttp { server { listen 80; client_max_body_size 1.5m; } }\n",
		"esc\x1b[31m/httpd.conf":                       "Timeout 5s\n",
	})
	for _, format := range []string{"text", "github", "markdown"} {
		_, out, _ := cliChild(t, dir, "--format", format, "--fail-on", "never", ".")
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "::error file=README.md") || strings.HasPrefix(line, "::error file=R.md") {
				t.Errorf("%s: forged annotation line: %q", format, line)
			}
		}
		if strings.ContainsAny(out, "\x1b\r\x07\x00") {
			t.Errorf("%s: raw control character in output:\n%q", format, out)
		}
		for _, want := range []string{"forged", "forged2", "Timeout"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lost the finding naming %s:\n%s", format, want, out)
			}
		}
	}
}

// TestHostileFingerprints: item 19, beyond TestFingerprintsSurviveUnrelatedEdits:
// findings in an included file and across files keep their fingerprints
// when lines are added above them in either file, and when the root is
// named as ".", "./", "sub/.." or by its absolute path.
func TestHostileFingerprints(t *testing.T) {
	main := "Listen 80\nServerName a\nKeepAlive On\nKeepAliveTimeout 90\nInclude extra.conf\n<VirtualHost *:80>\nProxyPass / http://b/\n</VirtualHost>\n"
	dir := writeTree(t, map[string]string{"apache2.conf": main, "extra.conf": "Timeout 7x\n", "sub/.keep": ""})
	// Each finding is keyed by rule, file and its rank among the findings
	// of that rule in that file: the same finding must keep its own
	// fingerprint, not merely some fingerprint of the set.
	lintFP := func(arg string) map[string]string {
		_, out, _ := cliChild(t, dir, "--format", "json", "--fail-on", "never", arg)
		var rep jsonOut
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		fps, seen, rank := map[string]string{}, map[string]string{}, map[string]int{}
		for _, f := range rep.Findings {
			key := f.Rule + " " + f.Location.File
			rank[key]++
			key += fmt.Sprintf(" #%d", rank[key])
			if other, dup := seen[f.Fingerprint]; dup {
				t.Errorf("%s: %s and %s share fingerprint %s, so a baseline cannot tell them apart", arg, other, key, f.Fingerprint)
			}
			seen[f.Fingerprint] = key
			fps[key] = f.Fingerprint
		}
		return fps
	}
	before := lintFP(".")
	files := map[string]bool{}
	for k := range before {
		files[strings.Fields(k)[1]] = true
	}
	if !files["apache2.conf"] || !files["extra.conf"] {
		t.Fatalf("want findings in both files, got %v", before)
	}
	abs, _ := filepath.Abs(dir)
	for _, arg := range []string{"./", "sub/..", abs} {
		if got := lintFP(arg); !maps.Equal(before, got) {
			t.Errorf("linted as %q: fingerprints %v, as \".\": %v", arg, got, before)
		}
	}
	for name, body := range map[string]string{"apache2.conf": "# a\n\n# b\n" + main, "extra.conf": "# x\n\n" + "Timeout 7x\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := lintFP("."); !maps.Equal(before, got) {
		t.Errorf("after comments were added above: fingerprints %v, before: %v", got, before)
	}
}

func matches(re, s string) bool {
	for _, alt := range strings.Split(re, "|") {
		if strings.Contains(s, alt) {
			return true
		}
	}
	return false
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
}

// TestSupervisedCrashExit3: item 22. A fatal error of the Go runtime in the
// supervised child (here an unrecovered panic in a goroutine; out of memory
// and stack overflows go the same way) exits 3, not the runtime's 2; the
// child's own exit 2 stays 2.
func TestSupervisedCrashExit3(t *testing.T) {
	for _, c := range []struct {
		mode string
		want int
	}{{"crash", exitInternal}, {"usage", exitUsage}} {
		code, ok := supervise(os.Args[0], []string{"-test.run=^$"}, append(os.Environ(), "HOPLINT_CRASH_TEST="+c.mode))
		if !ok || code != c.want {
			t.Errorf("%s: exit %d (started: %v), want %d", c.mode, code, ok, c.want)
		}
	}
}
