//go:build !linux

package render

import "os/exec"

// setWorkerAttr: no Pdeathsig here; the worker notices a parent that is
// gone by its parent process ID (serveWorker) and by the end of its input.
func setWorkerAttr(*exec.Cmd) {}
