package parsers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
)

// MaxFileSize caps what hoplint reads from one file. Configuration files are
// small; a larger file is a generated artefact or a mistake, and reading it
// whole could exhaust memory on a CI runner.
const MaxFileSize = 16 << 20

// skipDirs are never descended into: VCS data, dependencies, provider caches.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true,
	"node_modules": true, "vendor": true, ".terraform": true,
}

// DiscoverOptions tune Discover.
type DiscoverOptions struct {
	// Ignore holds doublestar globs ("**/fixtures/**", "legacy/*.conf")
	// matched against paths relative to IgnoreBase.
	Ignore []string
	// IgnoreBase is the directory of the .hoplint.yml the globs come from;
	// "" means the working directory.
	IgnoreBase string
	// WorkDir is the directory paths are reported relative to; "" means the
	// process's working directory.
	WorkDir string
}

// Discover walks paths (files or directories) and returns every file of a
// known format, sorted by path, each once. A path that does not exist is an
// error (the caller exits 2); a file that cannot be read becomes a Problem.
func Discover(paths []string, opt DiscoverOptions) ([]*File, []Problem, error) {
	wd := opt.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, nil, err
		}
	}
	for _, g := range opt.Ignore {
		if !doublestar.ValidatePattern(g) {
			return nil, nil, fmt.Errorf("bad ignore pattern %q", g)
		}
	}
	d := &discoverer{wd: wd, opt: opt, seen: map[string]bool{}}
	d.startExamining()
	for _, p := range paths {
		if err := d.walk(p); err != nil {
			d.finishExamining()
			return nil, nil, err
		}
	}
	d.finishExamining()
	sort.Slice(d.files, func(i, j int) bool { return d.files[i].Path < d.files[j].Path })
	return d.files, d.problems, nil
}

type discoverer struct {
	wd       string
	opt      DiscoverOptions
	seen     map[string]bool
	files    []*File
	problems []Problem
	// The files the walk finds are examined (read and classified) on
	// every core while the walk goes on: queue carries them, numbered in
	// walk order, to the workers; each worker keeps what it examined in
	// done[worker], and finishExamining puts it back in walk order.
	queue  chan queued
	nQueue int // files queued so far: the next one's number
	done   [][]numbered
	wg     sync.WaitGroup
}

type queued struct {
	n int
	c candidate
}

type numbered struct {
	n int
	e examined
}

// candidate is a file found by the walk.
type candidate struct {
	abs, root string
	explicit  bool
}

// examined is what examining one candidate gave: a file to lint, or
// problems, or neither.
type examined struct {
	file     *File
	problems []Problem
}

// startExamining starts the workers that read and classify the files
// the walk queues, each with its own buffer, so that reading overlaps the
// walk instead of waiting for its end (a small gain on a tree of 54,000
// files: 7.29 -> 7.16 s on two cores).
func (d *discoverer) startExamining() {
	workers := runtime.GOMAXPROCS(0)
	d.queue = make(chan queued, 256)
	d.done = make([][]numbered, workers)
	for w := range workers {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			head := make([]byte, sniffHead)
			for q := range d.queue {
				d.done[w] = append(d.done[w], numbered{q.n, d.examine(q.c.abs, q.c.root, q.c.explicit, head)})
			}
		}()
	}
}

// finishExamining waits for the workers and appends what they found in
// walk order, after the problems of the walk itself, as a walk followed
// by examining every file in turn would.
func (d *discoverer) finishExamining() {
	close(d.queue)
	d.wg.Wait()
	out := make([]examined, d.nQueue)
	for _, list := range d.done {
		for _, x := range list {
			out[x.n] = x.e
		}
	}
	d.done = nil
	for _, e := range out {
		d.problems = append(d.problems, e.problems...)
		if e.file != nil {
			d.files = append(d.files, e.file)
		}
	}
}

// RelPath renders abs relative to wd with forward slashes, or abs itself when
// it lies outside wd.
func RelPath(wd, abs string) string {
	if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

func (d *discoverer) ignored(rel string) bool {
	if d.opt.IgnoreBase != "" && len(d.opt.Ignore) > 0 {
		abs := rel
		if !filepath.IsAbs(filepath.FromSlash(abs)) {
			abs = filepath.Join(d.wd, filepath.FromSlash(rel))
		}
		r, err := filepath.Rel(d.opt.IgnoreBase, abs)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return false // outside the configuration's directory
		}
		rel = filepath.ToSlash(r)
	}
	for _, g := range d.opt.Ignore {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
		// A pattern naming a directory ignores everything below it.
		if ok, _ := doublestar.Match(strings.TrimSuffix(g, "/")+"/**", rel); ok {
			return true
		}
	}
	return false
}

