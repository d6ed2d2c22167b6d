//go:build linux

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoplint/hoplint/cmd/hoplint/internal/supervisor"
	"github.com/hoplint/hoplint/render"
)

// The supervisor leaves a Helm worker alone by its first argument, which
// render starts it with.
func TestHelmWorkerArg(t *testing.T) {
	if supervisor.HelmWorkerArg != render.WorkerArg {
		t.Errorf("supervisor.HelmWorkerArg %q, render.WorkerArg %q: a Helm worker would be supervised, and would not find its token on descriptor 3",
			supervisor.HelmWorkerArg, render.WorkerArg)
	}
}

// heavyInits are packages whose init costs milliseconds (issue 24 item 1):
// kin-openapi's JSON-schema compiler, client-go's scheme (through Helm),
// nginx-go-crossplane's directive tables.
var heavyInits = []string{
	"github.com/santhosh-tekuri/jsonschema/v6",
	"k8s.io/client-go/kubernetes/scheme",
	"github.com/nginxinc/nginx-go-crossplane",
}

// TestBuiltBinary runs the hoplint that go build makes, which supervises
// itself from the init of internal/supervisor (the test binary does not).
func TestBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds hoplint")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build hoplint with")
	}
	bin := filepath.Join(t.TempDir(), "hoplint")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// run runs bin in its own process group and fails the test if any
	// process of the group (the child, a Helm worker) outlives it.
	run := func(t *testing.T, dir string, env []string, args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		pgid := cmd.Process.Pid
		deadline := time.Now().Add(5 * time.Second)
		for syscall.Kill(-pgid, 0) == nil {
			if time.Now().After(deadline) {
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
				t.Fatalf("hoplint %v left processes behind", args)
			}
			time.Sleep(20 * time.Millisecond)
		}
		return code, stdout.String(), stderr.String()
	}
	inits := func(stderr, pkg string) int { return strings.Count(stderr, "init "+pkg+" @") }

	// The supervising parent initialises none of the heavy packages: each
	// is initialised once, in the child. Before, the parent was a whole
	// hoplint and each came twice.
	t.Run("parent skips heavy init", func(t *testing.T) {
		code, out, errs := run(t, t.TempDir(), []string{"GODEBUG=inittrace=1"}, "version")
		if code != exitClean || !strings.HasPrefix(out, "hoplint ") {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
		for _, p := range heavyInits {
			if n := inits(errs, p); n != 1 {
				t.Errorf("%s initialised %d times, want once (in the child only)", p, n)
			}
		}
		if n := inits(errs, "github.com/hoplint/hoplint/cmd/hoplint/internal/supervisor"); n != 1 {
			t.Errorf("the supervisor's init finished %d times, want once: in the child (the parent exits from it)", n)
		}
	})

	// A HOPLINT_SUPERVISED left in an environment (or set by a stranger)
	// without the supervisor's pipes changes nothing: the process
	// supervises itself and lints.
	t.Run("stray supervised variable", func(t *testing.T) {
		dir := writeTree(t, map[string]string{"nginx.conf": lingering})
		code, out, errs := run(t, dir, []string{childEnv + "=1", "GODEBUG=inittrace=1"}, ".")
		if code != exitFindings || !strings.Contains(out, "lingering") {
			t.Errorf("exit %d, stdout %q; want the lingering_close finding and exit 1", code, out)
		}
		if n := inits(errs, heavyInits[0]); n != 1 {
			t.Errorf("%s initialised %d times, want once: the process did not supervise itself", heavyInits[0], n)
		}
	})

	// The child's own statuses pass through the parent unchanged, and a
	// usage error is one line.
	t.Run("exit statuses", func(t *testing.T) {
		if code, _, errs := run(t, t.TempDir(), nil, "--no-such-flag"); code != exitUsage || strings.Count(errs, "\n") != 1 {
			t.Errorf("--no-such-flag: exit %d, stderr %q; want exit 2 and one line", code, errs)
		}
		if code, out, _ := run(t, t.TempDir(), nil, "rules"); code != exitClean || out == "" {
			t.Errorf("rules: exit %d, %d bytes of output; want exit 0 and the catalog", code, len(out))
		}
	})

	// A chart renders in a Helm worker of the child, which the
	// supervisor's init leaves alone (it takes the worker's token pipe for
	// its own descriptor 3 otherwise), and which the run waits for.
	t.Run("chart", func(t *testing.T) {
		dir := writeTree(t, map[string]string{
			"chart/Chart.yaml":  "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
			"chart/values.yaml": "bodyLimit: \"0\"\n",
			"chart/templates/ingress.yaml": `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: {{ .Values.bodyLimit | quote }}
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop
                port:
                  number: 80
`,
		})
		code, out, errs := run(t, dir, nil, "--fail-on", "info", ".")
		if code != exitFindings || !strings.Contains(out, "unbounded-body-size") || !strings.Contains(out, "rendered by chart shop") {
			t.Errorf("exit %d; want the rendered Ingress's unbounded-body-size finding and exit 1\nstdout:\n%s\nstderr:\n%s", code, out, errs)
		}
	})
}
