// Package benchtree builds the real-shaped trees that scripts/bench.sh
// measures and that the copy tests lint: the corpus's Kubernetes manifests
// repeated per environment (env1/ … envN/, the layout of a repository that
// keeps one directory per cluster) or repeated inside their own directory
// (the same manifest twice, as a copy-pasted overlay leaves it).
package benchtree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// File is one manifest: its path relative to the corpus and its bytes.
type File struct {
	Path string
	Data []byte
}

// Manifests returns the files under corpus that hoplint reads as
// Kubernetes manifests, in path order.
func Manifests(corpus string) ([]File, error) {
	return discovered(corpus, parsers.FormatKubernetes)
}

// All returns every file under corpus that hoplint reads, of any format,
// in path order.
func All(corpus string) ([]File, error) {
	return discovered(corpus, "")
}

func discovered(corpus string, format parsers.Format) ([]File, error) {
	abs, err := filepath.Abs(corpus)
	if err != nil {
		return nil, err
	}
	found, _, err := parsers.Discover([]string{abs}, parsers.DiscoverOptions{WorkDir: abs})
	if err != nil {
		return nil, err
	}
	var out []File
	for _, f := range found {
		if format == "" || f.Format == format {
			out = append(out, File{Path: f.Path, Data: f.Bytes()})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s files under %s", format, corpus)
	}
	return out, nil
}

// Shape says how copies are laid out.
type Shape string

const (
	// Envs puts copy i under env<i>/, keeping each file's path.
	Envs Shape = "envs"
	// SameDir puts every copy beside the original: copy i of dir/app.yaml
	// is dir/copy<i>-app.yaml.
	SameDir Shape = "samedir"
)

// Write writes total files made of copies of files into dst, laid out as
// shape says; the last copy is partial when total is not a multiple of
// len(files). It returns the paths written, relative to dst.
func Write(dst string, files []File, shape Shape, total int) ([]string, error) {
	if len(files) == 0 {
		return nil, errors.New("no files to copy")
	}
	var out []string
	for i := 0; len(out) < total; i++ {
		for _, f := range files {
			if len(out) == total {
				break
			}
			rel := CopyPath(f.Path, shape, i+1)
			p := filepath.Join(dst, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				return nil, err
			}
			out = append(out, rel)
		}
	}
	return out, nil
}

// CopyPath is where copy n (from 1) of the file at rel goes.
func CopyPath(rel string, shape Shape, n int) string {
	switch shape {
	case Envs:
		return fmt.Sprintf("env%d/%s", n, rel)
	case SameDir:
		if n == 1 {
			return rel
		}
		dir, base := path.Split(rel)
		return fmt.Sprintf("%scopy%d-%s", dir, n, base)
	}
	panic("unknown shape " + string(shape))
}

// DecodeFloor decodes every YAML and JSON file under dir into yaml.v3
// Nodes, one file after the other, and returns how many files and
// documents it read: the least any linter that needs line numbers does.
func DecodeFloor(dir string) (files, docs int, err error) {
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".yaml", ".yml", ".json":
		default:
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var n yaml.Node
			if err := dec.Decode(&n); err != nil {
				if !errors.Is(err, io.EOF) {
					docs++ // a broken document still cost its decoding
				}
				break
			}
			docs++
		}
		return nil
	})
	return files, docs, err
}
