//go:build linux

package render

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKustomizeNoNetworkStrace runs the hoplint binary under strace on a
// tree with every kustomization of TestKustomizeNoNetwork and checks, at
// the system-call level, that it opens no internet socket and executes
// nothing but itself: whatever a library does, not only what the listener
// sees. It needs strace (CI installs it) and is skipped without it.
func TestKustomizeNoNetworkStrace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hoplint")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("no strace here")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build hoplint with")
	}
	bin := filepath.Join(t.TempDir(), "hoplint")
	build := exec.Command(goBin, "build", "-o", bin, "github.com/hoplint/hoplint/cmd/hoplint")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	u, conns := listen(t)
	marks := fakeTools(t)
	tree := t.TempDir()
	files := map[string]string{}
	cases := append(netCases(u), netConfigCases(u)...)
	pt := "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: " + u + "/p.yaml\ntarget:\n  kind: ConfigMap\n"
	for i, c := range cases {
		d := fmt.Sprintf("k%02d/", i)
		files[d+"kustomization.yaml"] = c.kust
		files[d+"cm.yaml"] = localCM
		files[d+"t.yaml"] = pt
	}
	writeFiles(t, tree, files)
	log := filepath.Join(t.TempDir(), "strace.log")
	cmd := exec.Command(strace, "-f", "-qq", "-e", "trace=network,execve", "-o", log, bin, "--fail-on=never", ".")
	cmd.Dir = tree
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) && strings.Contains(string(out), "Operation not permitted") {
		t.Skip("strace cannot trace here:", firstLine(string(out)))
	}
	if err != nil {
		t.Fatalf("hoplint under strace: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "is not fetched") {
		t.Fatalf("hoplint did not report the remote entries:\n%s", out)
	}
	f, err := os.Open(log)
	must(t, err)
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	calls := 0
	for sc.Scan() {
		line := sc.Text()
		calls++
		switch {
		case strings.Contains(line, "execve("):
			// hoplint runs itself (the supervised child, the Helm worker).
			if !strings.Contains(line, "execve(\""+bin+"\"") && !strings.Contains(line, "execve(\"/proc/self/exe\"") {
				t.Errorf("executed: %s", line)
			}
		case strings.Contains(line, "AF_INET"), strings.Contains(line, "connect("):
			t.Errorf("network: %s", line)
		}
	}
	must(t, sc.Err())
	if calls == 0 {
		t.Fatal("strace recorded nothing")
	}
	if n := conns.Load(); n > 0 {
		t.Errorf("%d connections to the listener", n)
	}
	if ran, _ := os.ReadDir(marks); len(ran) > 0 {
		t.Errorf("%d fake tools were executed (%s first)", len(ran), ran[0].Name())
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