func (d *discoverer) walk(p string) error {
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(d.wd, p)
	}
	abs = filepath.Clean(abs)
	info, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: no such file or directory", p)
		}
		return err
	}
	if !info.IsDir() {
		// A file named explicitly is linted even if its name is unusual,
		// as long as its content is of a known format.
		d.add(abs, filepath.Dir(abs), true)
		return nil
	}
	root := abs
	if chart := chartOwning(filepath.Join(abs, "-"), abs, d.wd); chart != "" {
		// A chart's templates/ directory alone: its files are not YAML
		// before helm renders them, and it has no Chart.yaml of its own.
		d.problems = append(d.problems, Problem{Kind: ProblemSkipped, Range: Range{File: RelPath(d.wd, abs)}, Message: chartPartMessage("directory holds templates of", RelPath(d.wd, chart), "them")})
		return nil
	}
	// A root that is itself a symlink to a directory (a checkout under a
	// linked home, macOS's /tmp) is walked through the link, under the
	// name it was given: WalkDir does not follow a link it starts on.
	walkRoot := abs
	if li, err := os.Lstat(abs); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		walkRoot = abs + string(filepath.Separator)
	}
	// What a link inside the root resolves to is compared with the root
	// resolved too (it may be reached through a link).
	realRoot := RealPath(root)
	return filepath.WalkDir(walkRoot, func(path string, e fs.DirEntry, err error) error {
		if path == walkRoot {
			path = root
		}
		if err != nil {
			rel := RelPath(d.wd, path)
			d.problems = append(d.problems, Problem{Kind: ProblemParse, Range: Range{File: rel}, Message: "cannot read: " + unwrapPathError(err)})
			if e != nil && e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel := RelPath(d.wd, path)
		if e.IsDir() {
			if path != root && (skipDirs[e.Name()] || d.ignored(rel)) {
				return fs.SkipDir
			}
			return nil
		}
		if d.ignored(rel) {
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 && !symlinkInside(realRoot, path) || e.Type()&fs.ModeSymlink == 0 && !e.Type().IsRegular() {
			return nil
		}
		d.add(path, root, false)
		return nil
	})
}

// symlinkInside reports whether a symlinked file resolves to a regular file
// inside realRoot (the root with symlinks resolved). A link out of the
// root, a dangling link and a link to a directory are all skipped: WalkDir
// never descends into linked directories.
func symlinkInside(realRoot, path string) bool {
	target, err := filepath.EvalSymlinks(path)
	if err != nil || !Within(realRoot, target) {
		return false
	}
	st, err := os.Stat(target)
	return err == nil && st.Mode().IsRegular()
}

// add queues a file the walk found, once, for the examining workers.
func (d *discoverer) add(abs, root string, explicit bool) {
	if d.seen[abs] {
		return
	}
	d.seen[abs] = true
	d.queue <- queued{d.nQueue, candidate{abs, root, explicit}}
	d.nQueue++
}

// examine reads and classifies one file. It runs on several goroutines at
// once: it reads only the discoverer's settings, and head is its own.
func (d *discoverer) examine(abs, root string, explicit bool, head []byte) (out examined) {
	rel := RelPath(d.wd, abs)
	if !explicit && Classify(rel, nil) == "" && !maybeConfigName(rel) {
		// A name that leaves the format open (sites-available/example,
		// app.vhost) is decided by a bounded prefix of its content, so
		// that the rest of a large or binary file is never read.
		if !ContentCandidate(rel) || !headLooksLikeConfig(abs, head) {
			return out
		}
	}
	data, err := readCapped(abs)
	if err != nil {
		out.problems = append(out.problems, Problem{Kind: ProblemParse, Range: Range{File: rel}, Message: err.Error()})
		return out
	}
	if byName := Classify(rel, nil); (byName != "" || explicit) && looksBinary(data) {
		out.problems = append(out.problems, binaryProblem(rel))
		return out
	}
	data = stripBOM(data)
	if explicit {
		if chart := chartOwning(abs, root, d.wd); chart != "" {
			// A template or values file of a chart means nothing alone
			// (a template is not YAML before helm renders it): say how to
			// lint it rather than "not recognised" or nothing at all.
			out.problems = append(out.problems, Problem{Kind: ProblemSkipped, Range: Range{File: rel, Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}},
				Message: chartPartMessage("file belongs to", RelPath(d.wd, chart), "this file")})
			return out
		}
	}
	var format Format
	if explicit {
		format = ClassifyExplicit(rel, data)
	} else {
		format = Classify(rel, data)
	}
	if format == "" {
		if explicit {
			// Named on the command line, so the user expects it linted:
			// say once that it was not, rather than guess a format.
			out.problems = append(out.problems, Problem{Kind: ProblemSkipped, Range: Range{File: rel, Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}},
				Message: "hoplint does not recognise this file as nginx, Apache httpd, Terraform, Kubernetes or OpenAPI configuration, so it did not lint it"})
		}
		return out
	}
	out.file = newDiskFile(rel, abs, root, format, data)
	return out
}

