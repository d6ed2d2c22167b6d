package apache

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// firstVisit records dir (resolved through symlinks) in visited and reports
// whether it was new, with its resolved path.
func firstVisit(visited map[string]bool, dir string) (string, bool) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		real = dir
	}
	if visited[real] {
		return real, false
	}
	visited[real] = true
	return real, true
}

// symlinkLoop reports, once per included directory, a directory symlink
// that leads back into a directory being walked: httpd follows it until
// the system refuses ("Too many levels of symbolic links") and does not
// start. A directory reached twice without a loop is only read once.
func (r *reader) symlinkLoop(top, dir, real string, path []string) {
	loop := false
	for _, p := range path {
		if p == real {
			loop = true
		}
	}
	if !loop || r.incl == nil || r.loopNoted[top] {
		return
	}
	if r.loopNoted == nil {
		r.loopNoted = map[string]bool{}
	}
	r.loopNoted[top] = true
	r.issue(r.incl.Range, "%s %s: %s leads back to %s, a directory symlink loop; httpd follows it until the system refuses (\"Too many levels of symbolic links\") and does not start. hoplint read each directory once", r.incl.Name, r.incl.Arg(0), relTo(r.cfg.File, dir), relTo(r.cfg.File, real))
}

// maxResolvedLine caps a line after ${VAR} expansion. httpd itself has no
// cap (2.4.71 aborts with "Memory allocation failed" on `Define A ${A}${A}`
// repeated 40 times); a real configuration line is a few hundred bytes, and
// 1 MiB is far beyond any, yet small enough that the worst case, every line
// at the cap, stays within memory.
const maxResolvedLine = 1 << 20

// maxSectionDepth caps how deeply sections (<VirtualHost>, <Location>,
// <IfModule>, …) nest. Real configurations nest a handful deep; each level
// costs hoplint a copy of the conditions around it, so thousands of levels
// would cost memory quadratic in the depth.
const maxSectionDepth = 100

// resolve expands ${VAR} in one line, refusing (once per line) an expansion
// over maxResolvedLine: the line is then left unexpanded and marked
// unresolved, and a Define on it leaves its variable unknown.
func (r *reader) resolve(rng parsers.Range, text string) (string, bool) {
	r.overflow = false
	if r.usesUnknown(text) {
		// A variable whose expansion was refused: what this line says is
		// unknown too, and so is a variable it defines.
		r.overflow = true
		return text, true
	}
	if expandedLen(text, r.cfg.Defines) > maxResolvedLine {
		r.overflow = true
		r.cfg.Issues = append(r.cfg.Issues, Issue{Problem: parsers.Problem{Kind: parsers.ProblemParse, Range: rng,
			Message: "expanding the ${VAR}s on this line would make it longer than hoplint's limit of 1 MiB; hoplint left it unexpanded, so what it sets is unknown (httpd itself may run out of memory on it)"}})
		return text, true
	}
	return resolveVars(text, r.cfg.Defines)
}

// expandedLen is the length resolveVars would return, computed without
// building the string; it stops counting once over the cap.
func expandedLen(s string, defs map[string]string) int {
	n := 0
	for i := 0; i < len(s) && n <= maxResolvedLine; i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '{' {
			if end := strings.IndexByte(s[i+2:], '}'); end >= 0 {
				if v, ok := defs[s[i+2:i+2+end]]; ok {
					n += len(v)
					i += 2 + end
					continue
				}
			}
		}
		n++
	}
	return n
}

// tooDeep reports whether opening one more section at depth would pass
// maxSectionDepth, and says so once per configuration.
func (r *reader) tooDeep(rng parsers.Range, depth int) bool {
	if depth < maxSectionDepth {
		return false
	}
	if !r.deepNoted {
		r.deepNoted = true
		r.cfg.Issues = append(r.cfg.Issues, Issue{Problem: parsers.Problem{Kind: parsers.ProblemParse, Range: rng,
			Message: fmt.Sprintf("sections are nested more than %d deep here; hoplint did not read this section or anything inside it (no real configuration nests this deep)", maxSectionDepth)}})
	}
	return true
}

