//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoplint/hoplint/cmd/hoplint/internal/supervisor"
)

// supervisorTestModes, called first by TestMain, makes the test binary
// play either side of the supervisor: with HOPLINT_SUPERVISOR_TEST=MODE
// it is the supervising hoplint, whose child is the test binary again
// with HOPLINT_CRASH_TEST=MODE; with HOPLINT_CRASH_TEST it is that child
// and does what MODE says.
func supervisorTestModes() {
	if mode := os.Getenv("HOPLINT_SUPERVISOR_TEST"); mode != "" {
		env := append(withoutVar(os.Environ(), "HOPLINT_SUPERVISOR_TEST"), "HOPLINT_CRASH_TEST="+mode)
		code, ok := supervise(os.Args[0], os.Args[1:], env)
		if !ok {
			os.Exit(98)
		}
		os.Exit(code)
	}
	mode := os.Getenv("HOPLINT_CRASH_TEST")
	if mode == "" {
		return
	}
	if mode == "threads" {
		// The runtime gives up before hoplint's main could set up
		// anything, as it does when the system allows too few threads:
		// it prints "fatal error: thread exhaustion" on stderr and exits 2.
		debug.SetMaxThreads(8)
		r, _, _ := os.Pipe()
		for range 32 {
			go func() {
				runtime.LockOSThread()
				var b [1]byte
				_, _ = syscall.Read(int(r.Fd()), b[:])
			}()
		}
		time.Sleep(10 * time.Second)
		os.Exit(0)
	}
	child := supervisedChild()
	if child == nil {
		os.Exit(97) // not given the supervisor's pipes
	}
	switch mode {
	case "crash": // a panic nothing can recover: the runtime exits 2
		done := make(chan bool)
		go func() { panic("boom in a goroutine") }()
		<-done
	case "bigcrash": // a crash report larger than two pipe buffers
		done := make(chan bool)
		go func() { panic("boom " + strings.Repeat("x", 300<<10)) }()
		<-done
	case "usage":
		child.Exit(exitUsage)
	case "gc": // the collector's setting and GOGC, as the child's main has them
		fmt.Printf("%d %q %q\n", debug.SetGCPercent(-1), os.Getenv("GOGC"), os.Getenv(supervisor.InitGCVar))
		child.Exit(exitClean)
	case "sleep": // a long run: says its pid, then waits
		_ = os.WriteFile(os.Getenv("HOPLINT_PID_FILE"), []byte(strconv.Itoa(os.Getpid())), 0o644)
		time.Sleep(60 * time.Second)
		child.Exit(exitClean)
	case "run": // hoplint itself, with the arguments after "--"
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		child.Exit(run(args, os.Stdout, os.Stderr))
	}
	os.Exit(96)
}

// superviseWithin runs supervise in this process with the child in mode
// and fails the test if it does not return within d (a deadlock).
func superviseWithin(t *testing.T, d time.Duration, mode string) int {
	t.Helper()
	type result struct {
		code int
		ok   bool
	}
	ch := make(chan result, 1)
	go func() {
		code, ok := supervise(os.Args[0], []string{"-test.run=^$"}, append(os.Environ(), "HOPLINT_CRASH_TEST="+mode))
		ch <- result{code, ok}
	}()
	select {
	case r := <-ch:
		if !r.ok {
			t.Fatalf("%s: the child did not start", mode)
		}
		return r.code
	case <-time.After(d):
		t.Fatalf("%s: the supervisor did not return within %s: a deadlock", mode, d)
	}
	return 0
}

// TestSupervisorLargeCrashReport: issue 25 item 2. A crash report larger
// than the supervisor keeps (and than the pipe holds) is read to its end
// while the child exits, and is still reported as exit 3.
func TestSupervisorLargeCrashReport(t *testing.T) {
	if code := superviseWithin(t, 30*time.Second, "bigcrash"); code != exitInternal {
		t.Errorf("exit %d, want %d", code, exitInternal)
	}
}

