package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/rules"
)

// changes are the lines of the working tree that differ from a revision,
// by path relative to the repository's top directory, as
// golangci-lint's --new-from-rev reads them.
type changes struct {
	top   string
	lines map[string]map[int]bool
	// added are files that did not exist at the revision, or are not
	// tracked: every finding in them is new, even one on no line.
	added map[string]bool
}

// git runs git with settings that keep a repository's own configuration
// from running anything (no fsmonitor hook, external diff or textconv).
func git(dir string, args ...string) ([]byte, error) {
	full := append([]string{"-C", dir, "-c", "core.fsmonitor=false", "-c", "core.quotepath=off"}, args...)
	cmd := exec.Command("git", full...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("--new-from-rev: git %s: %s", args[0], msg)
	}
	return out, nil
}

func gitChanges(wd, rev string) (*changes, error) {
	if strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("--new-from-rev: %q is not a revision", rev)
	}
	top, err := git(wd, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	c := &changes{top: strings.TrimSpace(string(top)), lines: map[string]map[int]bool{}, added: map[string]bool{}}
	if _, err := git(wd, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, fmt.Errorf("--new-from-rev: %q is not a commit in this repository", rev)
	}
	diff, err := git(c.top, "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--unified=0", rev, "--")
	if err != nil {
		return nil, err
	}
	c.parseDiff(diff)
	untracked, err := git(c.top, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, err
	}
	for _, p := range strings.Split(string(untracked), "\x00") {
		if p != "" {
			c.added[p] = true
		}
	}
	return c, nil
}

// parseDiff reads a unified diff with zero lines of context: each hunk
// header "@@ -a,b +c,d @@" marks lines c..c+d-1 of the new file changed.
func (c *changes) parseDiff(diff []byte) {
	sc := bufio.NewScanner(bytes.NewReader(diff))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var file string
	fromNull := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "diff --git "):
			file, fromNull = "", false
		case strings.HasPrefix(line, "--- "):
			fromNull = line == "--- /dev/null"
		case strings.HasPrefix(line, "+++ "):
			file = ""
			if p := diffPath(line[4:]); p != "" {
				file = p
				if fromNull {
					c.added[file] = true
				}
			}
		case strings.HasPrefix(line, "@@ ") && file != "":
			start, n, ok := newSide(line)
			if !ok {
				continue
			}
			set := c.lines[file]
			if set == nil {
				set = map[int]bool{}
				c.lines[file] = set
			}
			for l := start; l < start+n; l++ {
				set[l] = true
			}
		}
	}
}

// diffPath strips the "b/" of a "+++" path, unquoting git's C-style quoting.
func diffPath(p string) string {
	if strings.HasPrefix(p, `"`) {
		if u, err := strconv.Unquote(p); err == nil {
			p = u
		}
	}
	if p == "/dev/null" {
		return ""
	}
	return strings.TrimPrefix(p, "b/")
}

// newSide reads "+c,d" (d defaults to 1) from a hunk header.
func newSide(h string) (start, n int, ok bool) {
	i := strings.Index(h, " +")
	if i < 0 {
		return 0, 0, false
	}
	spec := h[i+2:]
	if j := strings.IndexByte(spec, ' '); j >= 0 {
		spec = spec[:j]
	}
	a, b, has := strings.Cut(spec, ",")
	start, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	n = 1
	if has {
		if n, err = strconv.Atoi(b); err != nil {
			return 0, 0, false
		}
	}
	return start, n, true
}

// filter keeps the findings with any location, primary or related, on a
// changed line or in a new file: a pull request that lowers an ALB's
// timeout is answerable for the nginx finding it causes.
func (c *changes) filter(wd string, fs []rules.Finding) []rules.Finding {
	var out []rules.Finding
	for _, f := range fs {
		for _, rg := range f.Locations() {
			p := c.rel(wd, rg.File)
			if c.added[p] || rg.Start.Line > 0 && c.touched(p, rg.Start.Line, rg.End.Line) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func (c *changes) touched(p string, from, to int) bool {
	if to < from {
		to = from
	}
	set := c.lines[p]
	for l := from; l <= to && set != nil; l++ {
		if set[l] {
			return true
		}
	}
	return false
}

// rel names a finding's file relative to the repository's top directory.
func (c *changes) rel(wd, file string) string {
	abs := filepath.FromSlash(file)
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(wd, abs)
	}
	top := c.top
	if r, err := filepath.EvalSymlinks(top); err == nil {
		top = r
	}
	if r, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		abs = filepath.Join(r, filepath.Base(abs))
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil {
		return file
	}
	return filepath.ToSlash(rel)
}
