package appserver

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/app/goserver"
	"github.com/hoplint/hoplint/parsers/app/node"
)

// Files is a read-only view of the linted tree, through which an
// application's source, scripts and config files are read. Paths are slash
// paths relative to the working directory, like parsers.File.Path. Nothing
// outside the root is read: not through "..", not through a symlink whose
// target lies outside; files over MaxSourceSize are not read; directories
// that hold dependencies or VCS data (node_modules, vendor, .git) are never
// walked. It is safe for concurrent use, and each file is read and parsed
// once however many containers run it.
type Files struct {
	root, workDir string

	mu    sync.Mutex
	files map[string]*readFile
	node  map[string]*nodeFile
	goPkg map[string]*goPackage
	seen  map[string]bool
	mains map[string][]string // Go module directory → its main packages
	apps  map[string][]string // runtime → application directories
}

// MaxSourceSize caps a file read for an application's settings. Source
// files are capped lower by their parsers (parsers/app/node.MaxSize).
const MaxSourceSize = 4 << 20

// maxWalk bounds the entries a walk for applications looks at: a tree
// larger than that is not searched for "the one application" at all.
const maxWalk = 200_000

type readFile struct {
	f   *parsers.File
	err error
}

type nodeFile struct {
	res      *node.Result
	reported bool
}

// NewFiles returns the view of the tree under root (an absolute
// directory); paths are relative to workDir.
func NewFiles(root, workDir string) *Files {
	return &Files{root: filepath.Clean(root), workDir: workDir, files: map[string]*readFile{},
		node: map[string]*nodeFile{}, goPkg: map[string]*goPackage{}, seen: map[string]bool{}, mains: map[string][]string{}, apps: map[string][]string{}}
}

// abs turns a slash path relative to the working directory into an
// absolute path, or "" when it is not inside the root.
func (v *Files) abs(rel string) string {
	if rel == "" || strings.ContainsRune(rel, 0) {
		return ""
	}
	p := filepath.FromSlash(rel)
	if !filepath.IsAbs(p) {
		p = filepath.Join(v.workDir, p)
	}
	p = filepath.Clean(p)
	if !parsers.Within(v.root, p) {
		return ""
	}
	return p
}

// rel is the inverse of abs.
func (v *Files) rel(abs string) string { return parsers.RelPath(v.workDir, abs) }

// Read returns the file at rel, read once; an error when it does not
// exist, lies outside the root (itself or through a symlink), is not a
// regular file, or is larger than MaxSourceSize.
func (v *Files) Read(rel string) (*parsers.File, error) {
	if v == nil {
		return nil, errors.New("no files")
	}
	rel = path.Clean(rel)
	v.mu.Lock()
	defer v.mu.Unlock()
	if r, ok := v.files[rel]; ok {
		return r.f, r.err
	}
	r := &readFile{}
	v.files[rel] = r
	abs := v.abs(rel)
	if abs == "" {
		r.err = parsers.ErrOutsideRoot
		return nil, r.err
	}
	if st, err := os.Lstat(abs); err == nil && st.Mode().IsRegular() && st.Size() > MaxSourceSize {
		r.err = &TooLargeError{Path: v.rel(abs), Size: st.Size()}
		return nil, r.err
	}
	data, err := parsers.ReadWithin(v.root, abs)
	if err != nil {
		r.err = err
		return nil, err
	}
	if len(data) > MaxSourceSize {
		r.err = &TooLargeError{Path: v.rel(abs), Size: int64(len(data))}
		return nil, r.err
	}
	r.f = parsers.NewFile(v.rel(abs), abs, v.root, "", data)
	return r.f, nil
}

