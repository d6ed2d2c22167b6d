package supervisor

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Env marks the process that does the work under a supervisor. Its
// value names the two pipes the supervisor hands the child (their inode
// numbers), so that the variable, left in an environment by accident or
// set by someone else, does nothing: a process whose descriptors 3 and 4
// are not those pipes supervises itself as usual.
const Env = "HOPLINT_SUPERVISED"

// Exit statuses the supervisor chooses; cmd/hoplint documents them.
const (
	exitClean = 0
	// ExitInternal is an internal error: a bug in hoplint.
	ExitInternal = 3
)

// ExitBrokenPipe is the status of a run whose standard output was closed
// before it finished (hoplint . | head -1): 128+SIGPIPE, what a shell
// shows for a command the kernel ended with SIGPIPE, as it ends cat or
// grep there. It is not an error of hoplint's, so nothing is printed.
const ExitBrokenPipe = 128 + 13

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

// Run runs hoplint as a child process of itself and reports a fatal
// error of the Go runtime in the child (out of memory, a stack overflow, a
// panic in a goroutine that nothing recovered, a kill by the kernel, an
// abort before main for lack of threads) as an internal error, exit 3 with
// one line on stderr after the runtime's own output. Such errors cannot be
// recovered in the process that has them, and the runtime exits 2 for
// them, which CI cannot tell from a usage error. The child says which
// status it chose on a pipe of its own (Link.Exit): an exit the child
// did not announce is the runtime's.
// ok is false when the child cannot be started; the caller then runs
// in-process.
func Run(exe string, args []string, env []string) (code int, ok bool) {
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

	// os.StartProcess, not os/exec: os/exec imports path/filepath, which
	// Go initialises only after Helm's and client-go's packages, and this
	// package would wait for it (early.go).
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	proc, err := os.StartProcess(exe, append([]string{exe}, args...), &os.ProcAttr{
		Env: childEnv(env, pipeID(crashW)+","+pipeID(statusW)),
		// Descriptors 3 and 4 are the crash and status pipes: see detect.
		Files: []*os.File{os.Stdin, os.Stdout, errW, crashW, statusW},
		Sys:   childAttr(),
	})
	if err != nil {
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
			_ = proc.Signal(s)
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
	state, err := proc.Wait()
	drained := make(chan struct{})
	go func() { wg.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(drainGrace):
	}
	mu.Lock()
	sig := got
	mu.Unlock()
	return verdict(state, err, crash.bytes(), status.bytes(), summary.line(), sig), true
}

// verdict turns how the child ended into hoplint's exit status, writing
// the one line of an internal error to stderr.
// err is the error of waiting for the child, if any.
func verdict(state *os.ProcessState, err error, crash, status []byte, summary string, sig os.Signal) int {
	if err != nil {
		return internalError(err.Error())
	}
	if state.Success() {
		return exitClean
	}
	if st, isWait := state.Sys().(syscall.WaitStatus); isWait && st.Signaled() {
		switch s := st.Signal(); {
		case s == syscall.SIGPIPE:
			return ExitBrokenPipe
		case isForwarded(s) || sig != nil:
			return 128 + int(s)
		default:
			return internalError(fmt.Sprintf("killed by %s (out of memory?)", s))
		}
	}
	code := state.ExitCode()
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
	return ExitInternal
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

// InitGCVar marks a child started with GOGC=off, for the Go runtime's
// start and the package initialisation before main only: the child's main
// turns the collector back on at its default (100) and removes both
// variables, so that nothing it starts (a Helm worker) inherits them.
// Package initialisation allocates about 8 MB (JSON-schema compilers,
// client-go's scheme, crossplane's tables), which the default heap goal
// of 4 MB collected on the way; a small run spent about a tenth of its CPU
// on that. A GOGC the user set is left as it is, and no mark is set.
const InitGCVar = "HOPLINT_INIT_GC_OFF"

// childEnv is the child's environment: the caller's, the link to this
// supervisor (pipes), and no collection during initialisation unless the
// caller set GOGC (InitGCVar).
func childEnv(env []string, pipes string) []string {
	out := append(WithoutVar(WithoutVar(env, Env), InitGCVar), Env+"="+pipes)
	for _, kv := range env {
		if strings.HasPrefix(kv, "GOGC=") {
			return out
		}
	}
	return append(out, "GOGC=off", InitGCVar+"=1")
}

// WithoutVar is env without any setting of name.
func WithoutVar(env []string, name string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// Link is a supervised child's side of the supervisor's pipes.
type Link struct {
	crash, status *os.File
}

// detect reports whether this process is the child of a supervisor: Env
// names exactly the pipes on descriptors 3 and 4.
func detect() bool {
	want, ok := os.LookupEnv(Env)
	if !ok {
		return false
	}
	crashID, statusID, _ := strings.Cut(want, ",")
	return crashID != "?" && fdID(3) == crashID && fdID(4) == statusID
}

// link takes descriptors 3 and 4 of a supervised child, and keeps 4, the
// one the status goes to, from processes this one starts (a Helm worker),
// which would otherwise hold it open past this process's end.
func link() *Link {
	syscall.CloseOnExec(4)
	return &Link{crash: os.NewFile(3, "crash-output"), status: os.NewFile(4, "status")}
}

// TakeCrashOutput returns the pipe for the runtime's report of a fatal
// error, once: the caller passes it to debug.SetCrashOutput, which keeps
// a duplicate of its own (closed on exec), and closes it. This package
// cannot import runtime/debug (early.go).
func (c *Link) TakeCrashOutput() *os.File {
	f := c.crash
	c.crash = nil
	return f
}

// Exit tells the supervisor the status hoplint chose, then exits with it.
func (c *Link) Exit(code int) {
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
