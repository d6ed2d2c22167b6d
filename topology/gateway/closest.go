package gateway

import (
	"strings"

	"github.com/hoplint/hoplint/parsers/kubernetes"
)

// closest keeps, among objects with the same kind, namespace and name (one
// object written for two environments), the copies nearest to the file at
// from. The Gateway API linker resolves its few names per route with it;
// the Kubernetes linker's hot lookups use topology.NearIndex instead.
func closest[T kubernetes.Obj](from string, objs []T) []T {
	if len(objs) < 2 {
		return objs
	}
	// A struct of the object's own strings: a joined string per object
	// and lookup was 11 MB of garbage at 54,000 files.
	type objKey struct{ kind, ns, name string }
	key := func(o T) objKey { m := o.Meta(); return objKey{m.Kind, m.NS(), m.Name} }
	best := map[objKey]int{}
	for _, o := range objs {
		if n := commonDirs(from, o.Meta().File.Path) + 1; n > best[key(o)] {
			best[key(o)] = n
		}
	}
	var out []T
	for _, o := range objs {
		if commonDirs(from, o.Meta().File.Path)+1 == best[key(o)] {
			out = append(out, o)
		}
	}
	return out
}

// commonDirs counts the leading path elements two slash paths share; the
// same file counts one more than its directory. It allocates nothing: the
// Gateway API linker calls it for every copy of every name it resolves.
func commonDirs(a, b string) int {
	if a == b {
		return strings.Count(a, "/") + 1
	}
	// Directories are the elements before each path's last slash.
	da, db := a, b
	if i := strings.LastIndexByte(da, '/'); i >= 0 {
		da = da[:i+1]
	} else {
		da = ""
	}
	if i := strings.LastIndexByte(db, '/'); i >= 0 {
		db = db[:i+1]
	} else {
		db = ""
	}
	n := 0
	for len(da) > 0 && len(db) > 0 {
		i, j := strings.IndexByte(da, '/'), strings.IndexByte(db, '/')
		if i != j || da[:i] != db[:j] {
			break
		}
		n++
		da, db = da[i+1:], db[j+1:]
	}
	return n
}

// objPath is the file an object is written in, for NearIndex.
func objPath[T kubernetes.Obj](o T) string { return o.Meta().File.Path }
