package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hoplint/hoplint/parsers"
)

// lintRoot is the directory every path hoplint prints is relative to, in
// every format and in messages: the root of the git repository holding the
// first path (the nearest directory above it with a .git), so that a run
// from a subdirectory names files as GitHub, code scanning, reviewdog and
// a run at the root do. A path outside that repository, or no repository,
// leaves the working directory as the base, as before.
//
// It returns the base and the paths relative to it, after checking that
// each exists (the error names a path as the user typed it).
func lintRoot(cwd string, paths []string) (string, []string, error) {
	abs := make([]string, len(paths))
	for i, p := range paths {
		abs[i] = absPath(cwd, p)
		if _, err := os.Stat(abs[i]); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return "", nil, fmt.Errorf("%s: no such file or directory", p)
			}
			return "", nil, err
		}
	}
	root := gitRoot(abs[0])
	if root == "" {
		return cwd, paths, nil
	}
	rel := make([]string, len(paths))
	for i, a := range abs {
		if !parsers.Within(root, a) {
			return cwd, paths, nil
		}
		r, err := filepath.Rel(root, a)
		if err != nil {
			return "", nil, err
		}
		rel[i] = r
	}
	return root, rel, nil
}

// gitRoot is the nearest directory at or above path (a file's directory)
// that holds a .git (a directory, or a file in a worktree or submodule),
// or "".
func gitRoot(path string) string {
	d := path
	if st, err := os.Stat(d); err == nil && !st.IsDir() {
		d = filepath.Dir(d)
	}
	for {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}
