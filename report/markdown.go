package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hoplint/hoplint/rules"
)

// markdownTableBudget keeps the summary under GitHub's limit of 1 MiB per
// step summary (a larger one is dropped whole), with room for the picture.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary
var markdownTableBudget = 768 << 10

// Markdown writes a summary for people reading a pull request: a headline
// with the counts, a table of every finding with its related locations,
// and a Mermaid picture of the part of the request path the findings
// touch. It is what the GitHub Action appends to $GITHUB_STEP_SUMMARY
// (where nothing is capped, unlike annotations), and works as a PR comment.
func Markdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	if len(r.Findings) == 0 {
		fmt.Fprintf(bw, "### hoplint: no findings\n\n%d files, %d hops, %d links.\n", s.Files, s.Hops, s.Edges)
	} else {
		fmt.Fprintf(bw, "### hoplint: %d errors, %d warnings, %d infos\n\nIn %d files (%d hops, %d links).\n\n", s.Errors, s.Warnings, s.Infos, s.Files, s.Hops, s.Edges)
		fmt.Fprint(bw, "| severity | rule | where | finding |\n|---|---|---|---|\n")
		written := 0
		for i, f := range r.Findings {
			msg := mdCell(f.Message)
			shown, more := shownRelated(f.Related)
			for _, rel := range shown {
				msg += "<br>↳ " + mdCell(r.loc(rel.Range)) + ": " + mdCell(rel.Message)
			}
			if more > 0 {
				msg += fmt.Sprintf("<br>↳ … and %d more related locations (all of them are in the SARIF upload)", more)
			}
			row := fmt.Sprintf("| %s | [%s](%s#%s) | %s | %s |\n", mdSeverity(f.Severity), f.Rule, docsURL, f.Rule, mdCell(r.loc(f.Range)), msg)
			if written+len(row) > markdownTableBudget {
				fmt.Fprintf(bw, "\n%d more findings are not in this table: GitHub refuses a step summary over 1 MiB. The SARIF upload and `--format json` have them all.\n", len(r.Findings)-i)
				break
			}
			written += len(row)
			fmt.Fprint(bw, row)
		}
	}
	if r.Path != "" && len(r.Findings) > 0 {
		fmt.Fprintf(bw, "\n#### The path these findings touch\n\nHops in a file with a finding are outlined; dotted links are assumed.\n\n```mermaid\n%s```\n", mdFence(r.Path))
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(bw)
		for _, n := range r.Notes {
			fmt.Fprintf(bw, "> %s\n", mdCell(n))
		}
	}
	return bw.Flush()
}

func mdSeverity(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "🔴 error"
	case rules.Warning:
		return "🟠 warning"
	}
	return "🔵 info"
}

// mdCell makes text from config values safe in a table cell: controls
// shown escaped, and the characters Markdown and HTML act on escaped, so a
// value can neither break the table nor inject a link or a tag.
func mdCell(s string) string {
	s = visible(s)
	return strings.NewReplacer(
		"&", "&amp;", "<", "&lt;", ">", "&gt;", "|", `\|`,
		`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	).Replace(s)
}

// mdFence keeps a Mermaid body inside its code fence: no control
// character and no backtick (which could close the fence) survives.
func mdFence(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		body := strings.TrimSuffix(line, "\n")
		b.WriteString(strings.ReplaceAll(visible(body), "`", "#96;"))
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}
