package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hoplint/hoplint/rules"
)

// markdownBudget keeps the whole summary under GitHub's limit of 1 MiB per
// step summary (a larger one is dropped whole, the table with it), with
// room to spare for the lines the runner or the workflow may add (the
// runner says "$GITHUB_STEP_SUMMARY upload aborted, supports content up to
// a size of 1024k" and shows nothing).
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary
var markdownBudget = 1<<20 - 16<<10

// mdCellMax caps the text of one table cell or note before escaping (which
// at most quintuples it): a message quoting a config value of a megabyte
// would otherwise fill the table with one row.
const mdCellMax = 2 << 10

// Markdown writes a summary for people reading a pull request: a headline
// with the counts, a table of every finding with its related locations,
// and a Mermaid picture of the part of the request path the findings
// touch. It is what the GitHub Action appends to $GITHUB_STEP_SUMMARY,
// and works as a PR comment. Every part is budgeted, so that the whole
// stays under markdownBudget: the picture is left out (with a line saying
// so) when it would take more than a quarter of it, long cells are cut,
// and the table stops, saying how many findings it left out, where the
// budget ends.
func Markdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	var head, picture, notes strings.Builder
	if len(r.Findings) == 0 {
		fmt.Fprintf(&head, "### hoplint: no findings\n\n%d files, %d hops, %d links.\n", s.Files, s.Hops, s.Edges)
	} else {
		fmt.Fprintf(&head, "### hoplint: %d errors, %d warnings, %d infos\n\nIn %d files (%d hops, %d links).\n\n", s.Errors, s.Warnings, s.Infos, s.Files, s.Hops, s.Edges)
	}
	if r.Path != "" && len(r.Findings) > 0 {
		fence := mdFence(r.Path)
		if len(fence) <= markdownBudget/4 {
			fmt.Fprintf(&picture, "\n#### The path these findings touch\n\nHops in a file with a finding are outlined; dotted links are assumed.\n\n```mermaid\n%s```\n", fence)
		} else {
			fmt.Fprintf(&picture, "\nThe picture of the path these findings touch is left out: it takes %d KiB, more than this summary can spend of the 1 MiB GitHub allows. `hoplint graph --format mermaid` draws the whole graph.\n", len(fence)>>10)
		}
	}
	if len(r.Notes) > 0 {
		notes.WriteString("\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&notes, "> %s\n", mdCell(mdCut(n)))
		}
	}
	fmt.Fprint(bw, head.String())
	if len(r.Findings) > 0 {
		// What the table may take: the rest, less the line that says how
		// many findings it left out.
		budget := markdownBudget - head.Len() - picture.Len() - notes.Len() - 256
		header := "| severity | rule | where | finding |\n|---|---|---|---|\n"
		fmt.Fprint(bw, header)
		written := len(header)
		for i, f := range r.Findings {
			msg := mdCell(mdCut(f.Message))
			shown, more := shownRelated(f.Related)
			for _, rel := range shown {
				msg += "<br>↳ " + mdCell(mdCut(r.loc(rel.Range))) + ": " + mdCell(mdCut(rel.Message))
			}
			if more > 0 {
				msg += fmt.Sprintf("<br>↳ … and %d more related locations (all of them are in the SARIF upload)", more)
			}
			row := fmt.Sprintf("| %s | [%s](%s#%s) | %s | %s |\n", mdSeverity(f.Severity), f.Rule, docsURL, f.Rule, mdCell(mdCut(r.loc(f.Range))), msg)
			if written+len(row) > budget {
				fmt.Fprintf(bw, "\n%d more findings are not in this table: GitHub refuses a step summary over 1 MiB. The SARIF upload and `--format json` have them all.\n", len(r.Findings)-i)
				break
			}
			written += len(row)
			fmt.Fprint(bw, row)
		}
	}
	fmt.Fprint(bw, picture.String())
	fmt.Fprint(bw, notes.String())
	return bw.Flush()
}

// mdCut shortens text from config values to mdCellMax bytes (on a character
// boundary), saying that it did.
func mdCut(s string) string {
	if len(s) <= mdCellMax {
		return s
	}
	cut := mdCellMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d more bytes cut here; the JSON and SARIF formats have it all)", len(s)-cut)
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
