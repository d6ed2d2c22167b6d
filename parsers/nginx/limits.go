package nginx

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Limits that keep a hostile configuration from stalling a run.
const (
	// maxDepth caps block nesting. Real configurations nest a handful of
	// blocks (http, server, location, if, a nested location); the parsing
	// library takes time quadratic in the depth (80,000 levels: 36 s).
	maxDepth = 100
	// maxIncludes caps the include directives followed in one
	// configuration (the number Apache's reader stops at too): nine small
	// files that each include the next ten times would otherwise expand to
	// 10⁸ directives.
	maxIncludes = 2000
	// maxIncluded caps the directives that includes pull into one
	// configuration, for the same reason with fewer, larger files.
	maxIncluded = 200000
	// maxRunIncluded caps them over all the configurations of a run: each
	// configuration holds its own copy of what it includes, so 500
	// nginx.conf files that each include one file of 10,000 locations
	// took 225 s and 23 GB.
	maxRunIncluded = 200000
	// maxDirectives caps the directives of one file, estimated from its
	// ";" and "{" bytes: the parsing library holds about 400 bytes per
	// directive, so 16 MB of "a b;" would cost over a gigabyte. Real
	// files, even generated ones, average tens of bytes per directive.
	maxDirectives = 500000
)

// checkDepth scans data the way nginx tokenises it (quotes, backslash
// escapes, # comments) and returns the offset of the "{" where block
// nesting first passes maxDepth, or -1.
func checkDepth(data []byte) int {
	depth := 0
	var quote byte
	comment := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			comment = false
			continue
		}
		switch {
		case comment:
		case quote != 0:
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
		case c == '\\':
			i++
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			comment = true
		case c == '{':
			if depth++; depth > maxDepth {
				return i
			}
		case c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return -1
}

// preParse returns the problem that stops f from being parsed at all, or
// nil, and problems to report besides the parse.
func preParse(f *parsers.File) (fatal *parsers.Problem, extra []parsers.Problem) {
	if off := checkDepth(f.Bytes()); off >= 0 {
		p := f.PosAt(off)
		return &parsers.Problem{Kind: parsers.ProblemParse, Range: parsers.Range{File: f.Path, Start: p, End: parsers.Pos{Line: p.Line, Col: p.Col + 1}},
			Message: fmt.Sprintf("blocks are nested more than %d deep here; hoplint did not parse this file (no real configuration nests this deep)", maxDepth)}, nil
	}
	if n := bytes.Count(f.Bytes(), []byte(";")) + bytes.Count(f.Bytes(), []byte("{")); n > maxDirectives {
		return &parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
			Message: fmt.Sprintf("this file has more than %d directives; hoplint did not parse it, since every one is held in memory (split it, or lint the configuration it is generated from)", maxDirectives)}, nil
	}
	if parsers.HasBOM(f.Bytes()) {
		extra = append(extra, parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
			Message: "the file starts with a UTF-8 byte-order mark; nginx reads it as part of the first directive's name and refuses to start (unknown directive); save the file as UTF-8 without BOM"})
	}
	return nil, extra
}

// RunBudget counts the directives includes pull in over all the
// configurations of one run (maxRunIncluded). Configurations loaded one
// after another share it; the zero value is ready.
type RunBudget struct {
	included int
}

// budget reports whether an include may still be followed, saying once per
// configuration where the limit applied.
func (l *loader) budget(d *Directive) bool {
	if l.run != nil && l.run.included >= maxRunIncluded {
		if !l.capped {
			l.capped = true
			l.problem(parsers.ProblemParse, d, fmt.Sprintf("hoplint stopped following includes here: the configurations linted before this one already pulled in %d directives through include (each holds its own copy), hoplint's limit for one run, so what the rest set is unknown; lint this directory on its own to check it", maxRunIncluded))
		}
		return false
	}
	if l.includes < maxIncludes && l.included < maxIncluded {
		return true
	}
	if !l.capped {
		l.capped = true
		l.problem(parsers.ProblemParse, d, fmt.Sprintf("this configuration includes more than %d files or %d directives through include; hoplint stopped following includes here, so what the rest set is unknown", maxIncludes, maxIncluded))
	}
	return false
}

// maxWildcardParts caps the path components of an include glob that hold
// a wildcard. Real globs have one or two (conf.d/*.conf, sites-enabled/*);
// matching goes through every directory at each such component, so many of
// them over directories that link to each other are exponential.
const maxWildcardParts = 4

func tooManyWildcards(pattern string) bool {
	n := 0
	for _, part := range strings.Split(filepath.ToSlash(pattern), "/") {
		if strings.ContainsAny(part, "*?[") {
			n++
		}
	}
	return n > maxWildcardParts
}

func wildcardMessage(pattern string) string {
	return fmt.Sprintf("include %s has wildcards in more than %d path components; hoplint did not expand it, so the settings it holds are unknown", pattern, maxWildcardParts)
}