// maybeConfigName is the cheap name test done before a file is read, so that
// images and archives in a repository are never opened.
func maybeConfigName(p string) bool {
	if filepath.Base(p) == "Kustomization" {
		return true
	}
	base := strings.ToLower(filepath.Base(p))
	for _, ext := range []string{".conf", ".conf.in", ".yaml", ".yml", ".json", ".tf", ".tfvars", ".template"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	if strings.HasPrefix(base, "nginx.conf.") {
		return true // nginx.conf.example, nginx.conf.default
	}
	if strings.HasSuffix(base, ".lua") && strings.Contains("/"+strings.ToLower(filepath.ToSlash(filepath.Dir(p)))+"/", "/templates/") {
		return true // Kong's nginx templates
	}
	if !strings.Contains(base, ".") {
		dir := "/" + strings.ToLower(filepath.ToSlash(filepath.Dir(p))) + "/"
		return strings.Contains(dir, "/sites-enabled/") || strings.Contains(dir, "/sites-available/") || strings.Contains(dir, "/conf.d/")
	}
	return false
}

// sniffHead is how much of a file with an uninformative name is read to
// decide its format: enough for the first screens of a virtual host, and
// a fixed cost however large the file is. The first sniffFirst bytes are
// read alone, since most such files (scripts, binaries, prose) are
// rejected on them.
const (
	sniffHead  = 8 << 10
	sniffFirst = 512
)

// headLooksLikeConfig reads at most sniffHead bytes of abs and reports
// whether they are nginx or Apache on strong evidence. Binary content, a
// script (#!) and an unreadable or special file say no at once. Discovery
// walks on one goroutine, so one buffer serves every file.
func headLooksLikeConfig(abs string, buf []byte) bool {
	st, err := os.Stat(abs)
	if err != nil || !st.Mode().IsRegular() || st.Size() == 0 || st.Size() > MaxFileSize {
		return false // a FIFO would block the open; an empty file says nothing
	}
	if st.Mode().Perm()&0o111 != 0 && runtime.GOOS != "windows" {
		return false // an executable (bin/deploy, a compiled tool) is no configuration
	}
	f, err := os.Open(abs)
	if err != nil {
		return false
	}
	defer f.Close()
	n, _ := io.ReadFull(f, buf[:sniffFirst])
	if n == 0 || bytes.HasPrefix(buf, []byte("#!")) || bytes.IndexByte(buf[:n], 0) >= 0 || !bytes.ContainsAny(buf[:n], ";{") && n == sniffFirst && !bytes.Contains(buf[:n], []byte("#")) {
		// Empty, a script, binary, or a first screen of neither
		// statements nor comments (prose, data): not configuration.
		return false
	}
	if n == sniffFirst {
		m, _ := io.ReadFull(f, buf[n:])
		n += m
	}
	head := buf[:n]
	if n == sniffHead {
		// Cut at the last full line, so that a statement split by the
		// bound is not counted against the file.
		if i := bytes.LastIndexByte(head, '\n'); i > 0 {
			head = head[:i+1]
		}
	}
	return strongFormat(sniff(stripBOM(head))) != ""
}

func readCapped(abs string) ([]byte, error) {
	// Opening a FIFO blocks until something writes to it, which in CI is
	// never: where openStat cannot open without waiting (statBeforeOpen),
	// stat first.
	if statBeforeOpen {
		if err := checkRegular(abs); err != nil {
			return nil, err
		}
	}
	f, kind, size, err := openStat(abs)
	if err != nil {
		if err := checkRegular(abs); err != nil {
			return nil, err // what it is says more (a socket cannot be opened)
		}
		return nil, errors.New("cannot read: " + unwrapPathError(err))
	}
	defer func() { _ = f.Close() }()
	// Checked again on the open file: the path may have been replaced.
	switch {
	case kind == kindDir:
		return nil, errors.New("is a directory")
	case kind != kindRegular:
		return nil, errNotRegular
	case size > MaxFileSize:
		return nil, fmt.Errorf("file is %d bytes, over hoplint's limit of %d; not read", size, MaxFileSize)
	}
	// Read straight into a buffer of the size stat gave (one byte more, so
	// that a file that grew meanwhile is noticed without a second buffer):
	// a 32 KiB scratch buffer per file was most of what a tree of 50,000
	// small manifests allocated.
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if len(data) > MaxFileSize {
			return nil, fmt.Errorf("file is over hoplint's limit of %d bytes; not read", MaxFileSize)
		}
		if err != nil {
			break
		}
	}
	return data, nil
}

