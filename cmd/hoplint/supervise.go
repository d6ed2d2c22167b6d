package main

import (
	"os"
	"runtime/debug"

	"github.com/hoplint/hoplint/cmd/hoplint/internal/supervisor"
)

// The supervisor lives in internal/supervisor, whose init supervises this
// process before the heavy packages are initialised (see there). These
// names serve main and the tests of the exit-3 contract.

// childEnv marks a supervised child (supervisor.Env).
const childEnv = supervisor.Env

// exitBrokenPipe is the status of a run whose standard output was closed
// before it finished (supervisor.ExitBrokenPipe).
const exitBrokenPipe = supervisor.ExitBrokenPipe

// supervise runs hoplint as a supervised child of this process
// (supervisor.Run).
func supervise(exe string, args []string, env []string) (code int, ok bool) {
	return supervisor.Run(exe, args, env)
}

// supervisedChild is the link to the supervisor when this process is the
// supervised child, else nil. Call it once: it also sends the runtime's
// report of a fatal error to the supervisor.
func supervisedChild() *supervisor.Link {
	child := supervisor.Child()
	if child != nil {
		endInitGC()
		crash := child.TakeCrashOutput()
		_ = debug.SetCrashOutput(crash, debug.CrashOptions{})
		crash.Close()
	}
	return child
}

// endInitGC turns the garbage collector on, at Go's default, in a child
// its supervisor started with GOGC=off for initialisation only
// (supervisor.InitGCVar), and takes both variables out of the environment
// that the processes it starts inherit.
func endInitGC() {
	if os.Getenv(supervisor.InitGCVar) == "" {
		return
	}
	_ = os.Unsetenv(supervisor.InitGCVar)
	_ = os.Unsetenv("GOGC")
	debug.SetGCPercent(100)
}

func withoutVar(env []string, name string) []string { return supervisor.WithoutVar(env, name) }
