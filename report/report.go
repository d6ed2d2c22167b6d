// Package report renders findings: text for people, JSON for programs,
// GitHub workflow commands for pull-request annotations, SARIF for code
// scanning.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

// Summary counts what a run looked at and found.
type Summary struct {
	Files    int `json:"files"`
	Hops     int `json:"hops"`
	Edges    int `json:"edges"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Report is everything a formatter may print.
type Report struct {
	Findings []rules.Finding
	Summary  Summary
	// Source returns a file's content for snippets, or nil.
	Source func(path string) *parsers.File
	// Color enables ANSI colours (text only, and only on a terminal).
	Color bool
	// Version is hoplint's version, for SARIF.
	Version string
}

// Count fills the severity counts of s from findings.
func (s *Summary) Count(fs []rules.Finding) {
	s.Errors, s.Warnings, s.Infos = 0, 0, 0
	for _, f := range fs {
		switch f.Severity {
		case rules.Error:
			s.Errors++
		case rules.Warning:
			s.Warnings++
		case rules.Info:
			s.Infos++
		}
	}
}

// Formatter writes a report.
type Formatter func(w io.Writer, r *Report) error

var formatters = map[string]Formatter{
	"text":   Text,
	"json":   JSON,
	"github": GitHub,
	"sarif":  SARIF,
}

// Lookup returns the formatter called name.
func Lookup(name string) (Formatter, bool) {
	f, ok := formatters[name]
	return f, ok
}

// Names lists the formatter names, sorted.
func Names() []string {
	var out []string
	for n := range formatters {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (r *Report) source(path string) *parsers.File {
	if r.Source == nil {
		return nil
	}
	return r.Source(path)
}

// snippet returns the line a range starts on and a marker under the range,
// or "" when the source is not available.
func (r *Report) snippet(rg parsers.Range) (string, string) {
	f := r.source(rg.File)
	if f == nil || rg.Start.Line < 1 {
		return "", ""
	}
	line := f.Line(rg.Start.Line - f.Shift.Line)
	if line == "" {
		return "", ""
	}
	line = strings.ReplaceAll(line, "\t", "    ")
	raw := f.Line(rg.Start.Line - f.Shift.Line)
	// Columns count bytes of the raw line; widen tabs the same way.
	col := visualCol(raw, rg.Start.Col)
	end := col + 1
	if rg.End.Line == rg.Start.Line && rg.End.Col > rg.Start.Col {
		end = visualCol(raw, rg.End.Col)
	}
	if col > len(line) {
		col = len(line)
	}
	if end > len(line) {
		end = len(line)
	}
	if end <= col {
		end = col + 1
	}
	return line, strings.Repeat(" ", col) + "^" + strings.Repeat("~", end-col-1)
}

func visualCol(raw string, col int) int {
	v := 0
	for i := 0; i < col-1 && i < len(raw); i++ {
		if raw[i] == '\t' {
			v += 4
		} else {
			v++
		}
	}
	return v
}

func location(rg parsers.Range) string {
	switch {
	case rg.Start.Line == 0:
		return rg.File
	case rg.Start.Col == 0:
		return fmt.Sprintf("%s:%d", rg.File, rg.Start.Line)
	}
	return fmt.Sprintf("%s:%d:%d", rg.File, rg.Start.Line, rg.Start.Col)
}
