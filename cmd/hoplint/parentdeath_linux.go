package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the child when the supervisor dies,
// whatever kills it (SIGKILL included, which no process can catch and
// pass on): a child left alone would lint on with no one to report to
// and no deadline.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
