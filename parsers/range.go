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
	// Via is set on a range inside a rendered object (a Kustomize overlay,
	// a Helm chart): it names what rendered it, so that a finding on a base
	// line can say which overlays are affected. Nil for a file's own text.
	Via *Via
}

// Via is the rendering that put a value where a Range points: the
// kustomization or chart (its file, at Range) and a note for the user
// ("in overlay overlays/dev").
type Via struct {
	Range   Range
	Message string
}

// Same reports whether r and o cover the same text, whatever rendered it.
func (r Range) Same(o Range) bool {
	return r.File == o.File && r.Start == o.Start && r.End == o.End
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
