package parsers

import (
	"bytes"
	"hash/crc32"
	"math"
	"strings"
	"sync"
	"sync/atomic"
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

// File is one configuration file as read from disk. Its text (Bytes) is
// read once and shared by every stage; nothing may modify it.
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
	// Shift moves every position a parser derives from the text: a config
	// embedded in another file (nginx.conf inside a Kubernetes ConfigMap)
	// is parsed on its own, yet its findings point into the host file.
	// Line is added to every line; Col to every column (the block's
	// indentation). Path then names the host file.
	Shift Pos
	// Map is set on a rendered file (the output of kustomize build or helm
	// template): it turns a position in the text into the source range that
	// produced it, so that findings point at the lines a user edits.
	Map SourceMap
	// Consumed marks a file that a kustomization or chart renders: its
	// objects reach the rules through the rendered output, never on their
	// own; it is still parsed for its comments (suppressions).
	Consumed bool

	// Consumers read the text with Bytes; nothing may modify it. A file
	// read from disk can be released once its parser is done with it
	// (Release) and is read again, checked against what was released, if
	// anything asks for it later: at 54,000 manifests the text of every
	// file held to the end was a fifth of the live heap, and with the
	// collector's headroom a quarter of the peak.
	mu       sync.Mutex
	text     atomic.Pointer[content]
	index    atomic.Pointer[lineIndex]
	onDisk   bool // read by discovery: Release may drop the text
	released *releasedText
}

// content is a file's text; a File swaps it whole, so a reader holding it
// keeps a consistent copy even when the File releases its own.
type content struct{ data []byte }

// lineIndex holds the byte offset of each line start. uint32, sized
// exactly: it is kept for every file of a run (32 MB of []int grown by
// append at 54,000 files). Text longer than 4 GiB (far above MaxFileSize;
// only a file made in memory could be) is indexed as if it ended there.
// text is the data as a string sharing its bytes, so that Line never
// copies.
type lineIndex struct {
	lines []uint32
	text  string
}

// releasedText is what a released file's text must be when it is read
// again: its length and checksum. A file changed on disk since discovery
// reads as empty rather than as text the positions do not match.
type releasedText struct {
	size int
	sum  uint32
}

// SourceMap maps positions of a rendered file back to the sources.
type SourceMap interface {
	// Range maps the span from (line, col) to (endLine, endCol) of the
	// rendered text.
	Range(line, col, endLine, endCol int) Range
}

// NewFile makes a File from data already in memory (tests, embedded configs,
// rendered output). Its text is never released.
func NewFile(path, abs, root string, format Format, data []byte) *File {
	f := &File{Path: path, Abs: abs, Root: root, Format: format}
	f.text.Store(&content{data: data})
	return f
}

// newDiskFile makes a File from data discovery read at abs: Release may
// drop its text, which is then read again from abs on demand.
func newDiskFile(path, abs, root string, format Format, data []byte) *File {
	f := NewFile(path, abs, root, format, data)
	f.onDisk = true
	return f
}

// Bytes returns the file's text. Callers must not modify it. On a released
// file it reads the file again (see Release).
func (f *File) Bytes() []byte {
	if c := f.text.Load(); c != nil {
		return c.data
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.contentLocked().data
}

func (f *File) contentLocked() *content {
	if c := f.text.Load(); c != nil {
		return c
	}
	c := &content{}
	if r := f.released; r != nil {
		// Read as discovery read it (regular file, size cap); a file that
		// changed since reads as empty: its lines would not match the
		// positions the parsers recorded. The check also means a path
		// swapped for a symlink after discovery yields nothing new: only
		// the text already read is ever accepted.
		if data, err := readCapped(f.Abs); err == nil && len(data) == r.size && crc32.ChecksumIEEE(data) == r.sum {
			c.data = data
		}
	}
	f.text.Store(c)
	return c
}

// Release drops the text of a file read from disk, once its parser has
// taken what it keeps (Kubernetes manifests: values are copied out of the
// YAML). Anything that asks for the text later (a finding's line, a
// Terraform file() of the manifest) gets it read again. A reader that
// already holds the text keeps its copy. No-op on files made in memory.
func (f *File) Release() {
	if !f.onDisk {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c := f.text.Load(); c != nil && f.released == nil {
		f.released = &releasedText{size: len(c.data), sum: crc32.ChecksumIEEE(c.data)}
	}
	f.text.Store(nil)
	f.index.Store(nil)
}

// Held reports whether the file's text is in memory: false once it is
// released and until something reads it again.
func (f *File) Held() bool { return f.text.Load() != nil }

func (f *File) lineIndex() *lineIndex {
	if ix := f.index.Load(); ix != nil {
		return ix
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if ix := f.index.Load(); ix != nil {
		return ix
	}
	data := f.contentLocked().data
	ix := &lineIndex{text: unsafe.String(unsafe.SliceData(data), len(data))}
	if uint64(len(data)) > math.MaxUint32 {
		data = data[:math.MaxUint32]
	}
	ix.lines = make([]uint32, 1, bytes.Count(data, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		ix.lines = append(ix.lines, uint32(off))
	}
	f.index.Store(ix)
	return ix
}

// NumLines is the number of lines in the file.
func (f *File) NumLines() int {
	return len(f.lineIndex().lines)
}

// Line returns the text of line n (1-based, unshifted) without its line ending, or ""
// when n is out of range. It is a slice of a string made once per file, so
// calling it for every directive of a one-line minified file costs nothing.
func (f *File) Line(n int) string {
	ix := f.lineIndex()
	if n < 1 || n > len(ix.lines) {
		return ""
	}
	start := int(ix.lines[n-1])
	end := len(ix.text)
	if n < len(ix.lines) {
		end = int(ix.lines[n]) - 1
	}
	return strings.TrimSuffix(ix.text[start:end], "\r")
}

// Offset returns the byte offset of a 1-based line and column of the text
// (unshifted), clamped to the text.
func (f *File) Offset(p Pos) int {
	ix := f.lineIndex()
	if p.Line < 1 {
		return 0
	}
	if p.Line > len(ix.lines) {
		return len(ix.text)
	}
	o := int(ix.lines[p.Line-1]) + p.Col - 1
	if o > len(ix.text) {
		o = len(ix.text)
	}
	return o
}

// PosAt returns the 1-based position of a byte offset.
func (f *File) PosAt(off int) Pos {
	ix := f.lineIndex()
	lo, hi := 0, len(ix.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if int(ix.lines[mid]) <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return f.shift(Pos{Line: lo + 1, Col: off - int(ix.lines[lo]) + 1})
}

func (f *File) shift(p Pos) Pos {
	return Pos{Line: p.Line + f.Shift.Line, Col: p.Col + f.Shift.Col}
}

// At returns a range for the 1-based line and columns of the text, shifted into
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
