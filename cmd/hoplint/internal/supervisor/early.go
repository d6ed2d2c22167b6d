// Package supervisor runs hoplint as a child of itself, so that a fatal
// error of the Go runtime in the process doing the work (out of memory, a
// stack overflow, a panic in a goroutine nothing recovered, a kill by the
// kernel) still ends the run with exit 3 and one line (Run).
//
// The supervising parent does its work in this package's init, before the
// packages hoplint links for its formats are initialised. Go initialises,
// at each step, the package with the smallest import path among those
// whose imports are all initialised (cmd/link's inittask order). This one
// sorts before every other package of hoplint and before Helm,
// kin-openapi, client-go and nginx-go-crossplane, and imports only
// standard packages that the earliest packages need too: not os/exec
// (path/filepath), runtime/debug or testing, which sort late and are
// needed by few, so that Go would initialise them, and this package, only
// after the heavy ones. So the parent pays the Go runtime's start and
// about 80 small inits, not the ~30-40 ms the dependencies spend in init
// (kin-openapi's JSON-schema compiler compiles five meta-schemas,
// client-go registers every Kubernetes API type), which only the child
// needs. The parent never reaches main: it exits from init with the
// child's verdict. TestBuiltBinary checks that the heavy packages are
// initialised once per run, in the child.
package supervisor

import (
	"os"
	"strings"
)

// HelmWorkerArg is the first argument of a Helm render worker
// (render.WorkerArg, which a test of cmd/hoplint compares with this one):
// such a process answers its parent, the child, and is never supervised.
const HelmWorkerArg = "--hoplint-internal-helm-worker"

// child is this process's link to its supervisor, found in init.
var child *Link

func init() {
	// A Helm worker does the work its parent, the child, sends it; its
	// descriptor 3 is its own (render.UseWorkers).
	if len(os.Args) > 1 && os.Args[1] == HelmWorkerArg {
		return
	}
	// A supervised child does the work; a test binary decides for
	// itself what to supervise (its TestMain).
	if detect() {
		child = link()
		return
	}
	if testBinary() {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return // main runs in this process
	}
	if code, ok := Run(exe, os.Args[1:], os.Environ()); ok {
		os.Exit(code)
	}
	// The child could not be started (no pipes, no exec, Windows, where
	// os.StartProcess passes no descriptor past 2): main runs in this
	// process, unsupervised.
}

// Child returns the link to the supervisor when this process is the
// supervised child, else nil.
func Child() *Link { return child }

// testBinary reports whether this is a test binary (go test names it
// PKG.test and passes it -test.* flags; the tests' own children get
// -test.run): its TestMain decides what to supervise. Not
// testing.Testing: package testing is initialised after Helm's and
// client-go's packages, and so would this package be, waiting for it.
func testBinary() bool {
	if strings.HasSuffix(os.Args[0], ".test") || strings.HasSuffix(os.Args[0], ".test.exe") {
		return true
	}
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-test.") {
			return true
		}
	}
	return false
}
