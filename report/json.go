package report

import (
	"encoding/json"
	"io"

	"github.com/hoplint/hoplint/parsers"
)

// The JSON shape is a stable interface (DESIGN.md §5, version 1): fields
// are only ever added, never renamed or removed, within a version.

type jsonLocation struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
}

type jsonRelated struct {
	Location jsonLocation `json:"location"`
	Message  string       `json:"message"`
}

type jsonFinding struct {
	Rule        string        `json:"rule"`
	Severity    string        `json:"severity"`
	Message     string        `json:"message"`
	Location    jsonLocation  `json:"location"`
	Related     []jsonRelated `json:"related"`
	Fingerprint string        `json:"fingerprint"`
}

type jsonReport struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Summary  Summary       `json:"summary"`
}

// jsonLocation counts columns in characters, as text output does.
func (r *Report) jsonLocation(rg parsers.Range) jsonLocation {
	end := rg
	end.Start = rg.End
	return jsonLocation{File: rg.File, Line: rg.Start.Line, Column: r.charColumn(rg, rg.Start.Col), EndLine: rg.End.Line, EndColumn: r.charColumn(end, rg.End.Col)}
}

// JSON writes version 1 of the JSON report.
func JSON(w io.Writer, r *Report) error {
	out := jsonReport{Version: 1, Findings: []jsonFinding{}, Summary: r.Summary}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message,
			Location: r.jsonLocation(f.Range), Related: []jsonRelated{}, Fingerprint: f.Fingerprint,
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Location: r.jsonLocation(rel.Range), Message: rel.Message})
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
