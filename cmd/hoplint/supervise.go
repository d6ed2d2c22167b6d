package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

// childEnv marks the process that does the work under a supervisor.
const childEnv = "HOPLINT_SUPERVISED"

// supervise runs hoplint as a child process of itself and reports a fatal
// error of the Go runtime in the child (out of memory, a stack overflow, a
// panic in a goroutine that nothing recovered, a kill by the kernel) as an
// internal error, exit 3 with one line on stderr after the runtime's own
// output. Such errors cannot be recovered in the process that has them, and
// the runtime exits 2 for them, which CI cannot tell from a usage error.
// ok is false when the child cannot be started; the caller then runs
// in-process.
func supervise(exe string, args []string, env []string) (code int, ok bool) {
	r, w, err := os.Pipe()
	if err != nil {
		return 0, false
	}
	defer r.Close()
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(env, childEnv+"=1")
	cmd.ExtraFiles = []*os.File{w} // fd 3 in the child: see crashOutput
	if err := cmd.Start(); err != nil {
		w.Close()
		return 0, false
	}
	w.Close()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	crash, _ := io.ReadAll(io.LimitReader(r, 1<<16))
	err = cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return exitClean, true
	case !errors.As(err, &ee):
		fmt.Fprintf(os.Stderr, "hoplint: internal error (please report it at https://github.com/hoplint/hoplint/issues): %v\n", err)
		return exitInternal, true
	case len(crash) > 0:
		fmt.Fprintf(os.Stderr, "hoplint: internal error (please report it at https://github.com/hoplint/hoplint/issues): %s\n", firstLineOf(crash))
		return exitInternal, true
	}
	if st, isWait := ee.Sys().(syscall.WaitStatus); isWait && st.Signaled() {
		if st.Signal() == syscall.SIGINT || st.Signal() == syscall.SIGTERM {
			return 128 + int(st.Signal()), true
		}
		fmt.Fprintf(os.Stderr, "hoplint: internal error: killed by %s (out of memory?)\n", st.Signal())
		return exitInternal, true
	}
	return ee.ExitCode(), true
}

// crashOutput, in a supervised child, sends the runtime's report of a
// fatal error to the supervisor too, so that it can tell a crash (exit 2
// from the runtime) from a usage error (exit 2 from hoplint).
func crashOutput() {
	f := os.NewFile(3, "crash-output")
	if f == nil {
		return
	}
	_ = debug.SetCrashOutput(f, debug.CrashOptions{})
	f.Close()
}

// firstLineOf is the line of a crash report that says what happened
// ("fatal error: stack overflow", "panic: …"), else its first line.
func firstLineOf(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") {
			return l
		}
	}
	return lines[0]
}