// readHandle is a file open for reading (see openStat).
type readHandle interface {
	io.Reader
	io.Closer
}

// fileKind is what an open file is, as far as reading it goes.
type fileKind uint8

const (
	kindOther fileKind = iota // FIFO, socket, device
	kindRegular
	kindDir
)

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Within reports whether path lies inside root (or is root), after both are
// cleaned. Symlinks are not resolved here; callers that follow links resolve
// them first.
func Within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}

// RealPath is p with symlinks resolved, or p itself when it cannot be
// resolved (it does not exist, or a link in it is dangling).
func RealPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// ReadWithin reads a file that a configuration refers to (an include, a
// module source), refusing anything outside root, following symlinks only
// when their target is inside root too.
func ReadWithin(root, abs string) ([]byte, error) {
	abs = filepath.Clean(abs)
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		realRoot = root
	}
	// abs may name the root as given or in its resolved form (a root
	// reached through a symlink); what it resolves to must be inside.
	if !Within(root, abs) && !Within(realRoot, abs) {
		return nil, ErrOutsideRoot
	}
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, errors.New(unwrapPathError(err))
	}
	if !Within(realRoot, target) {
		return nil, ErrOutsideRoot
	}
	return readCapped(target)
}

// ErrOutsideRoot is returned for a path that escapes the linted root.
var ErrOutsideRoot = errors.New("outside the linted root")

// chartOwning returns the directory of the Helm chart (inside root) that
// file abs is a template (under templates/) or a values file (values*.yaml
// beside Chart.yaml) of; "" for any other file, Chart.yaml included.
//
// A file named on the command line has its own directory as root, so the
// chart is looked for up to the working directory too: only whether a
// Chart.yaml exists there is read.
func chartOwning(abs, root, wd string) string {
	dir := filepath.Dir(abs)
	base := strings.ToLower(filepath.Base(abs))
	if strings.HasPrefix(base, "values") && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")) && isFile(filepath.Join(dir, "Chart.yaml")) {
		return dir
	}
	inside := func(p string) bool { return Within(root, p) || Within(wd, p) }
	for d := dir; inside(d); d = filepath.Dir(d) {
		if filepath.Base(d) == "templates" && inside(filepath.Dir(d)) && isFile(filepath.Join(filepath.Dir(d), "Chart.yaml")) {
			return filepath.Dir(d)
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	return ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// chartPartMessage says that a part of the chart in dir (relative to the
// working directory) was named alone, and how to lint it.
func chartPartMessage(what, dir, it string) string {
	in := "in " + dir
	if dir == "." {
		in = "in the current directory"
	}
	return "this " + what + " the Helm chart " + in + ", which hoplint lints only as a whole (helm template renders its templates with its values), so it did not lint " + it + " on its own. Lint the chart's directory instead (hoplint " + dir + ")"
}
