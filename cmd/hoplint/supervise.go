package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"
)

// childEnv marks the process that does the work under a supervisor. Its
// value names the two pipes the supervisor hands the child (their inode
// numbers), so that the variable, left in an environment by accident or
// set by someone else, does nothing: a process whose descriptors 3 and 4
// are not those pipes supervises itself as usual.
const childEnv = "HOPLINT_SUPERVISED"

// exitBrokenPipe is the status of a run whose standard output was closed
// before it finished (hoplint . | head -1): 128+SIGPIPE, what a shell
// shows for a command the kernel ended with SIGPIPE, as it ends cat or
// grep there. It is not an error of hoplint's, so nothing is printed.
const exitBrokenPipe = 128 + 13

// crashHead is how much of a crash report the supervisor keeps: the line
// it quotes comes first. The rest is read and dropped, never left in the
// pipe (a child blocked writing it would never exit).
const crashHead = 64 << 10

// drainGrace is how long the supervisor waits, once the child has exited,
// for the ends of its pipes: a process the child started and left behind
// may hold them open, and must not hold the supervisor too.
const drainGrace = 2 * time.Second

// forwarded are the signals the supervisor passes on to the child rather
// than dying of them and leaving the child without a parent. A SIGKILL
// cannot be caught: the child then gets one from the kernel (dieWithParent).
var forwarded = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// supervise runs hoplint as a child process of itself and reports a fatal
// error of the Go runtime in the child (out of memory, a stack overflow, a
// panic in a goroutine that nothing recovered, a kill by the kernel, an
// abort before main for lack of threads) as an internal error, exit 3 with
// one line on stderr after the runtime's own output. Such errors cannot be
// recovered in the process that has them, and the runtime exits 2 for
// them, which CI cannot tell from a usage error. The child says which
// status it chose on a pipe of its own (childLink.exit): an exit the child
// did not announce is the runtime's.
// ok is false when the child cannot be started; the caller then runs
// in-process.
func supervise(exe string, args []string, env []string) (code int, ok bool) {
	var p [3][2]*os.File // crash report, announced status, stderr: {read, write}
	for i := range p {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll(p[:])
			return 0, false
		}
		p[i] = [2]*os.File{r, w}
	}
	defer closeAll(p[:])
	crashR, crashW := p[0][0], p[0][1]
	statusR, statusW := p[1][0], p[1][1]
	errR, errW := p[2][0], p[2][1]

	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, errW
	cmd.Env = append(withoutVar(env, childEnv), childEnv+"="+pipeID(crashW)+","+pipeID(statusW))
	cmd.ExtraFiles = []*os.File{crashW, statusW} // fds 3 and 4: see supervisedChild
	dieWithParent(cmd)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return 0, false
	}
	for i := range p {
		p[i][1].Close()
	}
	var mu sync.Mutex
	var got os.Signal // the last signal passed on
	go func() {
		for s := range sigs {
			mu.Lock()
			got = s
			mu.Unlock()
			_ = cmd.Process.Signal(s)
		}
	}()

	// Every pipe is read to its end while the child runs: a child that
	// writes more than a pipe holds must never wait for the supervisor.
	var crash, status headWriter
	crash.max, status.max = crashHead, 16
	summary := &summaryWriter{}
	var wg sync.WaitGroup
	drain := func(r io.Reader, w io.Writer) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = io.Copy(w, r)
		}()
	}
	drain(crashR, &crash)
	drain(statusR, &status)
	drain(errR, io.MultiWriter(summary, relay{os.Stderr}))
	err := cmd.Wait()
	drained := make(chan struct{})
	go func() { wg.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(drainGrace):
	}
	mu.Lock()
	sig := got
	mu.Unlock()
	return verdict(err, crash.bytes(), status.bytes(), summary.line(), sig), true
}

