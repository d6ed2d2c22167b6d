package apache

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// expand lists the files an include pattern (absolute, cleaned) names, in
// the order httpd reads them: wildcards may appear in any path component
// and match names in alphabetical order, a leading "." only explicitly
// (APR_FNM_PERIOD); a matched directory contributes every file below it,
// in alphabetical order, dot files included. matched is false when nothing
// exists for the pattern.
func (r *reader) expand(pattern string) (files []string, matched bool) {
	root := r.cfg.File.Root
	if !hasWildcard(pattern) {
		st, err := os.Stat(pattern)
		if err != nil {
			return nil, false
		}
		if !parsers.Within(root, pattern) {
			return nil, false
		}
		if st.IsDir() {
			return r.walkDir(pattern), true
		}
		return []string{pattern}, true
	}
	parts := strings.Split(filepath.ToSlash(pattern), "/")
	// The part before the first wildcard is a plain directory.
	i := 0
	for i < len(parts) && !hasWildcard(parts[i]) {
		i++
	}
	base := "/" + path.Join(parts[:i]...)
	if filepath.VolumeName(pattern) != "" {
		base = filepath.VolumeName(pattern) + base
	}
	base = filepath.FromSlash(base)
	var out []string
	var walk func(dir string, rest []string)
	walk = func(dir string, rest []string) {
		if len(out) > MaxFiles || !parsers.Within(root, dir) {
			return
		}
		names := r.list(dir)
		pat := rest[0]
		for _, n := range names {
			if !fnmatch(pat, n) {
				continue
			}
			p := filepath.Join(dir, n)
			st, err := os.Stat(p)
			if err != nil {
				continue
			}
			if len(rest) > 1 {
				if st.IsDir() {
					walk(p, rest[1:])
				}
				continue
			}
			if st.IsDir() {
				out = append(out, r.walkDir(p)...)
			} else {
				out = append(out, p)
			}
		}
	}
	walk(base, parts[i:])
	return out, len(out) > 0
}

// list returns the entry names of dir sorted, or nil when it cannot be read
// or resolves outside the root.
func (r *reader) list(dir string) []string {
	if !r.mayList(dir) {
		return nil
	}
	root := r.cfg.File.Root
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		realRoot = root
	}
	if !parsers.Within(realRoot, real) {
		return nil
	}
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// walkDir returns every file under dir, alphabetically, recursing into
// subdirectories as httpd does for an included directory. Each directory
// is entered once, by its resolved path: two symlinks pointing at each
// other's parent would otherwise make the walk exponential.
func (r *reader) walkDir(dir string) []string {
	var out []string
	visited := map[string]bool{}
	var path []string // resolved directories being walked, outermost first
	var rec func(d string, depth int)
	rec = func(d string, depth int) {
		if depth > 32 || len(out) > MaxFiles {
			return
		}
		real, first := firstVisit(visited, d)
		if !first {
			r.symlinkLoop(dir, d, real, path)
			return
		}
		path = append(path, real)
		defer func() { path = path[:len(path)-1] }()
		for _, n := range r.list(d) {
			p := filepath.Join(d, n)
			st, err := os.Stat(p)
			if err != nil {
				continue
			}
			if st.IsDir() {
				rec(p, depth+1)
			} else {
				out = append(out, p)
			}
		}
	}
	rec(dir, 0)
	return out
}

// fnmatch is apr_fnmatch with APR_FNM_PERIOD: a leading dot must be
// matched by a literal dot.
func fnmatch(pattern, name string) bool {
	if strings.HasPrefix(name, ".") && !strings.HasPrefix(pattern, ".") {
		return false
	}
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

// matchVersion evaluates <IfVersion [[!]op] version> against v. known is
// false when v is unknown and the answer depends on it.
func matchVersion(v string, args []string) (ok, known bool) {
	not := false
	op := "="
	var want string
	switch len(args) {
	case 1:
		want = args[0]
	default:
		op, want = args[0], args[1]
	}
	if strings.HasPrefix(op, "!") {
		not = true
		op = op[1:]
		if op == "" {
			op = "="
		}
	}
	if strings.HasPrefix(want, "/") && strings.HasSuffix(want, "/") && len(want) > 1 {
		op, want = "~", want[1:len(want)-1]
	}
	if op == "~" {
		return false, false
	}
	have, okV := versionNums(v)
	w, okW := versionNums(want)
	if !okW {
		return false, false
	}
	if !okV {
		// Without a version only what holds for every 2.4.x is known.
		w2 := append(append([]int(nil), w...), 0, 0)[:2]
		c := cmpNums([]int{2, 4}, w2)
		zeroPatch := len(w) <= 2 || w[2] == 0
		switch {
		case c != 0:
			have = []int{2, 4}
			w = w2
		case zeroPatch && op == ">=":
			return !not, true
		case zeroPatch && op == "<":
			return not, true
		default:
			return false, false
		}
	}
	c := cmpNums(have, w)
	var res bool
	switch op {
	case "=", "==":
		res = c == 0
	case ">":
		res = c > 0
	case ">=":
		res = c >= 0
	case "<":
		res = c < 0
	case "<=":
		res = c <= 0
	default:
		return false, false
	}
	return res != not, true
}

func versionNums(v string) ([]int, bool) {
	if v == "" {
		return nil, false
	}
	if i := strings.IndexAny(v, "-+ _"); i >= 0 {
		v = v[:i]
	}
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func cmpNums(a, b []int) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}

// includeMounted resolves an Include against the files a pod mounts
// (Options.Mounted): a path, a directory (every file below it) or a
// wildcard matched component by component, in alphabetical order.
func (r *reader) includeMounted(d *Directive, arg string, parent *Directive, assumed []string, top *[]*Directive, unfollow func(string)) {
	p := filepath.ToSlash(arg)
	if !path.IsAbs(p) {
		root := r.opt.MountRoot
		if sr := r.cfg.ServerRoot; sr != nil && len(sr.Args) == 1 && path.IsAbs(filepath.ToSlash(sr.Args[0])) {
			root = filepath.ToSlash(sr.Args[0])
		}
		p = path.Join(root, p)
	}
	p = path.Clean(p)
	var names []string
	for k := range r.opt.Mounted {
		if k == p || strings.HasPrefix(k, p+"/") || hasWildcard(p) && matchPath(p, k) {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		unfollow("it names a file of the container image that no mounted ConfigMap provides")
		return
	}
	sort.Strings(names)
	for _, n := range names {
		f := r.opt.Mounted[n]
		if r.nfiles >= MaxFiles {
			r.issue(d.Range, "%s: more than %d files in one configuration; hoplint stopped reading includes", d.Name, MaxFiles)
			return
		}
		if containsStr(r.stack, f.Abs) {
			r.issue(d.Range, "Include cycle: %s includes %s, which is already being read; httpd gives up after 128 nested includes", d.File.Path, n)
			return
		}
		r.readFile(f, parent, d, assumed, top)
	}
}

// matchPath matches a slash path against a pattern with wildcards in any
// component; components match one for one.
func matchPath(pattern, name string) bool {
	ps, ns := strings.Split(pattern, "/"), strings.Split(name, "/")
	if len(ps) != len(ns) {
		return false
	}
	for i := range ps {
		if !fnmatch(ps[i], ns[i]) {
			return false
		}
	}
	return true
}