// Empty is the configuration of a file that could not be read at all: it
// holds the file and nothing else, so that callers can go on.
func Empty(f *parsers.File) *Config {
	c := newReader(f, Options{}, true).cfg
	c.Files = []*parsers.File{f}
	return c
}

// maxListings caps the directories one configuration may list for Include
// wildcards and included directories. A wildcard in every component of a
// long path over two directories that link to each other would otherwise
// list 2ⁿ directories even when nothing matches in the end.
const maxListings = 4000

// mayList counts one more directory listing and reports whether it is
// still within maxListings; past it, reading the tree goes on without the
// files those wildcards would have matched, and that is said once.
func (r *reader) mayList(dir string) bool {
	r.listed++
	if r.listed <= maxListings {
		return true
	}
	if r.listed == maxListings+1 {
		r.cfg.Issues = append(r.cfg.Issues, Issue{Problem: parsers.Problem{Kind: parsers.ProblemParse, Range: parsers.Range{File: r.cfg.File.Path, Start: parsers.Pos{Line: 1, Col: 1}, End: parsers.Pos{Line: 1, Col: 1}},
			Message: fmt.Sprintf("Include wildcards and directories in this configuration needed more than %d directory listings (the last: %s); hoplint stopped expanding them, so files they match may be missing", maxListings, relTo(r.cfg.File, dir))}})
	}
	return false
}

// maxLines caps the lines of one file: each directive costs hoplint about
// 500 bytes, so 16 MB of "Timeout 5" would cost close to a gigabyte. Real
// configurations have thousands of lines.
const maxLines = 500000

// tooLong reports whether f has more than maxLines lines, and says so.
func (r *reader) tooLong(f *parsers.File) bool {
	if bytes.Count(f.Bytes(), []byte("\n")) <= maxLines {
		return false
	}
	r.cfg.Issues = append(r.cfg.Issues, Issue{Problem: parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
		Message: fmt.Sprintf("this file has more than %d lines; hoplint did not read it, since every directive is held in memory (no hand-written configuration is this large)", maxLines)}})
	return true
}

// usesUnknown reports whether text refers to a variable left unknown
// because its expansion was refused.
func (r *reader) usesUnknown(text string) bool {
	for name := range r.unknown {
		if strings.Contains(text, "${"+name+"}") {
			return true
		}
	}
	return false
}

// defineUnknown records that variable name has no known value from here on.
func (r *reader) defineUnknown(name string) {
	delete(r.cfg.Defines, name)
	if r.unknown == nil {
		r.unknown = map[string]bool{}
	}
	r.unknown[name] = true
}

// maxRunIncludedLines caps the lines that the configurations of one run
// read through Include, together: each reads (and holds) its own copy of
// what it includes, so 500 httpd.conf that each include one file of
// 10,000 sections did not end in two minutes.
const maxRunIncludedLines = 300000

// RunBudget counts the lines read through Include over the configurations
// of one run. The zero value is ready; it is not safe for concurrent use.
type RunBudget struct {
	lines int
}

// charge reports whether included file f may still be read for the
// Include d, charging its lines to the run. Where the run's limit stops a
// configuration, the Include is unfollowed (once per configuration), like
// one hoplint cannot read.
func (r *reader) charge(d *Directive, f *parsers.File) bool {
	if r.opt.Run == nil {
		return true
	}
	n := bytes.Count(f.Bytes(), []byte("\n")) + 1
	if r.opt.Run.lines+n <= maxRunIncludedLines {
		r.opt.Run.lines += n
		return true
	}
	if !r.runNoted {
		r.runNoted = true
		r.cfg.Unfollowed = append(r.cfg.Unfollowed, Unfollowed{D: d, Reason: fmt.Sprintf(
			"the configurations linted before this one already read %d lines through Include (each reads its own copy), hoplint's limit for one run (lint this directory on its own to check it)", maxRunIncludedLines)})
	}
	return false
}
