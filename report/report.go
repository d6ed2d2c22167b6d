// Package report renders findings: text for people, JSON for programs,
// GitHub workflow commands and a Markdown step summary for pull requests,
// SARIF for code scanning, Checkstyle and JUnit XML for CI servers.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hoplint/hoplint/internal/textsafe"
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
	// Sources are the files the run read, by path, for snippets and
	// column conversion. A formatter never opens a file: a path a finding
	// names is quoted only if it was read (within the root, under the cap).
	Sources map[string]*parsers.File
	// Color enables ANSI colours (text only, and only on a terminal).
	Color bool
	// Version is hoplint's version, for SARIF.
	Version string
	// Notes are one-line remarks about the run (baseline, --new-from-rev),
	// printed by the summary formats.
	Notes []string
	// Path is a Mermaid flowchart of the hops the findings touch, or "".
	Path string
	// RepoDir is the working directory relative to the repository root
	// ("" at the root), so that SARIF URIs are repository-relative.
	RepoDir string
	// Changed reports whether a location is on a line changed since
	// --new-from-rev (or in a file added since); nil without the flag.
	// The GitHub annotations put those findings first, and the
	// suggestions format offers fixes only on such lines (a pull request
	// review comment can only sit on a line of the diff).
	Changed func(parsers.Range) bool
	// FailOn is the lowest severity that fails the run (--fail-on), for
	// the formats that say pass or fail per finding (JUnit). Zero fails
	// on every finding; FailNever on none.
	FailOn rules.Severity
}

// FailNever as Report.FailOn: no finding fails the run (--fail-on never).
const FailNever = rules.Error + 1

// fails reports whether f fails the run at r.FailOn.
func (r *Report) fails(f rules.Finding) bool { return f.Severity >= r.FailOn }

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
	"text":        Text,
	"json":        JSON,
	"github":      GitHub,
	"sarif":       SARIF,
	"markdown":    Markdown,
	"checkstyle":  Checkstyle,
	"junit":       JUnit,
	"suggestions": Suggestions,
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
	return r.Sources[path]
}

// line returns the source text of a range's first line, or "".
func (r *Report) line(rg parsers.Range) string {
	f := r.source(rg.File)
	if f == nil || rg.Start.Line < 1 {
		return ""
	}
	return f.Line(rg.Start.Line - f.Shift.Line)
}

// snippet returns the line a range starts on and a marker under the range,
// or "" when the source is not available. Tabs widen to four columns and
// other control characters are shown escaped, the marker following both.
func (r *Report) snippet(rg parsers.Range) (string, string) {
	raw := r.line(rg)
	if raw == "" {
		return "", ""
	}
	byteCols := r.byteColumns(rg.File)
	start := r.runeIndex(raw, rg.Start.Col, byteCols)
	end := start + 1
	if rg.End.Line == rg.Start.Line && rg.End.Col > rg.Start.Col {
		end = r.runeIndex(raw, rg.End.Col, byteCols)
	}
	var line strings.Builder
	col, vStart, vEnd := 0, -1, -1
	for i, c := range []rune(raw) {
		if i == start {
			vStart = col
		}
		if i == end {
			vEnd = col
		}
		s := string(c)
		switch {
		case c == '\t':
			s = "    "
		case isControl(c):
			s = visible(s)
		}
		line.WriteString(s)
		col += utf8.RuneCountInString(s)
	}
	if vStart < 0 {
		vStart = col
	}
	if vEnd < 0 {
		vEnd = col
	}
	if vEnd <= vStart {
		vEnd = vStart + 1
	}
	return line.String(), strings.Repeat(" ", vStart) + "^" + strings.Repeat("~", vEnd-vStart-1)
}

// byteColumns reports whether the parser of a file counts columns in bytes
// (nginx through crossplane's lines, Apache's own lexer) rather than in
// characters (YAML, HCL).
func (r *Report) byteColumns(path string) bool {
	f := r.source(path)
	return f != nil && (f.Format == parsers.FormatNginx || f.Format == parsers.FormatApache)
}

// runeIndex is the 0-based character index of a 1-based column.
func (r *Report) runeIndex(line string, col int, byteCols bool) int {
	if col < 1 {
		return 0
	}
	if !byteCols {
		return col - 1
	}
	if col-1 > len(line) {
		return utf8.RuneCountInString(line) + col - 1 - len(line)
	}
	return utf8.RuneCountInString(line[:col-1])
}

// charColumn converts a range column to characters (Unicode code points),
// 1-based, which is what text, JSON, GitHub and the XML formats print.
func (r *Report) charColumn(rg parsers.Range, col int) int {
	if col < 1 || rg.Start.Line < 1 {
		return col
	}
	line := r.lineAt(rg.File, rg.Start.Line)
	if line == "" || !r.byteColumns(rg.File) {
		return col
	}
	return r.runeIndex(line, col, true) + 1
}

// utf16Column converts a range column to UTF-16 code units, 1-based, as
// GitHub code scanning counts (SARIF columnKind utf16CodeUnits).
func (r *Report) utf16Column(rg parsers.Range, line, col int) int {
	if col < 1 || line < 1 {
		return col
	}
	text := r.lineAt(rg.File, line)
	if text == "" {
		return col
	}
	runes := []rune(text)
	idx := r.runeIndex(text, col, r.byteColumns(rg.File))
	if idx > len(runes) {
		return col
	}
	return len(utf16.Encode(runes[:idx])) + 1
}

func (r *Report) lineAt(path string, line int) string {
	f := r.source(path)
	if f == nil {
		return ""
	}
	return f.Line(line - f.Shift.Line)
}

func location(rg parsers.Range) string {
	switch {
	case rg.Start.Line == 0:
		return visible(rg.File)
	case rg.Start.Col == 0:
		return fmt.Sprintf("%s:%d", visible(rg.File), rg.Start.Line)
	}
	return fmt.Sprintf("%s:%d:%d", visible(rg.File), rg.Start.Line, rg.Start.Col)
}

// loc is location with the column in characters.
func (r *Report) loc(rg parsers.Range) string {
	rg.Start.Col = r.charColumn(rg, rg.Start.Col)
	return location(rg)
}

// isControl and visible are textsafe's, shared with `hoplint graph`.
func isControl(c rune) bool { return textsafe.IsControl(c) }

// Visible is visible for callers outside the package (the Mermaid picture
// of hop names taken from config values).
func Visible(s string) string { return textsafe.Visible(s) }

func visible(s string) string { return textsafe.Visible(s) }
