package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
)

// Text prints each finding as
//
//	file:line:col: severity: message [rule]
//	    source line
//	    ^~~~~
//	  file:line:col: note: related message
//
// followed by a one-line summary.
func Text(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !r.Color {
			return s
		}
		return code + s + ansiReset
	}
	for _, f := range r.Findings {
		sev := f.Severity.String()
		switch f.Severity {
		case rules.Error:
			sev = paint(ansiRed+ansiBold, sev)
		case rules.Warning:
			sev = paint(ansiYellow+ansiBold, sev)
		default:
			sev = paint(ansiCyan+ansiBold, sev)
		}
		fmt.Fprintf(bw, "%s: %s: %s %s\n", paint(ansiBold, r.loc(f.Range)), sev, visible(f.Message), paint(ansiDim, "["+f.Rule+"]"))
		if line, marker := r.snippet(f.Range); line != "" {
			fmt.Fprintf(bw, "    %s\n    %s\n", line, paint(ansiRed, marker))
		}
		shown, more := shownRelated(f.Related)
		for _, rel := range shown {
			fmt.Fprintf(bw, "  %s: %s: %s\n", r.loc(rel.Range), paint(ansiCyan, "note"), visible(rel.Message))
			if line, marker := r.snippet(rel.Range); line != "" {
				fmt.Fprintf(bw, "      %s\n      %s\n", line, paint(ansiCyan, marker))
			}
		}
		if more > 0 {
			fmt.Fprintf(bw, "  %s\n", paint(ansiCyan, fmt.Sprintf("… and %d more related locations (all of them are in --format json and sarif)", more)))
		}
	}
	s := r.Summary
	if len(r.Findings) == 0 {
		fmt.Fprintf(bw, "no findings in %d files (%d hops, %d links)\n", s.Files, s.Hops, s.Edges)
	} else {
		fmt.Fprintf(bw, "%d errors, %d warnings, %d infos in %d files (%d hops, %d links)\n", s.Errors, s.Warnings, s.Infos, s.Files, s.Hops, s.Edges)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(bw, "note: %s\n", visible(n))
	}
	return bw.Flush()
}

// maxShownRelated is how many related locations the formats read by people
// (text, GitHub annotations, the Markdown summary) show; a finding that
// stands for 120,000 places would otherwise print them all. JSON, SARIF
// and the XML formats keep every one.
const maxShownRelated = 10

func shownRelated(rel []parsers.Related) ([]parsers.Related, int) {
	if len(rel) <= maxShownRelated {
		return rel, 0
	}
	return rel[:maxShownRelated], len(rel) - maxShownRelated
}
