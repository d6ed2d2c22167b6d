//go:build linux

// Package hostile_test lints generated hostile inputs, each in a child
// process with a hard memory limit and a deadline, and checks that every
// one ends with the expected finding instead of a crash, a hang or
// gigabytes of memory.
//
// The test binary re-executes itself: with HOPLINT_HOSTILE_DIR set it is a
// child that lints that directory (topology.Load and rules.Run, what the
// CLI runs) under RLIMIT_AS and prints the findings as JSON. The parent
// reads the child's peak resident memory from the kernel (rusage), so a
// case that allocates too much fails even when it stays under the hard
// limit, and a case that hangs is killed at the deadline and fails.
package hostile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoplint/hoplint/render"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

const (
	// hardLimit is the child's address-space limit: a runaway case dies
	// here instead of taking the machine with it. Go reserves address
	// space beyond what it uses, so this is looser than maxRSS.
	hardLimit = 4 << 30
	// maxRSS is the peak resident memory a case may reach ("well under
	// 1 GiB").
	maxRSS = 512 << 20
	// deadline stops a hanging case. It is a guard, not a speed check:
	// every case takes well under a second on an idle machine, the Helm
	// cases up to 30 s of CPU (three charts at their 10 s budget). The
	// guard scales with the machine's load (scaledDeadline), so a busy CI
	// runner does not turn a bounded case into a false hang.
	deadline = 60 * time.Second
)

// scaledDeadline is deadline stretched by how many runnable tasks share
// each core (the 1-minute load average over the core count, from
// /proc/loadavg), at most tenfold: a case's CPU budget takes that much
// longer in wall time when it gets a fraction of a core.
func scaledDeadline() time.Duration {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return deadline
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return deadline
	}
	load, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return deadline
	}
	f := min(max(load/float64(runtime.NumCPU()), 1), 10)
	return time.Duration(f * float64(deadline))
}

type finding struct {
	Rule    string `json:"rule"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func TestMain(m *testing.M) {
	// Charts render in a bounded worker, as in the CLI.
	render.UseWorkers()
	if dir := os.Getenv("HOPLINT_HOSTILE_DIR"); dir != "" {
		os.Exit(child(dir))
	}
	os.Exit(m.Run())
}

// child lints dir (reported relative to its parent) and prints the
// findings.
func child(dir string) int {
	lim := &syscall.Rlimit{Cur: hardLimit, Max: hardLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, lim); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		return 3
	}
	g, err := topology.Load([]string{filepath.Base(dir)}, nil, filepath.Dir(dir))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var out []finding
	for _, f := range rules.Run(g, nil, rules.Options{}) {
		out = append(out, finding{Rule: f.Rule, File: f.Range.File, Line: f.Range.Start.Line, Message: f.Message})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		return 3
	}
	return 0
}

// want is one finding a case must produce: rule, file (relative to the
// case's directory, so "d/main.tf"; "" for any) and a regular expression
// the message must match. Line 0 matches any line.
type want struct {
	rule, file string
	line       int
	msg        string
}

// noFindings, as a case's maxFindings, wants no finding at all.
const noFindings = -1

// hostileCase is one generated input and what linting it must give.
type hostileCase struct {
	name string
	// gen writes the input into d.
	gen  func(t *testing.T, d string)
	want []want
	// maxFindings bounds the number of findings (0: no bound; noFindings:
	// none at all).
	maxFindings int
	// rss overrides maxRSS for the case (0: maxRSS).
	rss int64
	// skip, when set, says why the case is known to fail and is skipped.
	skip string
}

// run generates the case, lints it in a child and checks the result.
func run(t *testing.T, c hostileCase) {
	t.Helper()
	if c.skip != "" {
		t.Skip(c.skip)
	}
	base := t.TempDir()
	d := filepath.Join(base, "d")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	c.gen(t, d)
	limit := scaledDeadline()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HOPLINT_HOSTILE_DIR="+d)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("did not finish within %s (%s scaled by the machine's load): a hang", limit, deadline)
	}
	if err != nil {
		t.Fatalf("child failed (%v): %s", err, firstLines(stderr.String(), 8))
	}
	memLimit := c.rss
	if memLimit == 0 {
		memLimit = maxRSS
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss := ru.Maxrss << 10 // Maxrss is in KiB on Linux
		// Logged, not checked (a test asserts no time): seen with -v.
		t.Logf("%s, peak memory %d MiB", elapsed.Round(time.Millisecond), rss>>20)
		if rss > memLimit {
			t.Errorf("peak memory %d MiB, over the bound of %d MiB", rss>>20, memLimit>>20)
		}
	}
	var got []finding
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("bad output: %v: %s", err, firstLines(stdout.String(), 4))
	}
	t.Logf("%d findings:\n%s", len(got), describe(got))
	for _, w := range c.want {
		re := regexp.MustCompile(w.msg)
		found := false
		for _, f := range got {
			if f.Rule == w.rule && (w.file == "" || f.File == w.file) && (w.line == 0 || f.Line == w.line) && re.MatchString(f.Message) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no %s finding on %s:%d matching %q; got:\n%s", w.rule, w.file, w.line, w.msg, describe(got))
		}
	}
	if c.maxFindings == noFindings && len(got) > 0 {
		t.Errorf("%d findings, want none:\n%s", len(got), describe(got))
	}
	if c.maxFindings > 0 && len(got) > c.maxFindings {
		t.Errorf("%d findings, want at most %d:\n%s", len(got), c.maxFindings, describe(got[:c.maxFindings]))
	}
}

func describe(fs []finding) string {
	var b strings.Builder
	for i, f := range fs {
		if i == 20 {
			fmt.Fprintf(&b, "  … and %d more\n", len(fs)-20)
			break
		}
		msg := firstLines(f.Message, 1)
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		fmt.Fprintf(&b, "  %s %s:%d %s\n", f.Rule, f.File, f.Line, msg)
	}
	return b.String()
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// write creates d/name (and its directories) with content.
func write(t *testing.T, d, name, content string) {
	t.Helper()
	p := filepath.Join(d, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkfifo(t *testing.T, d, name string) {
	t.Helper()
	p := filepath.Join(d, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		// Only a file system without symlinks skips the case; any other
		// error is the case's own bug (it once skipped silently for a
		// missing directory).
		if errors.Is(err, os.ErrPermission) || errors.Is(err, errors.ErrUnsupported) {
			t.Skip("no symlinks here:", err)
		}
		t.Fatal(err)
	}
}
