package render

import (
	"os/exec"
	"syscall"
)

// setWorkerAttr has the kernel kill the worker when hoplint dies, however
// it dies (SIGKILL included), so that a worker never renders on with no
// one to answer.
func setWorkerAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