// Exists reports whether rel is a regular file inside the root.
func (v *Files) Exists(rel string) bool {
	abs := v.abs(rel)
	if abs == "" {
		return false
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil || !parsers.Within(parsers.RealPath(v.root), real) {
		return false
	}
	st, err := os.Stat(real)
	return err == nil && st.Mode().IsRegular()
}

// IsDir reports whether rel is a directory inside the root.
func (v *Files) IsDir(rel string) bool {
	abs := v.abs(rel)
	if abs == "" {
		return false
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil || !parsers.Within(parsers.RealPath(v.root), real) {
		return false
	}
	st, err := os.Stat(real)
	return err == nil && st.IsDir()
}

// Node parses a JavaScript or TypeScript file once. Its problems are
// handed out the first time only, so that a file two containers run is
// reported once.
func (v *Files) Node(f *parsers.File) (*node.Result, []parsers.Problem) {
	v.mu.Lock()
	nf, ok := v.node[f.Path]
	v.mu.Unlock()
	if !ok {
		nf = &nodeFile{res: node.ParseModule(f)}
		v.mu.Lock()
		if prev, dup := v.node[f.Path]; dup {
			nf = prev
		} else {
			v.node[f.Path] = nf
		}
		v.mu.Unlock()
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if nf.reported {
		return nf.res, nil
	}
	nf.reported = true
	return nf.res, nf.res.Problems
}

// once reports whether key is seen for the first time: problems of a file
// many processes read are reported once.
func (v *Files) once(key string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.seen[key] {
		return false
	}
	v.seen[key] = true
	return true
}

type goPackage struct {
	res      *goserver.Result
	reported bool
}

// Go parses the Go files of one package directory once, with
// parsers/app/goserver. Its problems are handed out the first time only.
func (v *Files) Go(dir string, files []*parsers.File) (*goserver.Result, []parsers.Problem) {
	v.mu.Lock()
	gp, ok := v.goPkg[dir]
	v.mu.Unlock()
	if !ok {
		gp = &goPackage{res: goserver.Parse(files)}
		v.mu.Lock()
		if prev, dup := v.goPkg[dir]; dup {
			gp = prev
		} else {
			v.goPkg[dir] = gp
		}
		v.mu.Unlock()
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if gp.reported {
		return gp.res, nil
	}
	gp.reported = true
	return gp.res, gp.res.Problems
}

// Dirs returns the names of the subdirectories of rel (inside the root),
// sorted; symlinked directories are left out.
func (v *Files) Dirs(rel string) []string {
	if !v.IsDir(rel) {
		return nil
	}
	real, err := filepath.EvalSymlinks(v.abs(rel))
	if err != nil {
		return nil
	}
	ents, err := os.ReadDir(real)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
		if len(out) >= maxList {
			break
		}
	}
	return out
}

// skipWalk are directories an application is never looked for in:
// dependencies, VCS data, build output and test fixtures.
var skipWalk = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "vendor": true, ".terraform": true,
	"dist": true, "build": true, "coverage": true, "testdata": true, "fixtures": true, "__fixtures__": true,
	"examples": true, "example": true, "e2e": true, "test": true, "tests": true, "__tests__": true,
	"docs": true, "website": true,
}

// NodeApps returns the directories under the root that hold a Node.js
// application: a package.json with a start script or a dependency on an
// HTTP server framework. The walk is bounded; a tree too large to walk
// gives none.
func (v *Files) NodeApps() []string {
	return v.findApps("node", "package.json", func(f *parsers.File) bool {
		pkg := readPackageJSON(f)
		return pkg != nil && pkg.isServerApp()
	})
}

// GoModules returns the directories under the root that hold a go.mod.
func (v *Files) GoModules() []string {
	return v.findApps("go", "go.mod", func(f *parsers.File) bool { return goModulePath(f) != "" })
}

// findApps walks the root once per kind for files called marker that accept
// says make an application, and returns their directories.
func (v *Files) findApps(kind, marker string, accept func(*parsers.File) bool) []string {
	v.mu.Lock()
	if apps, ok := v.apps[kind]; ok {
		v.mu.Unlock()
		return apps
	}
	v.mu.Unlock()
	var apps []string
	n := 0
	tooLarge := false
	_ = filepath.WalkDir(v.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil //nolint:nilerr // an unreadable directory is skipped, as discovery does
		}
		n++
		if n > maxWalk {
			tooLarge = true
			return filepath.SkipAll
		}
		if d.IsDir() {
			if p != v.root && (skipWalk[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() != marker || !d.Type().IsRegular() {
			return nil
		}
		rel := v.rel(p)
		f, err := v.Read(rel)
		if err != nil {
			return nil //nolint:nilerr // not an application hoplint can read
		}
		if accept(f) {
			apps = append(apps, path.Dir(rel))
		}
		return nil
	})
	if tooLarge {
		apps = nil
	}
	sort.Strings(apps)
	v.mu.Lock()
	v.apps[kind] = apps
	v.mu.Unlock()
	return apps
}

// maxList bounds the entries of one directory that List returns.
const maxList = 5000

// List returns the names of the regular files in directory rel (inside the
// root), sorted; none when it is not such a directory.
func (v *Files) List(rel string) []string {
	if !v.IsDir(rel) {
		return nil
	}
	real, err := filepath.EvalSymlinks(v.abs(rel))
	if err != nil {
		return nil
	}
	ents, err := os.ReadDir(real)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			out = append(out, e.Name())
		}
		if len(out) >= maxList {
			break
		}
	}
	return out
}

// goModulePath reads the module path of a go.mod: its module line.
func goModulePath(f *parsers.File) string {
	for i := 1; i <= f.NumLines() && i <= 200; i++ {
		line := strings.TrimSpace(f.Line(i))
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// packageJSON is what hoplint reads of a package.json.
type packageJSON struct {
	file            *parsers.File
	Main            string            `json:"main"`
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Engines         map[string]string `json:"engines"`
}

func readPackageJSON(f *parsers.File) *packageJSON {
	var p packageJSON
	if err := json.Unmarshal(f.Bytes(), &p); err != nil {
		return nil
	}
	p.file = f
	return &p
}

// serverFrameworks are the packages whose presence makes a package.json an
// HTTP application.
var serverFrameworks = []string{"express", "fastify", "koa", "@nestjs/core", "@hapi/hapi", "next"}

func (p *packageJSON) isServerApp() bool {
	if _, ok := p.Scripts["start"]; ok {
		return true
	}
	for _, d := range serverFrameworks {
		if _, ok := p.Dependencies[d]; ok {
			return true
		}
	}
	return false
}

// scriptRange is the range of the value of scripts[name] in package.json,
// found by a search for the key in the text (JSON has no other way to keep
// positions with encoding/json); the file's first line when not found.
func (p *packageJSON) scriptRange(name string) parsers.Range {
	data := p.file.Bytes()
	key := []byte(`"` + name + `"`)
	scripts := strings.Index(string(data), `"scripts"`)
	if scripts < 0 {
		return p.file.At(1, 1, 1, 1)
	}
	i := strings.Index(string(data[scripts:]), string(key))
	if i < 0 {
		return p.file.At(1, 1, 1, 1)
	}
	off := scripts + i
	pos := p.file.PosAt(off)
	end := off
	for end < len(data) && data[end] != '\n' {
		end++
	}
	e := p.file.PosAt(end)
	return p.file.At(pos.Line, pos.Col, e.Line, e.Col)
}
