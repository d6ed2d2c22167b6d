package main

import (
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
		crash := child.TakeCrashOutput()
		_ = debug.SetCrashOutput(crash, debug.CrashOptions{})
		crash.Close()
	}
	return child
}

func withoutVar(env []string, name string) []string { return supervisor.WithoutVar(env, name) }
