package render

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"helm.sh/helm/v3/pkg/chart/loader"
)

// Helm's template engine has no budget: a helper that includes the next
// one twice, forty levels deep, renders for ever and a value that passes
// itself to tpl grows until the process dies, and neither can be stopped
// from inside the process that runs it (a goroutine cannot be killed, and
// running out of memory is fatal). So charts render in a worker: a child
// process of this same executable that gets the chart's bytes and values
// on stdin, renders, and answers on stdout. The worker reads no file; the
// parent kills it when a chart takes too long, and the worker exits on its
// own when its heap grows past a bound. One worker serves the charts of a
// Render (a run), is started again after a chart that killed it, and is
// waited for when the Render ends.
const (
	// WorkerArg, followed by a one-time token, is the argument a Helm
	// worker is started with (cmd/hoplint's supervisor leaves such a
	// process alone). The token must also come on workerFD, a
	// pipe only the parent can have opened: an environment variable or
	// an argument left over in a shell never makes hoplint a worker
	// (HOPLINT_HELM_WORKER=1 once made every run exit 0 unlinted).
	WorkerArg = "--hoplint-internal-helm-worker"
	// workerFD is the descriptor of that pipe in the worker (ExtraFiles
	// start at 3).
	workerFD = 3
	// workerStopWait bounds the wait for a worker to exit once its input
	// is closed at the end of a run; then it is killed.
	workerStopWait = 2 * time.Second
	// helmTimeout bounds one chart's render. Real charts, dependencies
	// and all, render in well under a second. Where the worker's CPU
	// time can be read (Linux), the bound is on that, so that a busy
	// machine (a CI runner running tests in parallel) does not cut a
	// chart that a quiet one renders in time; helmWallTimeout then still
	// bounds a worker that waits without computing.
	helmTimeout     = 10 * time.Second
	helmWallTimeout = 6 * helmTimeout
	// cpuPoll is how often the worker's CPU time is read.
	cpuPoll = 100 * time.Millisecond
	// helmMaxHeap bounds the memory the worker's Go heap holds while it
	// renders. The rendered text is capped at parsers.MaxFileSize, so a
	// real chart stays far below (the largest chart of the corpus peaks
	// at 12 MiB). It is low because a string that doubles can overshoot
	// it by its own size between two samples.
	helmMaxHeap = 256 << 20
	// exitOverBudget is the worker's exit status when its heap passed
	// helmMaxHeap.
	exitOverBudget = 86
	// exitOverTime is its exit status when one chart took longer than
	// helmWallTimeout plus helmTimeout (its parent should have killed it by then).
	exitOverTime = 87
	// exitOrphaned is its exit status when its parent is gone.
	exitOrphaned = 88
)

var workers struct {
	sync.Mutex
	enabled bool // this executable answers as a worker
	w       *helmWorker
}

// maxOverBudget is how many charts of one Render may run out of time or
// memory before the rest are not rendered, so that a tree of a hundred
// such charts costs 30 s, not a quarter of an hour (twenty charts that
// each filled the worker's memory once cost 78 s). A real chart never
// runs out.
const maxOverBudget = 3

// UseWorkers makes the process a Helm worker when it was started as one
// (it then serves requests and exits), and otherwise lets this process
// render charts in workers of itself. Call it first in main, and in the
// TestMain of tests that lint untrusted charts. Once it is called, charts
// are never rendered in this process: a worker that cannot start leaves
// the chart unrendered, with a finding that says why. Without it (tests of
// other packages), charts render in process, with no bound on time or
// memory.
func UseWorkers() {
	if len(os.Args) == 3 && os.Args[1] == WorkerArg && workerToken(os.NewFile(workerFD, "helm-worker-token"), os.Args[2]) {
		os.Exit(serveWorker(os.Stdin, os.Stdout))
	}
	workers.Lock()
	workers.enabled = true
	workers.Unlock()
}

// workerToken says whether f is a pipe that carries token and nothing
// else: what a parent that started this process as a worker wrote there.
func workerToken(f *os.File, token string) bool {
	if f == nil || len(token) != 32 {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		return false
	}
	got, err := io.ReadAll(io.LimitReader(f, 64))
	return err == nil && string(got) == token
}

