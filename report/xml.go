package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/hoplint/hoplint/rules"
)

// Checkstyle and JUnit XML, the formats CI servers (Jenkins, GitLab,
// Azure DevOps, reviewdog) import. Both are generated with encoding/xml, so
// every value is escaped; control characters, which XML 1.0 cannot carry
// at all, are written escaped as text (visible).

type checkstyleXML struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// fullMessage is a finding's message with its related locations appended,
// for formats with one location per entry.
func (r *Report) fullMessage(f rules.Finding) string {
	msg := visible(f.Message)
	for _, rel := range f.Related {
		msg += " [" + r.loc(rel.Range) + ": " + visible(rel.Message) + "]"
	}
	return msg
}

// Checkstyle writes Checkstyle's XML result format (as its XMLLogger
// does): findings grouped by file, severity error, warning or info, the
// rule as source "hoplint.RULE".
func Checkstyle(w io.Writer, r *Report) error {
	out := checkstyleXML{Version: "4.3"}
	index := map[string]int{}
	for _, f := range r.Findings {
		i, ok := index[f.Range.File]
		if !ok {
			i = len(out.Files)
			index[f.Range.File] = i
			out.Files = append(out.Files, checkstyleFile{Name: visible(f.Range.File)})
		}
		out.Files[i].Errors = append(out.Files[i].Errors, checkstyleError{
			Line: f.Range.Start.Line, Column: r.charColumn(f.Range, f.Range.Start.Col),
			Severity: f.Severity.String(), Message: r.fullMessage(f), Source: "hoplint." + f.Rule,
		})
	}
	return writeXML(w, out)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// JUnit writes JUnit XML as Jenkins' schema (junit-10.xsd) describes it:
// one test suite per file with findings, one test case per finding (name:
// the rule; classname: the location). A finding at or above --fail-on
// (Report.FailOn) is a failed case; one below it passes, with the finding
// as its system-out, so that the CI server's verdict agrees with hoplint's
// exit status and the finding is still shown. A clean run is one suite
// with one passing case, so that a CI server shows hoplint ran.
func JUnit(w io.Writer, r *Report) error {
	out := junitSuites{Name: "hoplint"}
	index := map[string]int{}
	for _, f := range r.Findings {
		i, ok := index[f.Range.File]
		if !ok {
			i = len(out.Suites)
			index[f.Range.File] = i
			out.Suites = append(out.Suites, junitSuite{Name: visible(f.Range.File)})
		}
		s := &out.Suites[i]
		s.Tests++
		body := fmt.Sprintf("%s: %s: %s [%s]", r.loc(f.Range), f.Severity, visible(f.Message), f.Rule)
		for _, rel := range f.Related {
			body += "\n  " + r.loc(rel.Range) + ": " + visible(rel.Message)
		}
		c := junitCase{Name: f.Rule, Classname: r.loc(f.Range)}
		if r.fails(f) {
			s.Failures++
			c.Failure = &junitFailure{Message: visible(firstLine(f.Message)), Type: f.Severity.String(), Body: body}
		} else {
			c.SystemOut = body
		}
		s.Cases = append(s.Cases, c)
	}
	if len(out.Suites) == 0 {
		out.Suites = []junitSuite{{Name: "hoplint", Tests: 1, Cases: []junitCase{{Name: "hoplint", Classname: "hoplint"}}}}
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
	}
	return writeXML(w, out)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
