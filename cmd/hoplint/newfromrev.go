package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

// changes are the lines of the working tree that differ from a revision,
// by path relative to the repository's top directory, as
// golangci-lint's --new-from-rev reads them.
type changes struct {
	top string
	// note says which commit the working tree was compared with.
	note  string
	lines map[string]map[int]bool
	// added are files that did not exist at the revision, or are not
	// tracked: every finding in them is new, even one on no line.
	added map[string]bool
}

// git runs git with settings that keep a repository's own configuration
// from running anything (no fsmonitor hook, external diff or textconv).
func git(dir string, args ...string) ([]byte, error) {
	cmd := gitCmd(dir, nil, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, gitError(args[0], &stderr, err)
	}
	return out, nil
}

func gitCmd(dir string, extra []string, args ...string) *exec.Cmd {
	full := append([]string{"-C", dir, "-c", "core.fsmonitor=false", "-c", "core.quotepath=off"}, extra...)
	return exec.Command("git", append(full, args...)...)
}

func gitError(sub string, stderr *bytes.Buffer, err error) error {
	msg := strings.TrimSpace(stderr.String())
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("--new-from-rev: git %s: %s", sub, msg)
}

// noFilters are the settings that keep git diff from running a filter
// driver that a .gitattributes of the linted tree (a pull request's)
// selects: git runs a driver's clean command on working-tree files to
// compare them, and a driver set up on the machine (git-lfs on CI
// runners) or in the repository's configuration would run on files the
// pull request chose. Git before 2.40 cannot be told to ignore the tree's
// attributes, so every driver the configuration defines is emptied (an
// empty command is no filter) and made optional. Textconv and external
// diff drivers are off through --no-textconv and --no-ext-diff.
func noFilters(dir string) []string {
	out, err := git(dir, "config", "--name-only", "--get-regexp", `^filter\..*\.(clean|smudge|process|required)$`)
	if err != nil {
		return nil // none defined (git config exits 1)
	}
	seen := map[string]bool{}
	var args []string
	for _, key := range strings.Split(string(out), "\n") {
		i := strings.LastIndexByte(key, '.')
		if !strings.HasPrefix(key, "filter.") || i <= len("filter.") {
			continue
		}
		name := key[len("filter."):i]
		if seen[name] {
			continue
		}
		seen[name] = true
		for _, k := range []string{"clean", "smudge", "process"} {
			args = append(args, "-c", "filter."+name+"."+k+"=")
		}
		args = append(args, "-c", "filter."+name+".required=false")
	}
	return args
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
	base, note := compareWith(c.top, rev)
	c.note = note
	if err := c.readDiff(base); err != nil {
		return nil, err
	}
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

// compareWith picks the commit the working tree is compared with: the
// merge base of rev and HEAD, so that what rev's branch changed since the
// two parted is not blamed on this one. Where history is too shallow to
// find it, HEAD's first parent when HEAD is a merge (a pull request's
// merge commit, whose first parent is the base branch), else rev itself.
// note says which, for stderr.
func compareWith(top, rev string) (base, note string) {
	if out, err := git(top, "merge-base", rev, "HEAD"); err == nil {
		mb := strings.TrimSpace(string(out))
		if revID, err := git(top, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err == nil && strings.TrimSpace(string(revID)) == mb {
			return mb, fmt.Sprintf("--new-from-rev %s: comparing with %s", rev, short(mb))
		}
		return mb, fmt.Sprintf("--new-from-rev %s: comparing with %s, the merge base of %s and HEAD", rev, short(mb), rev)
	}
	if out, err := git(top, "rev-parse", "--verify", "--quiet", "HEAD^2"); err == nil && len(out) > 0 {
		if p, err := git(top, "rev-parse", "--verify", "--quiet", "HEAD^1"); err == nil {
			first := strings.TrimSpace(string(p))
			return first, fmt.Sprintf("--new-from-rev %s: no merge base of %s and HEAD in this history (a shallow clone?); HEAD is a merge, so comparing with its first parent %s", rev, rev, short(first))
		}
	}
	return rev, fmt.Sprintf("--new-from-rev %s: no merge base of %s and HEAD in this history (a shallow clone? fetch more of it); comparing with %s itself, so what changed on its side since the branches parted counts as new", rev, rev, rev)
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// readDiff runs git diff against base and reads it as it comes, without
// a limit on the length of a line (a minified file changed on one line
// of 20 MiB must not hide the hunks after it). A diff that cannot be read
// to its end, or a git that fails, is an error: a partial diff would
// silently drop findings.
func (c *changes) readDiff(base string) error {
	cmd := gitCmd(c.top, noFilters(c.top), "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--unified=0", base, "--")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("--new-from-rev: git diff: %w", err)
	}
	perr := c.parseDiff(out)
	if perr != nil {
		_, _ = io.Copy(io.Discard, out)
	}
	if err := cmd.Wait(); err != nil {
		return gitError("diff", &stderr, err)
	}
	if perr != nil {
		return fmt.Errorf("--new-from-rev: reading git diff: %w", perr)
	}
	return nil
}

// maxDiffHead is how much of a diff line is kept: the markers and paths
// the parser reads come first, and a content line's text is not needed.
const maxDiffHead = 64 << 10

// parseDiff reads a unified diff with zero lines of context: each hunk
// header "@@ -a,b +c,d @@" marks lines c..c+d-1 of the new file changed.
// The b and d lines that follow are the hunk's content, whatever they
// hold: an added line "++ x" is "+++ x" in the diff, and is not a header.
func (c *changes) parseDiff(r io.Reader) error {
	br := bufio.NewReaderSize(r, maxDiffHead)
	var file string
	fromNull := false
	oldLeft, newLeft := 0, 0 // content lines still due in the current hunk
	for {
		line, err := readLineHead(br)
		if errors.Is(err, io.EOF) && line == "" {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		switch {
		case oldLeft > 0 && strings.HasPrefix(line, "-"):
			oldLeft--
			continue
		case newLeft > 0 && strings.HasPrefix(line, "+"):
			newLeft--
			continue
		case (oldLeft > 0 || newLeft > 0) && strings.HasPrefix(line, `\`):
			continue // "\ No newline at end of file"
		}
		oldLeft, newLeft = 0, 0
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
		case strings.HasPrefix(line, "@@ "):
			if o, ok := oldSide(line); ok {
				oldLeft = o
			}
			start, n, ok := newSide(line)
			if !ok {
				continue
			}
			newLeft = n
			if file == "" {
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
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// readLineHead reads one line and returns at most its first maxDiffHead
// bytes, without its line ending; the rest of a longer line is read and
// dropped.
func readLineHead(br *bufio.Reader) (string, error) {
	b, err := br.ReadSlice('\n')
	head := string(b)
	for errors.Is(err, bufio.ErrBufferFull) {
		_, err = br.ReadSlice('\n')
	}
	return strings.TrimSuffix(strings.TrimSuffix(head, "\n"), "\r"), err
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

// oldSide reads the count b of "-a,b" (b defaults to 1) from a hunk header.
func oldSide(h string) (n int, ok bool) {
	_, n, ok = side(h, " -")
	return n, ok
}

// newSide reads "+c,d" (d defaults to 1) from a hunk header.
func newSide(h string) (start, n int, ok bool) {
	return side(h, " +")
}

func side(h, mark string) (start, n int, ok bool) {
	i := strings.Index(h, mark)
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
			if c.changed(wd, rg) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// changed reports whether a location lies on a changed line or in a new
// file.
func (c *changes) changed(wd string, rg parsers.Range) bool {
	p := c.rel(wd, rg.File)
	return c.added[p] || rg.Start.Line > 0 && c.touched(p, rg.Start.Line, rg.End.Line)
}

// place moves each finding whose primary location is on no changed line
// to its first related location that is (issue 23 item 3): the pull
// request that lowers an ALB's idle_timeout is annotated on that line,
// not on the unchanged nginx server the finding is about. The message,
// written to stand on its own, stays whole; the primary location becomes
// the first related location, saying what it is; the fingerprint stays,
// so baselines and code scanning's alerts still match. The findings are
// sorted again by their new locations.
func (c *changes) place(wd string, fs []rules.Finding) []rules.Finding {
	moved := false
	for i, f := range fs {
		if c.changed(wd, f.Range) {
			continue
		}
		for j, rel := range f.Related {
			if !c.changed(wd, rel.Range) {
				continue
			}
			related := make([]parsers.Related, 0, len(f.Related))
			related = append(related, parsers.Related{Range: f.Range, Message: "the place this finding is about; it is reported on the changed line instead"})
			related = append(related, f.Related[:j]...)
			related = append(related, f.Related[j+1:]...)
			f.Range, f.Related = rel.Range, related
			fs[i] = f
			moved = true
			break
		}
	}
	if moved {
		rules.SortFindings(fs)
	}
	return fs
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
