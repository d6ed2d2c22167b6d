//go:build linux

package render

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run this test binary again as a child (TestMain makes it a
// worker only when started as one), selected by childEnv.
const childEnv = "HOPLINT_RENDER_TEST_CHILD"

var podChart = map[string]string{
	"c/Chart.yaml":       "apiVersion: v2\nname: c\nversion: 1.0.0\n",
	"c/templates/p.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: main\n      image: example/p:1.0\n",
}

// renderPodChart renders podChart and says what came of it: the problems,
// or "rendered" when the Pod is in the output.
func renderPodChart(t *testing.T) string {
	dir := t.TempDir()
	out, problems := Render(writeFiles(t, dir, podChart), Options{WorkDir: dir})
	var b strings.Builder
	for _, p := range problems {
		fmt.Fprintf(&b, "problem %s: %s\n", p.Kind, p.Message)
	}
	for _, f := range out {
		if strings.HasSuffix(f.Path, "#template") && strings.Contains(string(f.Bytes()), "kind: Pod") {
			b.WriteString("rendered\n")
		}
	}
	return b.String()
}

// runChild runs the test named name in a child of exe (this binary when
// ""), with env added, and returns its output.
func runChild(t *testing.T, exe, name string, env ...string) (string, error) {
	t.Helper()
	if exe == "" {
		exe = os.Args[0]
	}
	cmd := exec.Command(exe, "-test.run=^"+name+"$", "-test.v")
	cmd.Env = append(append(os.Environ(), childEnv+"="+name), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestWorkerEnvLeftOver: HOPLINT_HELM_WORKER=1 left in the environment
// (the variable that once made a process a worker) does not make hoplint
// a worker: the process lints, and its charts render. Before, such a
// process served an empty stdin and exited 0 at once, linting nothing.
func TestWorkerEnvLeftOver(t *testing.T) {
	if os.Getenv(childEnv) == t.Name() {
		fmt.Print(renderPodChart(t))
		return
	}
	out, err := runChild(t, "", t.Name(), "HOPLINT_HELM_WORKER=1")
	if err != nil || !strings.Contains(out, "rendered\n") || strings.Contains(out, "problem ") {
		t.Fatalf("with HOPLINT_HELM_WORKER=1 the chart was not rendered (err %v):\n%s", err, out)
	}
}

// TestWorkerArgumentAlone: the worker's argument without the parent's pipe
// does not make a worker either (the test binary then rejects the flag).
func TestWorkerArgumentAlone(t *testing.T) {
	cmd := exec.Command(os.Args[0], WorkerArg, strings.Repeat("0", 32))
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "flag provided but not defined") {
		t.Fatalf("the worker argument alone was taken for a worker (err %v): %s", err, out)
	}
}

// TestWorkerBinaryReplaced: the executable is replaced while hoplint runs
// (an upgrade during a long run); the worker is this running program, not
// whatever the path names now. Before, the worker was the replacement (a
// script that exits), and the chart got "helm stopped on this chart".
func TestWorkerBinaryReplaced(t *testing.T) {
	if os.Getenv(childEnv) == t.Name() {
		exe, err := os.Executable()
		must(t, err)
		must(t, os.Remove(exe))
		must(t, os.WriteFile(exe, []byte("#!/bin/sh\nexit 0\n"), 0o755))
		fmt.Print(renderPodChart(t))
		return
	}
	exe := filepath.Join(t.TempDir(), "hoplint-copy")
	copyFile(t, os.Args[0], exe)
	out, err := runChild(t, exe, t.Name())
	if err != nil || !strings.Contains(out, "rendered\n") || strings.Contains(out, "problem ") {
		t.Fatalf("with the executable replaced the chart was not rendered (err %v):\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	must(t, err)
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	must(t, err)
	_, err = io.Copy(out, in)
	must(t, err)
	must(t, out.Close())
}

// workerChildren lists the live (not zombie) processes whose parent is
// pid: in these tests, only Helm workers.
func workerChildren(pid int) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, state := procStat(n); ppid == pid && state != "Z" {
			out = append(out, n)
		}
	}
	return out
}

// procStat reads a process's parent and state from /proc (0, "" when it
// is gone).
func procStat(pid int) (ppid int, state string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, ""
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, ""
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, ""
	}
	ppid, _ = strconv.Atoi(f[1])
	return ppid, f[0]
}

// TestWorkerEndsWithRender: when Render returns, its worker has exited
// and been waited for. Before, it stayed until hoplint exited.
func TestWorkerEndsWithRender(t *testing.T) {
	if got := renderPodChart(t); got != "rendered\n" {
		t.Fatalf("the chart did not render: %s", got)
	}
	if left := workerChildren(os.Getpid()); len(left) > 0 {
		t.Fatalf("Helm workers %v still run after Render returned", left)
	}
}

// TestWorkerDiesWithParent: a parent killed with SIGKILL while its worker
// renders does not leave the worker running. Before, the worker went on
// until its own bound (twice helmTimeout).
func TestWorkerDiesWithParent(t *testing.T) {
	if os.Getenv(childEnv) == t.Name() {
		dir := t.TempDir()
		files := writeFiles(t, dir, map[string]string{
			"c/Chart.yaml":          "apiVersion: v2\nname: c\nversion: 1.0.0\n",
			"c/templates/spin.yaml": "{{- range until 100000 }}{{- range until 100000 }}{{- end }}{{- end }}\n",
		})
		go Render(files, Options{WorkDir: dir})
		for {
			if w := workerChildren(os.Getpid()); len(w) > 0 {
				fmt.Printf("worker %d\n", w[0])
				time.Sleep(time.Minute)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var worker int
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, err := fmt.Sscanf(sc.Text(), "worker %d", &worker); err == nil {
			break
		}
	}
	if worker == 0 {
		t.Fatal("the child printed no worker")
	}
	must(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, state := procStat(worker)
		if state == "" || state == "Z" {
			return
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(worker, syscall.SIGKILL)
			t.Fatalf("worker %d still runs (state %s) 3 s after its parent was killed", worker, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
