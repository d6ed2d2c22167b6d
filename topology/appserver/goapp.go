package appserver

import (
	"fmt"
	"path"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/app/goserver"
	"github.com/hoplint/hoplint/topology/setting"
)

// Where Go's net/http behaviour is written (docs/facts/go.md).
const goServerDoc = "https://pkg.go.dev/net/http#Server"

// Bounds on how much of a Go program is read.
const (
	maxGoPackages = 300
	maxGoFiles    = 3000
)

// goModule is a Go module of the repository: its directory and path.
type goModule struct{ dir, path string }

// goModuleOf returns the module a process's Go program is in: the one
// whose directory is the build context or holds it, else the repository's
// only module (an assumption the notes say).
func (r *resolver) goModuleOf() (goModule, bool) {
	v := r.p.Files
	if v == nil {
		return goModule{}, false
	}
	mods := v.GoModules()
	if c := r.p.Context; c != "" {
		c = path.Clean(c)
		best := goModule{}
		for _, m := range mods {
			// The context is the module, or inside it (a Dockerfile in
			// cmd/api with the module's root as its context is written
			// the other way round and also accepted).
			if within(m, c) || within(c, m) {
				if f, err := v.Read(path.Join(m, "go.mod")); err == nil && len(m) > len(best.dir) {
					best = goModule{dir: m, path: goModulePath(f)}
				}
			}
		}
		return best, best.path != ""
	}
	if len(mods) != 1 {
		return goModule{}, false
	}
	f, err := v.Read(path.Join(mods[0], "go.mod"))
	if err != nil {
		return goModule{}, false
	}
	return goModule{dir: mods[0], path: goModulePath(f)}, true
}

// goProgram identifies a Go program by the binary a command runs
// (/usr/bin/miniflux, ./server) or `go run PKG`: a main package of the
// module named like the binary (cmd/NAME, a directory NAME, the module's
// last path element), else, inside a build context, its only main
// package. ok is false when no Go program of the repository matches.
func (r *resolver) goProgram(ws []Word) (Info, bool) {
	mod, ok := r.goModuleOf()
	if !ok {
		return Info{}, false
	}
	var pkg string
	if baseName(ws[0].Text) == "go" {
		if len(ws) < 3 || ws[1].Text != "run" {
			return Info{}, false
		}
		arg := ""
		for _, w := range ws[2:] {
			if !strings.HasPrefix(w.Text, "-") {
				arg = w.Text
				break
			}
		}
		if arg == "" || strings.HasSuffix(arg, ".go") {
			arg = "."
		}
		pkg = path.Join(mod.dir, strings.TrimSuffix(arg, "/..."))
		if !r.isMainPackage(pkg) {
			return Info{}, false
		}
	} else {
		name := baseName(ws[0].Text)
		if name == "" || strings.ContainsAny(name, "$`=") {
			return Info{}, false
		}
		mains := r.mainPackages(mod)
		for _, m := range mains {
			if path.Base(m) == name || m == mod.dir && lastElem(mod.path) == name {
				pkg = m
				break
			}
		}
		if pkg == "" && r.p.Context != "" && len(mains) == 1 {
			pkg = mains[0]
			r.note(fmt.Sprintf("assuming %s is built from %s, the only main package of the build context's module", ws[0].Text, pkg))
		}
		if pkg == "" {
			return Info{}, false
		}
		if r.p.Context == "" {
			r.note(fmt.Sprintf("assuming %s is built from %s of this repository (the image is not built here)", ws[0].Text, pkg))
		}
	}
	return r.goApp(mod, pkg), true
}

// lastElem is the last element of a module path that is not a major
// version suffix (miniflux.app/v2 → miniflux.app).
func lastElem(mp string) string {
	parts := strings.Split(mp, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		if len(p) > 1 && p[0] == 'v' && strings.Trim(p[1:], "0123456789") == "" {
			continue
		}
		if i == 0 {
			// miniflux.app → miniflux
			if j := strings.IndexByte(p, '.'); j > 0 {
				return p[:j]
			}
		}
		return p
	}
	return ""
}

// goFiles returns the non-test Go files of a package directory.
func (r *resolver) goFiles(dir string) []*parsers.File {
	var out []*parsers.File
	for _, name := range r.p.Files.List(dir) {
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if f, err := r.readSoft(path.Join(dir, name)); err == nil {
			out = append(out, f)
		}
	}
	return out
}

func (r *resolver) isMainPackage(dir string) bool {
	for _, f := range r.goFiles(dir) {
		if h, ok := goserver.Header(f); ok {
			return h.Package == "main"
		}
	}
	return false
}

// mainPackages lists the main packages of a module: its root and the
// directories below cmd/ (where Go programs keep them), two levels deep.
func (r *resolver) mainPackages(mod goModule) []string {
	v := r.p.Files
	v.mu.Lock()
	out, ok := v.mains[mod.dir]
	v.mu.Unlock()
	if ok {
		return out
	}
	out = r.findMainPackages(mod)
	v.mu.Lock()
	v.mains[mod.dir] = out
	v.mu.Unlock()
	return out
}

func (r *resolver) findMainPackages(mod goModule) []string {
	var out []string
	if r.isMainPackage(mod.dir) {
		out = append(out, mod.dir)
	}
	cmd := path.Join(mod.dir, "cmd")
	if !r.p.Files.IsDir(cmd) {
		return out
	}
	for _, sub := range r.p.Files.Dirs(cmd) {
		d := path.Join(cmd, sub)
		if r.isMainPackage(d) {
			out = append(out, d)
		}
	}
	return out
}

