package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hoplint/hoplint/rules"
)

// githubAnnotationLimit is how many annotations of each level GitHub shows
// per step; the rest are dropped without a word in the pull request.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
const githubAnnotationLimit = 10

// GitHub writes workflow commands that GitHub Actions turns into
// annotations on the pull request:
//
//	::error file=F,line=L,endLine=L,col=C,endColumn=C,title=T::message
//
// Related locations become lines of the message, since an annotation has
// one location. Control characters from config values are escaped first,
// so a value cannot start a command of its own. When a level has more
// findings than GitHub shows, a plain line in the log says so; with
// --new-from-rev the findings on changed lines come first, so that those
// are the ones GitHub keeps (issue 23 item 3).
func GitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	perLevel := map[string]int{}
	for _, f := range r.githubOrder() {
		level := githubLevel(f.Severity)
		perLevel[level]++
		msg := visible(f.Message)
		shown, more := shownRelated(f.Related)
		for _, rel := range shown {
			msg += "\n" + r.loc(rel.Range) + ": " + visible(rel.Message)
		}
		if more > 0 {
			msg += fmt.Sprintf("\n… and %d more related locations (all of them are in the SARIF upload)", more)
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", level, strings.Join(r.githubProps(f), ","), escapeData(msg))
	}
	for _, level := range []string{"error", "warning", "notice"} {
		if n := perLevel[level]; n > githubAnnotationLimit {
			first := ""
			if r.Changed != nil {
				first = " (those on changed lines come first)"
			}
			fmt.Fprintf(bw, "hoplint: %d %s findings; GitHub shows only %d %s annotations per step, so %d are not on the pull request%s. Every finding is in the step summary (--format markdown) and the SARIF upload.\n",
				n, level, githubAnnotationLimit, level, n-githubAnnotationLimit, first)
		}
	}
	return bw.Flush()
}

// githubOrder is the findings with those whose primary location is on a
// changed line first (Report.Changed), each part in its own order. GitHub
// shows the first annotations of each level and drops the rest.
func (r *Report) githubOrder() []rules.Finding {
	if r.Changed == nil {
		return r.Findings
	}
	out := make([]rules.Finding, 0, len(r.Findings))
	var rest []rules.Finding
	for _, f := range r.Findings {
		if r.Changed(f.Range) {
			out = append(out, f)
		} else {
			rest = append(rest, f)
		}
	}
	return append(out, rest...)
}

func githubLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "notice"
}

// githubProps are the command's properties. A column is given only on a
// one-line range: the toolkit rejects col on a range spanning lines.
func (r *Report) githubProps(f rules.Finding) []string {
	rg := f.Range
	props := []string{"file=" + escapeProperty(visible(rg.File))}
	if rg.Start.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", rg.Start.Line))
		end := rg.End.Line
		if end < rg.Start.Line {
			end = rg.Start.Line
		}
		props = append(props, fmt.Sprintf("endLine=%d", end))
		if rg.Start.Col > 0 && end == rg.Start.Line {
			props = append(props, fmt.Sprintf("col=%d", r.charColumn(rg, rg.Start.Col)))
			if rg.End.Col > rg.Start.Col {
				props = append(props, fmt.Sprintf("endColumn=%d", r.charColumn(rg, rg.End.Col)))
			}
		}
	}
	return append(props, "title="+escapeProperty("hoplint "+f.Rule))
}

// escapeData applies GitHub's escaping for a command's message.
func escapeData(s string) string {
	s = strings.ReplaceAll(s, "%", "%25")
	s = strings.ReplaceAll(s, "\r", "%0D")
	return strings.ReplaceAll(s, "\n", "%0A")
}

// escapeProperty applies GitHub's escaping for a command property value,
// which additionally reserves ':' and ','.
func escapeProperty(s string) string {
	s = escapeData(s)
	s = strings.ReplaceAll(s, ":", "%3A")
	return strings.ReplaceAll(s, ",", "%2C")
}
