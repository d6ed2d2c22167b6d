package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxSize caps .hoplint.yml: a configuration is a few lines, and a larger
// file is a mistake or an attack on the CI runner's memory.
const MaxSize = 1 << 20

// Find looks for .hoplint.yml where `hoplint PATH` would: in PATH's
// directory (PATH itself, or the directory of a file), then in each parent
// up to and including the repository root, the first directory holding
// .git; with no .git above, up to the filesystem root. The first one found
// wins. It returns "" when there is none. root is the directory that bounds
// the file: a .hoplint.yml that is a symbolic link may not point outside it.
func Find(path string) (file, root string, err error) {
	start, err := filepath.Abs(path)
	if err != nil {
		return "", "", err
	}
	if st, err := os.Stat(start); err == nil && !st.IsDir() {
		start = filepath.Dir(start)
	}
	repo := repoRoot(start)
	for dir := start; ; dir = filepath.Dir(dir) {
		candidate := filepath.Join(dir, DefaultFile)
		if _, err := os.Lstat(candidate); err == nil {
			if repo == "" {
				return candidate, dir, nil
			}
			return candidate, repo, nil
		}
		if dir == repo || dir == filepath.Dir(dir) {
			return "", "", nil
		}
	}
}

// repoRoot is the nearest directory at or above dir holding .git, or "".
func repoRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if d == filepath.Dir(d) {
			return ""
		}
	}
}

// readFile reads a configuration file safely: only a regular file (never
// a FIFO, a device such as /dev/zero, or a directory), at most MaxSize
// bytes, and, when root is set, a symbolic link only if it resolves inside
// root. Errors name the file, never its content.
func readFile(path, root string) ([]byte, error) {
	target := path
	if root != "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, err
		}
		resolved, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, pathError(err)
		}
		realRoot, err := filepath.EvalSymlinks(root)
		if err != nil {
			realRoot = root
		}
		if rel, err := filepath.Rel(realRoot, resolved); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, errors.New("is a symbolic link to a file outside " + root + "; hoplint does not follow it")
		}
		target = resolved
	}
	st, err := os.Stat(target)
	if err != nil {
		return nil, pathError(err)
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("is not a regular file")
	}
	if st.Size() > MaxSize {
		return nil, fmt.Errorf("is %d bytes, over hoplint's limit of %d for a configuration file", st.Size(), MaxSize)
	}
	f, err := os.OpenFile(target, os.O_RDONLY, 0)
	if err != nil {
		return nil, pathError(err)
	}
	defer f.Close()
	// The file may have changed since Stat: check again what was opened,
	// and read one byte past the cap.
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errors.New("is not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, pathError(err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("is over hoplint's limit of %d bytes for a configuration file", MaxSize)
	}
	return data, nil
}

func pathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
