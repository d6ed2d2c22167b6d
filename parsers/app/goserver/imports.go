package goserver

import (
	"go/parser"
	"go/token"
	"strconv"

	"github.com/hoplint/hoplint/parsers"
)

// FileInfo is what a Go file's header says: its package name and imports.
type FileInfo struct {
	Package string
	Imports []string
}

// Header reads a Go file's package clause and imports only (go/parser's
// ImportsOnly mode), for following a program's packages from its main
// package. ok is false for a file that cannot be read so far, or one over
// MaxSize.
func Header(f *parsers.File) (FileInfo, bool) {
	if len(f.Bytes()) > MaxSize {
		return FileInfo{}, false
	}
	af, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Bytes(), parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil || af.Name == nil {
		return FileInfo{}, false
	}
	fi := FileInfo{Package: af.Name.Name}
	for _, im := range af.Imports {
		if p, err := strconv.Unquote(im.Path.Value); err == nil {
			fi.Imports = append(fi.Imports, p)
		}
	}
	return fi, true
}
