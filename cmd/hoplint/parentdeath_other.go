//go:build !linux

package main

import "os/exec"

// dieWithParent: only Linux can tie a child's life to its parent's; on
// other systems the forwarded signals are what ends the child.
func dieWithParent(*exec.Cmd) {}
