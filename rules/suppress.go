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
	// Index by file so that matching stays linear in the number of findings.
	byFile := map[string][]*suppression{}
	for _, s := range sups {
		byFile[s.Range.File] = append(byFile[s.Range.File], s)
	}

	out := fs[:0]
	for _, f := range fs {
		if !suppressed(f, byFile[f.Range.File]) {
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
		if !live || !enabled(unusedSuppression.ID) {
			continue
		}
		out = append(out, Finding{
			Rule: unusedSuppression.ID, Severity: unusedSuppression.Severity, Range: s.Range,
			Message: fmt.Sprintf("suppression of %s matches no finding; remove it, or it will hide a future one", strings.Join(s.Rules, ",")),
		})
	}
	for _, f := range extra {
		if enabled(f.Rule) {
			out = append(out, f)
		}
	}
	return out
}

func suppressed(f Finding, sups []*suppression) bool {
	hit := false
	for _, s := range sups {
		if !s.WholeFile && (f.Range.Start.Line < s.From || f.Range.Start.Line > s.To) {
			continue
		}
		for _, id := range s.Rules {
			if id == f.Rule {
				s.used = true
				hit = true
			}
		}
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
