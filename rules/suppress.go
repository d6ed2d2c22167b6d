package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

const (
	ignoreMarker     = "hoplint:ignore"
	ignoreFileMarker = "hoplint:ignore-file"
)

type suppression struct {
	parsers.Suppression
	used bool
}

// applySuppressions drops suppressed findings and adds findings for
// suppressions that are malformed or match nothing. Suppressions come from
// comments (read by each parser as comment tokens, so a "#" inside a string
// never counts) and from the graph (format-specific ones such as the
// hoplint.dev/ignore annotation).
func applySuppressions(g *topology.Graph, fs []Finding, enabled func(string) bool) []Finding {
	var sups []*suppression
	var extra []Finding
	for file, cs := range g.Comments {
		for _, c := range cs {
			s, bad := parseSuppression(file, c)
			if bad != "" {
				extra = append(extra, Finding{
					Rule: invalidSuppression.ID, Severity: invalidSuppression.Severity,
					Range:   parsers.Range{File: file, Start: parsers.Pos{Line: c.Line, Col: c.Col}, End: parsers.Pos{Line: c.Line, Col: c.Col + len(c.Text) + 1}},
					Message: bad,
				})
				continue
			}
			if s != nil {
				sups = append(sups, &suppression{Suppression: *s})
			}
		}
	}
	for _, s := range g.Suppressions {
		if s.Reason == "" {
			extra = append(extra, Finding{Rule: invalidSuppression.ID, Severity: invalidSuppression.Severity, Range: s.Range,
				Message: "suppression of " + strings.Join(s.Rules, ",") + " gives no reason; add one after \" -- \" so that the next reader knows why"})
			continue
		}
		sups = append(sups, &suppression{Suppression: s})
	}
	idx := indexSuppressions(sups)
	out := fs[:0]
	for _, f := range fs {
		if !idx.suppress(f) {
			out = append(out, f)
		}
	}
	for _, s := range sups {
		if s.used {
			continue
		}
		live := false
		for _, id := range s.Rules {
			if enabled(id) {
				live = true
			}
		}
		if !live || !enabled(unusedSuppression.ID) || s.coversCapped(g) {
			continue
		}
		out = append(out, Finding{
			Rule: unusedSuppression.ID, Severity: unusedSuppression.Severity, Range: s.Range,
			Message: fmt.Sprintf("suppression of %s matches no finding; remove it, or it will hide a future one", strings.Join(s.Rules, ",")),
		})
	}
	for _, f := range capPerFile(extra) {
		if enabled(f.Rule) {
			out = append(out, f)
		}
	}
	return out
}

// maxBadPerFile caps the malformed suppressions listed for one file, as
// the parsers' problems are capped: a generated file can repeat one bad
// comment a hundred thousand times.
const maxBadPerFile = 50

// capPerFile keeps the first maxBadPerFile findings of each file (extra is
// in reading order) and folds the rest into one that says how many.
func capPerFile(fs []Finding) []Finding {
	count := map[string]int{}
	fold := map[string]int{} // index in out of the folding finding
	out := fs[:0]
	for _, f := range fs {
		file := f.Range.File
		count[file]++
		switch count[file] {
		case maxBadPerFile + 1:
			fold[file] = len(out)
			out = append(out, f)
		default:
			if count[file] <= maxBadPerFile {
				out = append(out, f)
			}
		}
	}
	for file, i := range fold {
		out[i].Message = fmt.Sprintf("and %d more malformed suppressions in this file, from here on, that hoplint does not list (the first of them: %s)", count[file]-maxBadPerFile, out[i].Message)
	}
	return out
}

// coversCapped reports whether s covers lines of a file whose problems
// hoplint stopped listing (after the first 50): it may well match one of
// those, so calling it unused would be a guess.
func (s *suppression) coversCapped(g *topology.Graph) bool {
	from, ok := g.ProblemsCapped[s.Range.File]
	return ok && (s.WholeFile || s.To >= from)
}

