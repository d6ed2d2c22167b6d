package parsers

import (
	"bytes"
	"math"
	"strings"
	"sync"
	"unsafe"
)

// Format names a configuration format hoplint understands.
type Format string

// The formats hoplint reads.
const (
	FormatNginx      Format = "nginx"
	FormatApache     Format = "apache"
	FormatTerraform  Format = "terraform"
	FormatKubernetes Format = "kubernetes"
	FormatOpenAPI    Format = "openapi"
	// FormatCompose is a docker-compose file and FormatDockerfile a
	// Dockerfile: both are decided by name (see Classify); the compose
	// loader then says when a file so named is not a compose file.
	FormatCompose    Format = "compose"
	FormatDockerfile Format = "dockerfile"
	// FormatECS is an Amazon ECS task-definition JSON file (or a bare
	// container-definitions array), decided by content: see SniffECS.
	FormatECS Format = "ecs"
	// FormatKustomization is a kustomization file and FormatHelmChart a
	// chart's Chart.yaml: neither is linted itself; the render stage builds
	// them into the manifests they deploy.
	FormatKustomization Format = "kustomization"
	FormatHelmChart     Format = "helm-chart"
)

// File is one configuration file as read from disk. Data is read once and
// shared by every stage; nothing may modify it.
type File struct {
	// Path is slash-separated and relative to the working directory; it is
	// what findings print.
	Path string
	// Abs is the cleaned absolute path on disk.
	Abs string
	// Root is the absolute directory that bounds includes and module calls
	// for this file: the PATH argument it was found under (or the file's own
	// directory when a single file was named).
	Root   string
	Format Format
	Data   []byte
	// Shift moves every position a parser derives from Data: a config
	// embedded in another file (nginx.conf inside a Kubernetes ConfigMap)
	// is parsed on its own, yet its findings point into the host file.
	// Line is added to every line; Col to every column (the block's
	// indentation). Path then names the host file.
	Shift Pos
	// Map is set on a rendered file (the output of kustomize build or helm
	// template): it turns a position in Data into the source range that
	// produced it, so that findings point at the lines a user edits.
	Map SourceMap
	// Consumed marks a file that a kustomization or chart renders: its
	// objects reach the rules through the rendered output, never on their
	// own; it is still parsed for its comments (suppressions).
	Consumed bool

	once sync.Once
	// lines holds the byte offset of each line start. uint32, sized
	// exactly: it is kept for every file of a run (32 MB of []int grown by
	// append at 54,000 files). Data longer than 4 GiB (far above
	// MaxFileSize; only a file made in memory could be) is indexed as if
	// it ended there.
	lines []uint32
	text  string // Data as a string sharing its bytes, so that Line never copies
}

// SourceMap maps positions of a rendered file back to the sources.
type SourceMap interface {
	// Range maps the span from (line, col) to (endLine, endCol) of the
	// rendered text.
	Range(line, col, endLine, endCol int) Range
}

// NewFile makes a File from data already in memory (tests, embedded configs).
func NewFile(path, abs, root string, format Format, data []byte) *File {
	return &File{Path: path, Abs: abs, Root: root, Format: format, Data: data}
}

func (f *File) index() {
	f.once.Do(func() {
		// Data is never modified (see File), so the string shares its
		// bytes instead of copying them: a copy held every file twice
		// (~400 MB at 54,000 files).
		f.text = unsafe.String(unsafe.SliceData(f.Data), len(f.Data))
		data := f.Data
		if uint64(len(data)) > math.MaxUint32 {
			data = data[:math.MaxUint32]
		}
		f.lines = make([]uint32, 1, bytes.Count(data, []byte{'\n'})+1)
		for off := 0; ; {
			i := bytes.IndexByte(data[off:], '\n')
			if i < 0 {
				break
			}
			off += i + 1
			f.lines = append(f.lines, uint32(off))
		}
	})
}

// NumLines is the number of lines in the file.
func (f *File) NumLines() int {
	f.index()
	return len(f.lines)
}

// Line returns the text of line n (1-based, unshifted) without its line ending, or ""
// when n is out of range. It is a slice of a string made once per file, so
// calling it for every directive of a one-line minified file costs nothing.
func (f *File) Line(n int) string {
	f.index()
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start := int(f.lines[n-1])
	end := len(f.Data)
	if n < len(f.lines) {
		end = int(f.lines[n]) - 1
	}
	return strings.TrimSuffix(f.text[start:end], "\r")
}

// Offset returns the byte offset of a 1-based line and column of Data
// (unshifted), clamped to the data.
func (f *File) Offset(p Pos) int {
	f.index()
	if p.Line < 1 {
		return 0
	}
	if p.Line > len(f.lines) {
		return len(f.Data)
	}
	o := int(f.lines[p.Line-1]) + p.Col - 1
	if o > len(f.Data) {
		o = len(f.Data)
	}
	return o
}

// PosAt returns the 1-based position of a byte offset.
func (f *File) PosAt(off int) Pos {
	f.index()
	lo, hi := 0, len(f.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if int(f.lines[mid]) <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return f.shift(Pos{Line: lo + 1, Col: off - int(f.lines[lo]) + 1})
}

func (f *File) shift(p Pos) Pos {
	return Pos{Line: p.Line + f.Shift.Line, Col: p.Col + f.Shift.Col}
}

// At returns a range for the 1-based line and columns of Data, shifted into
// the host file where the file is embedded.
func (f *File) At(line, col, endLine, endCol int) Range {
	if f.Map != nil {
		s, e := f.shift(Pos{line, col}), f.shift(Pos{endLine, endCol})
		return f.Map.Range(s.Line, s.Col, e.Line, e.Col)
	}
	return Range{File: f.Path, Start: f.shift(Pos{line, col}), End: f.shift(Pos{endLine, endCol})}
}

// LineRange covers line n from its first to its last non-blank byte. It
// serves parsers that know a line but not the columns (crossplane reports
// lines only).
func (f *File) LineRange(n int) Range {
	text := f.Line(n)
	first, last := 0, len(text)
	for first < last && (text[first] == ' ' || text[first] == '\t') {
		first++
	}
	for last > first && (text[last-1] == ' ' || text[last-1] == '\t') {
		last--
	}
	return f.At(n, first+1, n, last+1)
}

// DirectiveMarker starts every directive hoplint reads from a comment
// ("hoplint:ignore …"). A comment without it means nothing to hoplint, so a
// parser that needs a pass of its own to find comments (HCL's parser drops
// them; only its lexer sees them) skips that pass on files that do not
// contain the marker at all.
const DirectiveMarker = "hoplint:"

// Comment is one comment in a file, as its parser found it. The rules engine
// reads suppressions from comments, never from raw text, so a "#" inside a
// quoted string is never taken for a suppression.
type Comment struct {
	Line int
	Col  int
	// Text is the comment without its leading marker ("#", "//").
	Text string
}
