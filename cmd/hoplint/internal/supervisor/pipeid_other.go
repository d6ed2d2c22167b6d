//go:build !unix

package supervisor

import "os"

// pipeID: without inode numbers a pipe cannot be named, so no process
// takes itself for a supervised child ("?" never matches). On Windows the
// supervisor cannot pass descriptors 3 and 4 either (exec.Cmd.ExtraFiles),
// so hoplint runs unsupervised there.
func pipeID(*os.File) string { return "?" }

// fdID: see pipeID.
func fdID(int) string { return "?" }
