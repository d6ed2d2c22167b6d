//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// pipeID names an open file by its device and inode: what the child
// compares its descriptors with.
func pipeID(f *os.File) string {
	fi, err := f.Stat()
	if err != nil {
		return "?"
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf("%d:%d", st.Dev, st.Ino)
	}
	return "?"
}
