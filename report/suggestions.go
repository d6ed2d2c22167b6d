package report

import (
	"encoding/json"
	"io"
	"path"
	"strings"
)

// The suggestions format lists the findings whose fix is one value on one
// line as pull request review comments with a suggested change, ready to
// post (issue 23 item 2): the GitHub Action sends the entries marked
// inDiff to GitHub's REST API, so that the author applies the fix with
// one click. Building the comment here keeps the Action's scripts free of
// text handling, and quoting the line as hoplint read it (original) lets
// them check, before posting, that the pull request's head commit holds
// that text on that line (a merge commit's lines can be shifted by the
// base branch).
//
// Version 1:
//
//	{"version": 1, "suggestions": [{"rule": "lingering-close-off",
//	  "path": "nginx/nginx.conf", "line": 3, "inDiff": true,
//	  "original": "    lingering_close off;", "replacement": "    lingering_close on;",
//	  "body": "…```suggestion\n    lingering_close on;\n```\n"}]}
//
// path is relative to the repository root; inDiff says the line was
// changed since --new-from-rev (false without it: GitHub takes review
// comments only on lines of the pull request's diff).

type suggestionsDoc struct {
	Version     int          `json:"version"`
	Suggestions []suggestion `json:"suggestions"`
}

type suggestion struct {
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Line        int    `json:"line"`
	InDiff      bool   `json:"inDiff"`
	Original    string `json:"original"`
	Replacement string `json:"replacement"`
	Body        string `json:"body"`
}

// Suggestions writes the suggestions document.
func Suggestions(w io.Writer, r *Report) error {
	doc := suggestionsDoc{Version: 1, Suggestions: []suggestion{}}
	for _, f := range r.Findings {
		line, before, after, ok := r.fixedLine(f.Fix)
		if !ok || strings.HasPrefix(f.Fix.Range.File, "/") {
			continue // no exact fix, or a file outside the repository
		}
		p := path.Clean(path.Join(r.RepoDir, f.Fix.Range.File))
		if p == ".." || strings.HasPrefix(p, "../") {
			continue
		}
		doc.Suggestions = append(doc.Suggestions, suggestion{
			Rule: f.Rule, Path: p, Line: line,
			InDiff:   r.Changed != nil && r.Changed(f.Fix.Range),
			Original: before, Replacement: after,
			Body: suggestionBody(f.Rule, f.Fix.Description, f.Message, after),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// suggestionBody is the review comment: what the change does and why, in
// Markdown with the config values escaped, and the new line in a
// suggestion block whose fence is longer than any backtick run in it.
func suggestionBody(rule, description, message, line string) string {
	fence := "```"
	for strings.Contains(line, fence) {
		fence += "`"
	}
	var b strings.Builder
	b.WriteString("**hoplint " + rule + "**: " + mdCell(mdCut(description)) + "\n\n")
	b.WriteString(mdCell(mdCut(message)) + "\n\n")
	b.WriteString(fence + "suggestion\n" + visible(line) + "\n" + fence + "\n")
	return b.String()
}