// supervisorProcess starts the test binary as a supervising hoplint whose
// child runs mode, with stdout and stderr as given.
func supervisorProcess(t *testing.T, mode string, stdout *os.File, stderr *bytes.Buffer, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "HOPLINT_SUPERVISOR_TEST="+mode), env...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func exitOf(t *testing.T, cmd *exec.Cmd, within time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() {
				return 128 + int(st.Signal())
			}
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(within):
		_ = cmd.Process.Kill()
		t.Fatalf("the supervisor did not exit within %s", within)
	}
	return 0
}

// TestSupervisorAbortBeforeMain: issue 25 item 17. A child the runtime
// ends before hoplint's main ran (no crash report, exit 2) is an internal
// error, exit 3, with the runtime's own line as its one line.
func TestSupervisorAbortBeforeMain(t *testing.T) {
	var stderr bytes.Buffer
	cmd := supervisorProcess(t, "threads", nil, &stderr)
	code := exitOf(t, cmd, 30*time.Second)
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	last := lines[len(lines)-1]
	if code != exitInternal || !strings.HasPrefix(last, "hoplint: internal error") || !strings.Contains(last, "thread exhaustion") {
		t.Errorf("exit %d, last line of stderr %q; want exit 3 and the internal error naming thread exhaustion", code, last)
	}
	if n := strings.Count(stderr.String(), "hoplint: internal error"); n != 1 {
		t.Errorf("%d internal error lines, want 1", n)
	}
}

// TestSupervisorClosedStdout: issue 25 item 15. hoplint . | head -1: the
// reader is gone before hoplint has written everything. That is no error
// of hoplint's: it exits quietly with 141, as a shell reports a command
// that SIGPIPE ended.
func TestSupervisorClosedStdout(t *testing.T) {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n")
	for i := range 3000 {
		b.WriteString("  server { listen " + strconv.Itoa(8000+i) + "; lingering_close off; }\n")
	}
	b.WriteString("}\n")
	dir := writeTree(t, map[string]string{"nginx.conf": b.String()})
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // the reader is gone
	var stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", dir)
	cmd.Env = append(os.Environ(), "HOPLINT_SUPERVISOR_TEST=run")
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if code := exitOf(t, cmd, 60*time.Second); code != exitBrokenPipe || stderr.Len() != 0 {
		t.Errorf("exit %d, stderr %q; want exit %d and nothing on stderr", code, stderr.String(), exitBrokenPipe)
	}
}

// TestClosedStdoutInProcess: issue 25 item 15, where SIGPIPE is ignored
// (a parent that ignores it passes that on) and a write fails with EPIPE
// instead of ending the process.
func TestClosedStdoutInProcess(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering})
	var stderr bytes.Buffer
	old, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(old) }()
	code := run([]string{"."}, epipeWriter{}, &stderr)
	if code != exitBrokenPipe || stderr.Len() != 0 {
		t.Errorf("exit %d, stderr %q; want exit %d and nothing on stderr", code, stderr.String(), exitBrokenPipe)
	}
}

type epipeWriter struct{}

func (epipeWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}
}

// alive reports whether pid is a process that has not exited (a zombie
// nobody reaped has).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z' && stat[i+2] != 'X'
	}
	return true
}

// TestSupervisorSignals: issue 25 item 16. When the supervising hoplint
// gets SIGHUP, SIGQUIT or SIGKILL, its child ends too: the first two are
// passed on, and the kernel kills the child of a killed supervisor.
func TestSupervisorSignals(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		want int // the supervisor's exit status
	}{{syscall.SIGHUP, 128 + 1}, {syscall.SIGQUIT, 128 + 3}, {syscall.SIGKILL, 128 + 9}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pid")
			var stderr bytes.Buffer
			cmd := supervisorProcess(t, "sleep", nil, &stderr, "HOPLINT_PID_FILE="+pidFile)
			var pid int
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for pid == 0 && ctx.Err() == nil {
				time.Sleep(20 * time.Millisecond)
				b, _ := os.ReadFile(pidFile)
				pid, _ = strconv.Atoi(string(b))
			}
			if pid == 0 {
				_ = cmd.Process.Kill()
				t.Fatal("the child never started")
			}
			defer func() { _ = syscall.Kill(pid, syscall.SIGKILL) }()
			_ = cmd.Process.Signal(c.sig)
			code := exitOf(t, cmd, 30*time.Second)
			if code != c.want {
				t.Errorf("supervisor exit %d, want %d; stderr: %s", code, c.want, firstLine(stderr.String()))
			}
			if strings.Contains(stderr.String(), "internal error") {
				t.Errorf("a signal reported as an internal error: %s", stderr.String())
			}
			deadline := time.Now().Add(10 * time.Second)
			for alive(pid) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if alive(pid) {
				t.Errorf("the child %d still runs after the supervisor got %s", pid, c.sig)
			}
		})
	}
}

