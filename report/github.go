package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hoplint/hoplint/rules"
)

// GitHub writes workflow commands that GitHub Actions turns into
// annotations on the pull request:
//
//	::error file=F,line=L,endLine=L,col=C,endColumn=C,title=T::message
//
// Related locations become lines of the message, since an annotation has
// one location.
func GitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		level := "notice"
		switch f.Severity {
		case rules.Error:
			level = "error"
		case rules.Warning:
			level = "warning"
		}
		msg := f.Message
		for _, rel := range f.Related {
			msg += "\n" + location(rel.Range) + ": " + rel.Message
		}
		props := []string{"file=" + escapeProperty(f.Range.File)}
		if f.Range.Start.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Range.Start.Line))
			if f.Range.End.Line > 0 {
				props = append(props, fmt.Sprintf("endLine=%d", f.Range.End.Line))
			}
			if f.Range.Start.Col > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Range.Start.Col))
				if f.Range.End.Col > 0 && f.Range.End.Line == f.Range.Start.Line {
					props = append(props, fmt.Sprintf("endColumn=%d", f.Range.End.Col))
				}
			}
		}
		props = append(props, "title="+escapeProperty("hoplint "+f.Rule))
		fmt.Fprintf(bw, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg))
	}
	return bw.Flush()
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
