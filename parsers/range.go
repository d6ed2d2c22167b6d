// Package parsers holds what every format parser shares: source positions,
// the File that a parser reads, the problems it reports, and the discovery of
// files under the paths hoplint is asked to lint.
//
// A parser package (parsers/nginx, parsers/apache, …) imports this package and
// nothing of any other format.
package parsers

import "fmt"

// Pos is a 1-based line and column. Columns count bytes, as editors and
// GitHub annotations do for ASCII configuration files.
type Pos struct {
	Line int
	Col  int
}

// Range is a span in one file. File is slash-separated and relative to the
// directory hoplint was started in.
type Range struct {
	File  string
	Start Pos
	End   Pos
}

// IsZero reports whether r points nowhere.
func (r Range) IsZero() bool { return r.File == "" && r.Start.Line == 0 }

// String renders file:line:col, the form editors jump to.
func (r Range) String() string {
	if r.Start.Line == 0 {
		return r.File
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Col)
}

// Less orders ranges by file, then start line, then start column.
func (r Range) Less(o Range) bool {
	if r.File != o.File {
		return r.File < o.File
	}
	if r.Start.Line != o.Start.Line {
		return r.Start.Line < o.Start.Line
	}
	return r.Start.Col < o.Start.Col
}
