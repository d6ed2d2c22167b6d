package terraform

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hoplint/hoplint/internal/workers"
	"github.com/hoplint/hoplint/parsers"
)

// The syntax trees of a large tree's Terraform files were most of a run's
// memory: every file was parsed before any module was evaluated, and every
// tree stayed alive until the last root module was done (1.85 GB of RSS on
// the 8,000-file ECS benchmark tree). LoadFiles parses up front only the
// files that may declare a module call, which it needs to tell the root
// modules (directories no other one calls) from the others; a directory's
// other files are parsed when a root module first reads the directory, and
// its trees are dropped as soon as the last root module that can reach it
// is evaluated. A directory needed again after that (through a module
// outside the discovered files, or by the pass over module call cycles)
// is parsed again: parsing is deterministic, so it is the same module, and
// its problems and comments are recorded only from the first parse.

// fileSlot is one discovered Terraform file.
type fileSlot struct {
	raw *parsers.File
	// f is the parsed file; nil while not parsed, and again once its
	// directory was released.
	f *File
	// parsed: problems and comments hold the first parse's.
	parsed   bool
	problems []parsers.Problem
	comments []parsers.Comment
}

// dirEntry is one module directory: the discovered files in it, or a
// directory read through a module call (fixed).
type dirEntry struct {
	mu             sync.Mutex
	abs, rel, root string
	slots          []*fileSlot
	md             *moduleDir
	// fixed: md is final (a directory read through Open, or one that
	// could not be read, nil); it is never released.
	fixed bool
	// calls are the directories its local module calls name, known
	// before it is built.
	calls []string
	// built: newModuleDir ran once; problems are that run's.
	built    bool
	problems []parsers.Problem
	// users counts the root modules still to be evaluated that reach
	// this directory through module calls.
	users atomic.Int32
}

// keepTrees keeps every directory's syntax trees until Load returns, for
// tests that compare the results with and without releasing them.
var keepTrees = false

// LoadFiles is Load for files not parsed yet: they are parsed with
// opt.Parse (Parse when nil) when a module first needs them, and their
// syntax trees are dropped once no module still to be evaluated can read
// them. The result is Load's on the parsed files.
func LoadFiles(files []*parsers.File, opt Options) *Result {
	slots := make([]*fileSlot, len(files))
	for i, f := range files {
		slots[i] = &fileSlot{raw: f}
	}
	l := newLoader(opt)
	parallel(len(slots), func(i int) {
		s := slots[i]
		switch KindOf(s.raw.Path) {
		case KindVars:
			// Never part of a module: parsed for its problems and
			// comments only.
			l.parse(s)
			s.f = nil
		case KindConfig:
			if strings.HasSuffix(strings.ToLower(s.raw.Path), ".json") || mayCallModules(s.raw.Bytes()) {
				l.parse(s)
			}
		}
	})
	return l.load(slots)
}

// Load evaluates the modules formed by the given parsed files. Each
// directory is a module; a directory that another one calls as a local
// module is evaluated through that call (with its inputs) instead of on
// its own.
func Load(parsed []*File, opt Options) *Result {
	slots := make([]*fileSlot, len(parsed))
	for i, f := range parsed {
		slots[i] = &fileSlot{raw: f.File, f: f, parsed: true, problems: f.Problems, comments: f.Comments}
	}
	return newLoader(opt).load(slots)
}

func newLoader(opt Options) *loader {
	if opt.Parse == nil {
		opt.Parse = Parse
	}
	return &loader{opt: opt, res: &Result{Comments: map[string][]parsers.Comment{}}, modules: &modules{dirs: map[string]*dirEntry{}}}
}

// parse returns s's file, parsing it if need be; the caller holds the lock
// of s's directory, or is alone with s.
func (l *loader) parse(s *fileSlot) *File {
	if s.f != nil {
		return s.f
	}
	f := l.opt.Parse(s.raw)
	if !s.parsed {
		s.parsed, s.problems, s.comments = true, f.Problems, f.Comments
	}
	s.f = f
	return f
}

// parallel runs fn(0) … fn(n-1) on every core. A panic in fn is raised
// again in the caller's goroutine once all are done (the first, by i), so
// that the caller's recover sees it, as when the work ran there.
func parallel(n int, fn func(i int)) {
	panics := make([]any, n)
	workers.Each(n, func(i int) { panics[i] = recovered(i, fn) })
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}

// recovered runs fn(i) and returns what it panicked with.
func recovered(i int, fn func(i int)) (r any) {
	defer func() { r = recover() }()
	fn(i)
	return nil
}

// module returns the module of a discovered directory, building it (and
// parsing its files) when it is not built.
func (l *loader) module(e *dirEntry) *moduleDir {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.md != nil || e.fixed {
		return e.md
	}
	files := make([]*File, len(e.slots))
	for i, s := range e.slots {
		files[i] = l.parse(s)
	}
	e.md = newModuleDir(e.abs, e.rel, e.root, files)
	if !e.built {
		e.built, e.problems = true, e.md.problems
	}
	return e.md
}

// release drops a discovered directory's module and syntax trees. A file
// that could not be parsed at all keeps its (tree-less) result, so that
// whatever its parse reported (an internal error) is reported once.
func (e *dirEntry) release() {
	if keepTrees {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fixed {
		return
	}
	e.md = nil
	for _, s := range e.slots {
		if s.f != nil && s.f.Body != nil {
			s.f = nil
		}
	}
}

// fileCalls returns the directories the local module calls of a parsed
// configuration file name, as the module built from it would call them.
func fileCalls(f *File, dir string) []string {
	if f.Body == nil {
		return nil
	}
	content, _, _ := f.Body.PartialContent(topSchema)
	if content == nil {
		return nil
	}
	var out []string
	for _, b := range content.Blocks {
		if b.Type != "module" {
			continue
		}
		attrs, _ := b.Body.JustAttributes()
		if a := attrs["source"]; a != nil {
			if src := literalSource(a); localSource(src) {
				out = append(out, filepath.Clean(filepath.Join(dir, filepath.FromSlash(src))))
			}
		}
	}
	return out
}

// mayCallModules reports whether a native-syntax file may hold a module
// block: whether "module" appears where a block's type can, first on its
// line after blanks, or after something that may end a /* */ comment. A
// file it says no for has no module block; its parse can wait.
func mayCallModules(data []byte) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], moduleWord)
		if j < 0 {
			return false
		}
		at := i + j
		start := bytes.LastIndexByte(data[:at], '\n') + 1
		if blankOrComment(data[start:at]) {
			return true
		}
		i = at + len(moduleWord)
	}
}

var moduleWord = []byte("module")

// blankOrComment reports whether the start of a line may be blanks and
// comments only (it cannot tell a "*/" inside a string from a comment's
// end, and says yes).
func blankOrComment(prefix []byte) bool {
	if bytes.Contains(prefix, []byte("*/")) {
		return true
	}
	for _, c := range prefix {
		switch c {
		case ' ', '\t', '\r', '\v', '\f', 0xEF, 0xBB, 0xBF: // 0xEF 0xBB 0xBF: a byte order mark
		default:
			return false
		}
	}
	return true
}