// suppressionIndex finds the suppressions covering a line without
// scanning them all: matching stays linear in the findings whatever the
// number of suppressions (a generated file may hold thousands, and a
// Kubernetes file one annotation per object). Suppressions are filed under
// every bucket of bucketLines lines they cover; a line looks at its own
// bucket only.
type suppressionIndex struct {
	buckets   map[string]map[int][]*suppression
	wholeFile map[string][]*suppression
}

// bucketLines trades index size (a suppression covering a whole object
// is filed once per bucket it spans) against candidates per lookup.
const bucketLines = 64

func indexSuppressions(sups []*suppression) *suppressionIndex {
	idx := &suppressionIndex{buckets: map[string]map[int][]*suppression{}, wholeFile: map[string][]*suppression{}}
	for _, s := range sups {
		file := s.Range.File
		if s.WholeFile {
			idx.wholeFile[file] = append(idx.wholeFile[file], s)
			continue
		}
		if s.To < s.From {
			continue
		}
		b := idx.buckets[file]
		if b == nil {
			b = map[int][]*suppression{}
			idx.buckets[file] = b
		}
		for k := s.From / bucketLines; k <= s.To/bucketLines; k++ {
			b[k] = append(b[k], s)
		}
	}
	return idx
}

// suppress reports whether a suppression silences f, marking every one that
// does as used. A cross-file finding is silenced by a suppression at any of
// its locations, primary or related, so the team owning either file can
// mark it in its own file.
func (idx *suppressionIndex) suppress(f Finding) bool {
	hit := false
	mark := func(cands []*suppression, line int, ranged bool) {
		for _, s := range cands {
			if ranged && (line < s.From || line > s.To) {
				continue
			}
			for _, id := range s.Rules {
				if id == f.Rule {
					s.used = true
					hit = true
				}
			}
		}
	}
	for _, rg := range f.Locations() {
		mark(idx.wholeFile[rg.File], 0, false)
		if rg.Start.Line < 1 {
			continue
		}
		mark(idx.buckets[rg.File][rg.Start.Line/bucketLines], rg.Start.Line, true)
	}
	return hit
}

// parseSuppression reads "hoplint:ignore RULE[,RULE] -- reason" (covering its
// own line and the next, so it can trail the offending line or stand above
// it) and "hoplint:ignore-file RULE[,RULE] -- reason". It returns nil for
// an ordinary comment and a message for a malformed suppression.
func parseSuppression(file string, c parsers.Comment) (*parsers.Suppression, string) {
	text := strings.TrimSpace(c.Text)
	whole := false
	switch {
	case strings.HasPrefix(text, ignoreFileMarker):
		whole = true
		text = text[len(ignoreFileMarker):]
	case strings.HasPrefix(text, ignoreMarker):
		text = text[len(ignoreMarker):]
	default:
		return nil, ""
	}
	if text != "" && text[0] != ' ' && text[0] != '\t' {
		return nil, "" // "hoplint:ignored" or another word; not ours
	}
	ids, reason, found := strings.Cut(text, "--")
	if i := strings.Index(ids, "#"); i >= 0 {
		// "hoplint:ignore RULE # another comment": the list ends there.
		ids, found = ids[:i], false
	}
	reason = strings.TrimSpace(reason)
	var list []string
	for _, id := range strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if Lookup(id) == nil {
			return nil, fmt.Sprintf("suppression names unknown rule %q; see `hoplint rules` for the IDs", id)
		}
		list = append(list, id)
	}
	if len(list) == 0 {
		return nil, "suppression names no rule; write `hoplint:ignore RULE -- reason`"
	}
	if !found || reason == "" {
		return nil, fmt.Sprintf("suppression of %s gives no reason; add one after \" -- \" so that the next reader knows why", strings.Join(list, ","))
	}
	r := parsers.Range{File: file, Start: parsers.Pos{Line: c.Line, Col: c.Col}, End: parsers.Pos{Line: c.Line, Col: c.Col + len(c.Text) + 1}}
	return &parsers.Suppression{Range: r, From: c.Line, To: c.Line + 1, Rules: list, Reason: reason, WholeFile: whole}, ""
}
