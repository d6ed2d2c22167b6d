//go:build unix

package supervisor

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

// fdID names descriptor fd the same way, without wrapping it in an
// os.File, whose finalizer would close a descriptor that is not the
// supervisor's pipe (a Helm worker's token pipe, the runtime's own).
func fdID(fd int) string {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil {
		return "?"
	}
	return fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}
