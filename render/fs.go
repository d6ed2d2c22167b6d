package render

import (
	"errors"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/hoplint/hoplint/parsers"
)

// errReadOnly refuses every write: rendering never changes the tree.
var errReadOnly = errors.New("hoplint renders read-only")

// confinedFS is the filesystem kustomize sees: the disk, read-only, bounded
// by the linted root. A path outside the root, or a symlink whose target
// leaves it, does not exist as far as kustomize can tell, so an overlay
// cannot make hoplint read /etc/passwd or a neighbouring checkout.
// Kustomization files are served rewritten (see neutralize).
type confinedFS struct {
	disk     filesys.FileSystem
	root     string
	realRoot string
	// rewrite is applied to every file read: kustomization files and the
	// resource files whose objects get their origin tagged.
	rewrite func(abs string, data []byte) []byte
	// standIn holds generator inputs that do not exist (a gitignored
	// .env): kustomize reads each as an empty file instead of failing
	// the whole build. Keys are absolute paths, as written and with the
	// directory's symlinks resolved (the form kustomize asks for). Set
	// before any build starts, read only after.
	standIn map[string]bool
}

// addStandIn makes the missing file abs read as empty.
func (c *confinedFS) addStandIn(abs string) {
	if c.standIn == nil {
		c.standIn = map[string]bool{}
	}
	c.standIn[filepath.Clean(abs)] = true
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		c.standIn[filepath.Join(dir, filepath.Base(abs))] = true
	}
}

// isStandIn reports whether p names a stand-in that still does not
// exist on disk.
func (c *confinedFS) isStandIn(p string) bool {
	if len(c.standIn) == 0 {
		return false
	}
	abs, err := filepath.Abs(p)
	if err != nil || !c.standIn[abs] {
		return false
	}
	_, err = os.Lstat(abs)
	return errors.Is(err, os.ErrNotExist)
}

func newConfinedFS(root string, rewrite func(string, []byte) []byte) *confinedFS {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		real = root
	}
	return &confinedFS{disk: filesys.MakeFsOnDisk(), root: root, realRoot: real, rewrite: rewrite}
}

// inside reports whether p, and what it resolves to through symlinks,
// lie under the root. A path that does not exist is inside when its
// lexical form is (kustomize asks about files it may create names for).
func (c *confinedFS) inside(p string) bool {
	abs, err := filepath.Abs(p)
	// kustomize hands back paths with symlinks resolved (CleanedAbs), so a
	// root reached through a symlink (macOS /tmp, a linked checkout) is
	// also recognised in its resolved form.
	if err != nil || !parsers.Within(c.root, abs) && !parsers.Within(c.realRoot, abs) {
		return false
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	return parsers.Within(c.realRoot, real)
}

func outside(p string) error {
	return &os.PathError{Op: "open", Path: p, Err: parsers.ErrOutsideRoot}
}

func (c *confinedFS) Create(string) (filesys.File, error) { return nil, errReadOnly }
func (c *confinedFS) Mkdir(string) error                  { return errReadOnly }
func (c *confinedFS) MkdirAll(string) error               { return errReadOnly }
func (c *confinedFS) RemoveAll(string) error              { return errReadOnly }
func (c *confinedFS) WriteFile(string, []byte) error      { return errReadOnly }

func (c *confinedFS) Open(p string) (filesys.File, error) {
	if !c.inside(p) {
		return nil, outside(p)
	}
	return c.disk.Open(p)
}

func (c *confinedFS) IsDir(p string) bool { return c.inside(p) && c.disk.IsDir(p) }

func (c *confinedFS) Exists(p string) bool {
	return c.inside(p) && (c.disk.Exists(p) || c.isStandIn(p))
}

func (c *confinedFS) ReadDir(p string) ([]string, error) {
	if !c.inside(p) {
		return nil, outside(p)
	}
	names, err := c.disk.ReadDir(p)
	if err != nil {
		return nil, err
	}
	out := names[:0]
	for _, n := range names {
		if c.inside(filepath.Join(p, n)) {
			out = append(out, n)
		}
	}
	return out, nil
}

func (c *confinedFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	if !c.inside(p) {
		return "", "", outside(p)
	}
	if c.isStandIn(p) {
		abs, _ := filepath.Abs(p)
		dir := filepath.Dir(abs)
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			dir = real
		}
		return filesys.ConfirmedDir(dir), filepath.Base(abs), nil
	}
	d, f, err := c.disk.CleanedAbs(p)
	if err != nil {
		return d, f, err
	}
	if !c.inside(filepath.Join(string(d), f)) {
		return "", "", outside(p)
	}
	return d, f, nil
}

func (c *confinedFS) Glob(pattern string) ([]string, error) {
	ms, err := c.disk.Glob(pattern)
	if err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		if c.inside(m) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (c *confinedFS) ReadFile(p string) ([]byte, error) {
	if !c.inside(p) {
		return nil, outside(p)
	}
	abs, _ := filepath.Abs(p)
	if c.isStandIn(abs) {
		return []byte{}, nil
	}
	data, err := parsers.ReadWithin(c.root, abs)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: p, Err: err}
	}
	if c.rewrite != nil {
		data = c.rewrite(abs, data)
	}
	return data, nil
}

func (c *confinedFS) Walk(p string, fn filepath.WalkFunc) error {
	if !c.inside(p) {
		return outside(p)
	}
	return c.disk.Walk(p, func(path string, info os.FileInfo, err error) error {
		if !c.inside(path) {
			if info != nil && info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return fn(path, info, err)
	})
}

func isKustomizationName(base string) bool {
	return base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization"
}