// helmRequest is one chart to render: its files, as the loader reads them,
// and the merged values.
type helmRequest struct {
	Files  []*loader.BufferedFile `json:"files"`
	Values map[string]any         `json:"values"`
}

// renderedTemplate is a template's output, test hooks removed.
type renderedTemplate struct {
	Name string `json:"name"`
	Body string `json:"body"`
}

// helmResult is what loading and rendering a chart gave: the templates
// hoplint reads, in name order, or the template at which the output grew
// past parsers.MaxFileSize, or why Helm could not load or render it.
type helmResult struct {
	Name    string       `json:"name"` // the chart's name
	LoadErr string       `json:"loadErr,omitempty"`
	Missing []missingDep `json:"missing,omitempty"` // dependencies not in charts/
	// Dropped are templates left out because they fail without a
	// missing dependency.
	Dropped   []droppedTemplate  `json:"dropped,omitempty"`
	Templates []renderedTemplate `json:"templates,omitempty"`
	Over      string             `json:"over,omitempty"`
	Err       string             `json:"err,omitempty"`
	// NotRun says why the chart was not rendered at all.
	NotRun string `json:"notRun,omitempty"`
}

// renderRequest renders a chart where it is safe to: in a worker when the
// executable is one, else in process. overBudget counts the charts of this
// Render that ran out of time or memory.
func renderRequest(req *helmRequest, overBudget *int) helmResult {
	workers.Lock()
	defer workers.Unlock()
	if !workers.enabled {
		return renderInProcess(req)
	}
	if *overBudget >= maxOverBudget {
		return helmResult{NotRun: fmt.Sprintf("%d charts of this run already took longer than %s or more than %d MiB each, and hoplint renders no more after that", *overBudget, helmTimeout, helmMaxHeap>>20)}
	}
	if workers.w == nil {
		w, err := startWorker()
		if err != nil {
			// Never here instead: a chart rendered in this process has
			// no bound on time or memory.
			return helmResult{NotRun: "hoplint could not start its Helm renderer (" + err.Error() + "), and renders charts only there, where time and memory are bounded"}
		}
		workers.w = w
	}
	msg, err := json.Marshal(req)
	if err != nil {
		// Not the worker's fault: it stays.
		return helmResult{Err: "hoplint cannot pass these values to Helm: " + err.Error()}
	}
	res, err := workers.w.render(append(msg, '\n'))
	if err != nil {
		if errors.Is(err, errTimeout) || errors.Is(err, errOverMemory) {
			*overBudget++
		}
		workers.w.stop()
		workers.w = nil
		return helmResult{Err: err.Error()}
	}
	return res
}

// renderInProcess loads and renders the chart and keeps what hoplint
// reads. The worker runs this too, so both give the same result.
func renderInProcess(req *helmRequest) helmResult {
	ch, err := loadChart(req.Files)
	if err != nil {
		return helmResult{LoadErr: err.Error()}
	}
	// A dependency missing from charts/ makes helm template refuse the
	// chart; hoplint renders it without the dependency instead, as Helm
	// does when values disable it, and says so per dependency.
	missing, reqs := missingDependencies(ch)
	vals := withEmptyValues(ch, req.Values, missing)
	out, err := renderWith(ch, vals)
	for i, d := range reqs {
		// Helm sets Enabled from the dependency's condition and tags
		// while it renders (all true first).
		missing[i].Disabled = !d.Enabled
	}
	// A template that fails only for want of the missing dependency (its
	// helpers, its values) is left out and the rest rendered again, at
	// most once per template: Helm stops at the first failing template.
	var dropped []droppedTemplate
	// So is a template that reads values nobody set (values given at
	// install time with -f, helm_unset.go).
	// The bound is the chart's templates as loaded: the chart is reloaded
	// with the dropped ones removed, so len(ch.Templates) shrinks.
	limit := len(ch.Templates)
	for err != nil && len(dropped) < limit {
		name := failedTemplate(err.Error())
		cause := missingCause(err.Error(), missing)
		if cause != "" {
			cause += " (see the note on Chart.yaml)"
		} else {
			cause = unsetValuesCause(err.Error(), ch, req.Values)
		}
		if name == "" || cause == "" {
			break
		}
		dropped = append(dropped, droppedTemplate{Name: name, Err: err.Error(), Cause: cause})
		// Rendering changed the chart (dependencies processed, aliases
		// applied): start again from its files.
		if ch, err = loadChart(req.Files); err != nil {
			break
		}
		for _, d := range dropped {
			if !removeTemplate(ch, d.Name) {
				err = fmt.Errorf("hoplint could not leave out template %s", d.Name)
			}
		}
		if err == nil {
			out, err = renderWith(ch, withEmptyValues(ch, req.Values, missing))
		}
	}
	if err != nil {
		return helmResult{Name: ch.Name(), Missing: missing, Dropped: dropped, Err: err.Error()}
	}
	res := selectTemplates(out)
	res.Name = ch.Name()
	res.Missing = missing
	res.Dropped = dropped
	return res
}

