//go:build !linux

package supervisor

import "syscall"

// childAttr: only Linux can tie a child's life to its parent's; on other
// systems the forwarded signals are what ends the child.
func childAttr() *syscall.SysProcAttr { return nil }
