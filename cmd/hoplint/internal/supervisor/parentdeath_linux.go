package supervisor

import "syscall"

// childAttr has the kernel kill the child when the supervisor dies,
// whatever kills it (SIGKILL included, which no process can catch and
// pass on): a child left alone would lint on with no one to report to
// and no deadline.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