// verdict turns how the child ended into hoplint's exit status, writing
// the one line of an internal error to stderr.
func verdict(err error, crash, status []byte, summary string, sig os.Signal) int {
	var ee *exec.ExitError
	if err == nil {
		return exitClean
	}
	if !errors.As(err, &ee) {
		return internalError(err.Error())
	}
	if st, isWait := ee.Sys().(syscall.WaitStatus); isWait && st.Signaled() {
		switch s := st.Signal(); {
		case s == syscall.SIGPIPE:
			return exitBrokenPipe
		case isForwarded(s) || sig != nil:
			return 128 + int(s)
		default:
			return internalError(fmt.Sprintf("killed by %s (out of memory?)", s))
		}
	}
	code := ee.ExitCode()
	switch {
	case len(status) == 1 && int(status[0]) == code && len(crash) == 0:
		return code // hoplint's own status
	case sig != nil:
		// A signal passed on ended the child (the Go runtime exits 2 on
		// SIGQUIT, after its goroutine dump): no bug of hoplint's.
		if s, ok := sig.(syscall.Signal); ok {
			return 128 + int(s)
		}
		return code
	case len(crash) > 0:
		return internalError(firstLineOf(crash))
	case summary != "":
		return internalError(summary)
	}
	return internalError(fmt.Sprintf("the process doing the work exited %d without a result (see the lines above)", code))
}

func internalError(what string) int {
	fmt.Fprintf(os.Stderr, "hoplint: internal error (please report it at https://github.com/hoplint/hoplint/issues): %s\n", what)
	return exitInternal
}

func isForwarded(s syscall.Signal) bool {
	for _, f := range forwarded {
		if f == s {
			return true
		}
	}
	return false
}

func closeAll(p [][2]*os.File) {
	for _, rw := range p {
		for _, f := range rw {
			if f != nil {
				f.Close()
			}
		}
	}
}

// withoutVar is env without any setting of name.
func withoutVar(env []string, name string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// childLink is a supervised child's side of the supervisor's pipes.
type childLink struct{ status *os.File }

// supervisedChild returns the link to the supervisor when this process is
// the child of one: childEnv names exactly the pipes on descriptors 3 and
// 4. It sends the runtime's report of a fatal error to the supervisor too
// (descriptor 3), and keeps descriptor 4, the one the status goes to, from
// processes this one starts (a Helm worker), which would otherwise hold it
// open past this process's end.
func supervisedChild() *childLink {
	want, ok := os.LookupEnv(childEnv)
	if !ok {
		return nil
	}
	crashID, statusID, _ := strings.Cut(want, ",")
	crash, status := os.NewFile(3, "crash-output"), os.NewFile(4, "status")
	if crash == nil || status == nil || crashID == "?" || pipeID(crash) != crashID || pipeID(status) != statusID {
		return nil
	}
	syscall.CloseOnExec(4)
	// SetCrashOutput keeps a duplicate of its own, closed on exec.
	_ = debug.SetCrashOutput(crash, debug.CrashOptions{})
	crash.Close()
	return &childLink{status: status}
}

// exit tells the supervisor the status hoplint chose, then exits with it.
func (c *childLink) exit(code int) {
	_, _ = c.status.Write([]byte{byte(code)})
	os.Exit(code)
}

// firstLineOf is the line of a crash report that says what happened
// ("fatal error: stack overflow", "panic: …"), else its first line.
func firstLineOf(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") {
			return clip(l)
		}
	}
	return clip(lines[0])
}

// clip keeps the one line of an internal error short: a panic's value may
// be as long as a config file.
func clip(l string) string {
	const max = 300
	if len(l) > max {
		return l[:max] + "…"
	}
	return l
}

// headWriter keeps the first max bytes written to it and drops the rest.
type headWriter struct {
	max int
	buf []byte
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (h *headWriter) bytes() []byte { return h.buf }

// summaryWriter watches the child's stderr for the runtime's line saying
// why it died ("fatal error: thread exhaustion"), for a child that died
// before it could send a crash report (before main). Only a line's head
// is kept, and only such a line.
type summaryWriter struct {
	cur   []byte // the head of the current line
	first string // the first line that says what happened
}

func (s *summaryWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		part := p
		if i >= 0 {
			part = p[:i]
		}
		if room := 300 - len(s.cur); room > 0 {
			s.cur = append(s.cur, part[:min(room, len(part))]...)
		}
		if i < 0 {
			break
		}
		if l := string(s.cur); s.first == "" && (strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "runtime/cgo:")) {
			s.first = l
		}
		s.cur = s.cur[:0]
		p = p[i+1:]
	}
	return n, nil
}

func (s *summaryWriter) line() string { return clip(s.first) }

// relay copies the child's stderr to the supervisor's and ignores a
// failure to write there: the child's pipe is drained whatever happens.
type relay struct{ w io.Writer }

func (r relay) Write(p []byte) (int, error) {
	_, _ = r.w.Write(p)
	return len(p), nil
}