// goApp reads the servers of a main package and the packages of its
// module it imports, and the keep-alive of the one it serves on.
func (r *resolver) goApp(mod goModule, main string) Info {
	info := Info{Label: "Go program", KeepAlive: setting.Duration{Name: "IdleTimeout"}}
	type pkgRead struct {
		dir   string
		files []*parsers.File
		res   *goserver.Result
	}
	var pkgs []pkgRead
	// every package's files, for the option tables accessors read
	var all [][]*parsers.File
	seen := map[string]bool{main: true}
	queue := []string{main}
	nfiles := 0
	for len(queue) > 0 && len(pkgs) < maxGoPackages && nfiles < maxGoFiles {
		dir := queue[0]
		queue = queue[1:]
		files := r.goFiles(dir)
		nfiles += len(files)
		all = append(all, files)
		var interesting []*parsers.File
		for _, f := range files {
			h, ok := goserver.Header(f)
			if !ok {
				continue
			}
			for _, im := range h.Imports {
				if rest, ok := strings.CutPrefix(im, mod.path+"/"); ok {
					d := path.Join(mod.dir, rest)
					if !seen[d] {
						seen[d] = true
						queue = append(queue, d)
					}
				}
			}
			if goserver.Interesting(f.Bytes()) {
				interesting = append(interesting, f)
			}
		}
		if len(interesting) == 0 {
			continue
		}
		res, probs := r.p.Files.Go(dir, files)
		r.problems = append(r.problems, probs...)
		pkgs = append(pkgs, pkgRead{dir, files, res})
	}
	var kas []setting.Duration
	var at []parsers.Range
	for _, p := range pkgs {
		for _, s := range p.res.Servers {
			ka := r.goKeepAlive(s, all)
			kas = append(kas, ka)
			at = append(at, s.Range)
		}
	}
	if len(kas) == 0 {
		return info
	}
	for _, k := range kas[1:] {
		if !sameDuration(k, kas[0]) {
			r.note("the program starts more than one HTTP server with different idle timeouts; hoplint cannot tell which one the traffic reaches")
			return info
		}
	}
	for _, a := range at {
		if f, err := r.read(a.File); err == nil {
			r.sources = append(r.sources, f)
		}
	}
	info.Label = "Go net/http server"
	info.KeepAlive = kas[0]
	return info
}

// goKeepAlive is how long a Go server keeps an idle connection: IdleTimeout,
// else ReadTimeout when IdleTimeout is zero, else no limit
// (docs/facts/go.md).
func (r *resolver) goKeepAlive(s *goserver.Server, pkgs [][]*parsers.File) setting.Duration {
	src := &setting.DefaultSource{Product: "Go net/http", Version: "Go 1.8 and later", URL: goServerDoc}
	switch s.Kind {
	case goserver.KindListenAndServe, goserver.KindGinRun:
		d := setting.DefaultFor("IdleTimeout", setting.Forever, s.Range, src)
		d.Note = "http.ListenAndServe runs a server with no timeouts"
		return d
	}
	idle, idleOK := r.goDuration(s.Setting("IdleTimeout"), pkgs)
	if !idleOK {
		return setting.Duration{Name: "IdleTimeout", Range: s.Range}
	}
	if idle.Prov == setting.Set && idle.Value > 0 {
		return idle
	}
	read, readOK := r.goDuration(s.Setting("ReadTimeout"), pkgs)
	if !readOK {
		return setting.Duration{Name: "IdleTimeout", Range: s.Range}
	}
	if read.Prov == setting.Set && read.Value > 0 {
		read.Name = "ReadTimeout (used as the idle timeout: IdleTimeout is zero)"
		return read
	}
	d := setting.DefaultFor("IdleTimeout", setting.Forever, s.Range, src)
	d.Note = "with IdleTimeout and ReadTimeout zero, the server keeps idle connections without limit"
	return d
}

// goDuration is a server field's value; a nil field is zero. An accessor
// call is followed to its option table (goserver.OptionDefault) and the
// container's environment. ok is false when the value is unknown.
func (r *resolver) goDuration(set *goserver.Setting, pkgs [][]*parsers.File) (setting.Duration, bool) {
	if set == nil {
		return setting.Duration{}, true
	}
	v := set.Value
	switch {
	case v.Kind == goserver.Duration:
		if v.Duration < 0 {
			return setting.Duration{}, true // negative: no timeout
		}
		return setting.SetAt(set.Name, v.Duration, set.Range), true
	case v.Kind == goserver.Int && v.Int == 0:
		return setting.Duration{}, true
	case v.Kind == goserver.Unknown && v.Call != "":
		for _, files := range pkgs {
			opt := goserver.OptionDefault(files, v.Call)
			if opt == nil || opt.Default.Kind != goserver.Duration {
				continue
			}
			if _, set := r.p.Env[opt.Key]; set {
				// The program parses the variable its own way; hoplint
				// does not guess the unit.
				return setting.Duration{}, false
			}
			d := setting.SetAt(set.Name, opt.Default.Duration, opt.Default.Range)
			d.Via = append(d.Via, parsers.Related{Range: set.Range, Message: fmt.Sprintf("%s is %s() here", set.Name, v.Call)})
			d.Note = fmt.Sprintf("assuming %s is not set (a Secret, the image's ENV), so the program's default %s applies", opt.Key, setting.FormatDuration(opt.Default.Duration))
			return d, true
		}
	}
	return setting.Duration{}, false
}
