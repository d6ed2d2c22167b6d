package report

import (
	"bufio"
	"bytes"
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

// jsonLocation counts columns in characters, as text output does.
func (r *Report) jsonLocation(rg parsers.Range) jsonLocation {
	end := rg
	end.Start = rg.End
	return jsonLocation{File: rg.File, Line: rg.Start.Line, Column: r.charColumn(rg, rg.Start.Col), EndLine: rg.End.Line, EndColumn: r.charColumn(end, rg.End.Col)}
}

// JSON writes version 1 of the JSON report. It writes one finding at a
// time, each encoded on its own into one reused buffer: the whole
// document, built and indented in memory, took twice its size again
// (120,000 findings: 107 MB of JSON, 1.4 GB of memory at the peak). The
// bytes are those encoding/json writes for the whole document with a
// two-space indent.
// A bufio.Writer keeps its first error: Flush returns it.
func JSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// encode writes v as a value nested at depth (the prefix before its
	// inner lines), without the encoder's final newline.
	encode := func(v any, prefix string) error {
		buf.Reset()
		enc.SetIndent(prefix, "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	_, _ = bw.WriteString("{\n  \"version\": 1,\n  \"findings\": [")
	for i, f := range r.Findings {
		jf := jsonFinding{
			Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message,
			Location: r.jsonLocation(f.Range), Related: make([]jsonRelated, 0, len(f.Related)), Fingerprint: f.Fingerprint,
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{Location: r.jsonLocation(rel.Range), Message: rel.Message})
		}
		if i > 0 {
			_, _ = bw.WriteString(",")
		}
		_, _ = bw.WriteString("\n    ")
		if err := encode(jf, "    "); err != nil {
			return err
		}
	}
	if len(r.Findings) > 0 {
		_, _ = bw.WriteString("\n  ")
	}
	_, _ = bw.WriteString("],\n  \"summary\": ")
	if err := encode(r.Summary, "  "); err != nil {
		return err
	}
	_, _ = bw.WriteString("\n}\n")
	return bw.Flush()
}