// StopWorkers ends the Helm worker, if one runs: its input is closed, it
// is given workerStopWait to exit and then killed, and it is waited for,
// so that it never outlives the run (its CPU time is the run's, and a
// caller waiting for the run's process group finds nothing left). Render
// calls it when its charts are done; calling it again is harmless.
func StopWorkers() {
	workers.Lock()
	defer workers.Unlock()
	if workers.w != nil {
		workers.w.finish()
		workers.w = nil
	}
}

// errTimeout is a chart that ran out of time.
var errTimeout = fmt.Errorf("rendering took longer than %s, hoplint's limit for one chart (a template that loops or includes without end?)", helmTimeout)

// errOverMemory is a chart that ran out of memory.
var errOverMemory = fmt.Errorf("rendering needed more than %d MiB, hoplint's limit for one chart (a template or value that grows without end, such as tpl of itself?)", helmMaxHeap>>20)

type helmWorker struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	outFile *os.File
	out     *json.Decoder
	stderr  *headBuffer
	done    chan struct{} // closed when the process has exited
}

// startWorker starts this executable as a worker: through /proc/self/exe
// where there is one, so that a binary replaced or deleted during the run
// still starts (the path would name another program, or nothing), else
// through the path the executable was started from.
func startWorker() (*helmWorker, error) {
	exe := "/proc/self/exe"
	if _, err := os.Stat(exe); err != nil {
		if exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	token := hex.EncodeToString(raw[:])
	tr, tw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	// The token fits the pipe's buffer: written before the worker starts.
	_, err = tw.WriteString(token)
	tw.Close()
	if err != nil {
		tr.Close()
		return nil, err
	}
	cmd := exec.Command(exe, WorkerArg, token)
	cmd.ExtraFiles = []*os.File{tr} // workerFD
	setWorkerAttr(cmd)
	in, err := cmd.StdinPipe()
	if err != nil {
		tr.Close()
		return nil, err
	}
	// Not StdoutPipe: Wait closes that as soon as the worker exits, and
	// an answer written just before the exit would be lost unread.
	out, pw, err := os.Pipe()
	if err != nil {
		tr.Close()
		return nil, err
	}
	cmd.Stdout = pw
	w := &helmWorker{cmd: cmd, in: in, outFile: out, out: json.NewDecoder(bufio.NewReader(out)), stderr: &headBuffer{max: 4096}, done: make(chan struct{})}
	cmd.Stderr = w.stderr
	err = cmd.Start()
	pw.Close()
	tr.Close()
	if err != nil {
		out.Close()
		return nil, err
	}
	go func() {
		_ = cmd.Wait()
		close(w.done)
	}()
	return w, nil
}

// render sends one chart's request and waits for the answer, at most
// helmTimeout.
// An error means the worker is gone (killed here or dead on its own).
func (w *helmWorker) render(req []byte) (helmResult, error) {
	type answer struct {
		res helmResult
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		var a answer
		if _, err := w.in.Write(req); err != nil {
			a.err = err
		} else {
			a.err = w.out.Decode(&a.res)
		}
		ch <- a
	}()
	expired := w.budget()
	defer expired.stop()
	select {
	case a := <-ch:
		if a.err == nil {
			return a.res, nil
		}
		// The worker closed its end or wrote something that is not an
		// answer: it has exited, or is made to.
		select {
		case <-w.done:
		case <-time.After(time.Second):
			w.stop()
		}
		return helmResult{}, w.death()
	case <-expired.c:
		w.stop()
		return helmResult{}, fmt.Errorf("helm stopped on this chart: %w", errTimeout)
	}
}

// chartBudget fires c when one chart has used its time: helmTimeout of
// the worker's CPU time where that can be read, else of wall time.
type chartBudget struct {
	c    chan struct{}
	done chan struct{}
}

func (b chartBudget) stop() { close(b.done) }

func (w *helmWorker) budget() chartBudget {
	b := chartBudget{c: make(chan struct{}), done: make(chan struct{})}
	pid := 0
	if w.cmd.Process != nil {
		pid = w.cmd.Process.Pid
	}
	start, cpuOK := processCPU(pid)
	go func() {
		wall := time.NewTimer(helmTimeout)
		if cpuOK {
			wall.Reset(helmWallTimeout)
		}
		defer wall.Stop()
		tick := time.NewTicker(cpuPoll)
		defer tick.Stop()
		for {
			select {
			case <-b.done:
				return
			case <-wall.C:
				close(b.c)
				return
			case <-tick.C:
				if !cpuOK {
					continue
				}
				if now, ok := processCPU(pid); ok && now-start >= helmTimeout {
					close(b.c)
					return
				}
			}
		}
	}()
	return b
}

// death says why the worker exited.
func (w *helmWorker) death() error {
	if st := w.cmd.ProcessState; st != nil && st.ExitCode() == exitOverBudget {
		return fmt.Errorf("helm stopped on this chart: %w", errOverMemory)
	}
	msg := strings.TrimSpace(w.stderr.firstLine())
	if msg == "" {
		msg = "the renderer exited"
		if st := w.cmd.ProcessState; st != nil {
			msg += " (" + st.String() + ")"
		}
	}
	return fmt.Errorf("helm stopped on this chart: %s", msg)
}

// finish closes the worker's input, which ends it, and waits for it, at
// most workerStopWait before killing it.
func (w *helmWorker) finish() {
	_ = w.in.Close()
	select {
	case <-w.done:
	case <-time.After(workerStopWait):
	}
	w.stop()
}

func (w *helmWorker) stop() {
	_ = w.in.Close()
	if w.cmd.Process != nil {
		_ = w.cmd.Process.Kill()
	}
	<-w.done
	_ = w.outFile.Close()
}

// serveWorker answers render requests until stdin ends. It exits with
// exitOverBudget when its heap passes helmMaxHeap, and on its own after
// helmWallTimeout plus helmTimeout on one chart, in case its parent died without killing
// it.
func serveWorker(in io.Reader, out io.Writer) int {
	debug.SetMaxStack(256 << 20)
	// The collector works harder as the heap nears three quarters of the
	// bound, so that garbage does not count against it; at half, a 13 MB
	// values file (300,000 keys, live near the limit) rendered three
	// times slower.
	debug.SetMemoryLimit(helmMaxHeap * 3 / 4)
	var busySince struct {
		sync.Mutex
		t time.Time
	}
	parent := os.Getppid()
	go func() {
		// All memory the runtime has mapped, less what it gave back to
		// the system: about the resident size.
		sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		for tick := 0; ; tick++ {
			time.Sleep(2 * time.Millisecond)
			// A parent that died is seen here too where Pdeathsig does
			// not exist or did not fire (it follows the thread that
			// started the worker): the worker is handed to another
			// parent.
			if tick%50 == 0 && os.Getppid() != parent {
				os.Exit(exitOrphaned)
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 && sample[0].Value.Uint64()-sample[1].Value.Uint64() > helmMaxHeap {
				os.Exit(exitOverBudget)
			}
			busySince.Lock()
			t := busySince.t
			busySince.Unlock()
			if !t.IsZero() && time.Since(t) > helmWallTimeout+helmTimeout {
				os.Exit(exitOverTime)
			}
		}
	}()
	dec := json.NewDecoder(bufio.NewReader(in))
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	for {
		var req helmRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			return 2
		}
		busySince.Lock()
		busySince.t = time.Now()
		busySince.Unlock()
		res := renderInProcess(&req)
		busySince.Lock()
		busySince.t = time.Time{}
		busySince.Unlock()
		req = helmRequest{}
		if enc.Encode(res) != nil || bw.Flush() != nil {
			return 2
		}
	}
}

// headBuffer keeps the first max bytes written to it: the Go runtime's
// report of a fatal error begins with the line that says what it was.
type headBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *headBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *headBuffer) firstLine() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
