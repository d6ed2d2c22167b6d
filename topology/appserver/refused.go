package appserver

import (
	"errors"
	"fmt"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/setting"
)

// TooLargeError is Files.Read refusing a file over MaxSourceSize.
type TooLargeError struct {
	Path string
	Size int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is %d bytes, larger than hoplint reads", e.Path, e.Size)
}

// read is Files.Read for a file whose content decides a setting: a file
// refused for its size is reported (once per Files view) as skipped, and
// marks the process's settings as not known. Silence here once gave a
// default for a php.ini of 20 MiB that set the value at its end.
func (r *resolver) read(rel string) (*parsers.File, error) {
	f, err := r.readSoft(rel)
	var tl *TooLargeError
	if errors.As(err, &tl) {
		r.refused = true
	}
	return f, err
}

// readSoft is read for a file whose loss its reader already copes with
// (a Go file among its package's others: goserver skips oversized files
// the same way): reported, but the settings stand.
func (r *resolver) readSoft(rel string) (*parsers.File, error) {
	f, err := r.p.Files.Read(rel)
	var tl *TooLargeError
	if errors.As(err, &tl) && r.p.Files.once("too-large:"+tl.Path) {
		at := parsers.Pos{Line: 1, Col: 1}
		r.problems = append(r.problems, parsers.Problem{Kind: parsers.ProblemSkipped,
			Range:   parsers.Range{File: tl.Path, Start: at, End: at},
			Message: fmt.Sprintf("this file is %d bytes, over the %d that hoplint reads for an application's settings; settings in it are not seen", tl.Size, MaxSourceSize)})
	}
	return f, err
}

// forgetSettings makes every setting of info Unknown, keeping the label
// and the names: used when a file that could set them was not read.
func forgetSettings(info *Info) {
	info.KeepAlive = unknownLike(info.KeepAlive)
	info.Heartbeat = unknownLike(info.Heartbeat)
	info.BodyLimit = unknownLike(info.BodyLimit)
	info.RequestTimeout = unknownLike(info.RequestTimeout)
	info.BodyRefusal = ""
	info.Node = nil
}

func unknownLike[T any](s setting.Setting[T]) setting.Setting[T] {
	return setting.Setting[T]{Name: s.Name}
}