// TestBaselineNotRegular: issue 25 item 13. --baseline naming a FIFO
// waited for ever for a writer; a FIFO, a device and a directory are
// refused before they are opened, with one line and exit 2.
func TestBaselineNotRegular(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering, "d/.keep": ""})
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.json"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for _, c := range []struct{ path, want string }{
		{"fifo.json", "fifo.json is a FIFO, not a regular file"},
		{"/dev/zero", "/dev/zero is a device, not a regular file"},
		{"d", "d is a directory, not a regular file"},
	} {
		code, _, errs := cliChild(t, dir, "--baseline", c.path, ".")
		if code != exitUsage || !strings.Contains(errs, c.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("--baseline %s: exit %d, stderr %q; want exit 2 and one line saying %q", c.path, code, errs, c.want)
		}
	}
}

// TestJSONMemory: issue 25 item 23. The JSON report was built whole in
// memory and indented into a second copy: 50,000 findings (one per
// location of one nginx.conf) took 577 MB at the peak, 330 MB with the
// report written one finding at a time, as it is now. Here 60,000: over
// the 512 MiB bound before, 367 MiB after.
func TestJSONMemory(t *testing.T) {
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n  server {\n    listen 80;\n")
	for i := range 50000 {
		b.WriteString("    location /a" + strconv.Itoa(i) + " { proxy_pass http://127.0.0.1:9000; }\n")
	}
	b.WriteString("  }\n}\n")
	dir := writeTree(t, map[string]string{"nginx.conf": b.String()})
	// cliChild fails the test over cliMaxRSS (512 MiB).
	_, out, _ := cliChild(t, dir, "--format", "json", "--fail-on", "never", ".")
	// The 50,000 share one cause and fold into one finding whose related
	// locations name every other one (rules/fold.go): all 50,000 are there.
	if n := strings.Count(out, `"line":`); n < 50000 {
		t.Errorf("%d locations in the JSON output, want at least 50000", n)
	}
}

// TestChildCollectsGarbage: the supervisor starts the child with the
// collector off for package initialisation only (supervisor.InitGCVar).
// By the time main runs it is on at Go's default, and gone from the
// environment a Helm worker would inherit; a GOGC the user set is kept.
func TestChildCollectsGarbage(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{nil, `100 "" ""`},
		{[]string{"GOGC=50"}, `50 "50" ""`},
		{[]string{"GOGC=off"}, `-1 "off" ""`},
		// A mark the caller set is not the supervisor's: ignored.
		{[]string{"GOGC=70", supervisor.InitGCVar + "=1"}, `70 "70" ""`},
	} {
		var stderr bytes.Buffer
		out, err := os.CreateTemp(t.TempDir(), "out")
		if err != nil {
			t.Fatal(err)
		}
		if tc.env == nil && (os.Getenv("GOGC") != "" || os.Getenv(supervisor.InitGCVar) != "") {
			continue // the test runs with a GOGC of its own
		}
		cmd := supervisorProcess(t, "gc", out, &stderr, tc.env...)
		if code := exitOf(t, cmd, 30*time.Second); code != 0 {
			t.Fatalf("%v: exit %d, stderr %s", tc.env, code, stderr.String())
		}
		got, _ := os.ReadFile(out.Name())
		if strings.TrimSpace(string(got)) != tc.want {
			t.Errorf("%v: child has %s, want %s", tc.env, got, tc.want)
		}
	}
}
