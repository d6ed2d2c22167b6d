package config

import (
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Program is one [program:NAME] section of a supervisord config file.
type Program struct {
	Name string
	// Command is the command line as written (supervisord splits it like
	// a shell, without running one); "" when the section has none.
	Command string
	// Range covers the command's value (every line of it when it is
	// continued).
	Range parsers.Range
	// Autostart is false when the section says autostart=false:
	// supervisord does not start the program with itself.
	Autostart bool
	// Unknown is set when the command holds a %(…)s expansion, which
	// hoplint does not expand.
	Unknown bool
}

// ParseSupervisord reads the programs of a supervisord config file
// (supervisord.conf, an INI file read by Python's configparser): sections
// [program:NAME], keys written `key=value` or `key: value`, a comment a
// line starting with ';' or '#' or text after " ;" (supervisor's inline
// comment), and a value continued on the indented lines after it.
// [include] is not followed. Nothing is run.
func ParseSupervisord(f *parsers.File) ([]Program, []parsers.Problem) {
	if len(f.Bytes()) > MaxSize {
		return nil, tooLarge(f).Problems
	}
	var out []Program
	var cur *Program
	var key string // the key the last value line belongs to, for continuations
	for n := 1; n <= f.NumLines(); n++ {
		text := strings.TrimRight(f.Line(n), "\r")
		start := 0
		if n == 1 && parsers.HasBOM(f.Bytes()) {
			start = 3
		}
		from, to := trimmed(text, start, len(text))
		if from == to || text[from] == ';' || text[from] == '#' {
			continue
		}
		if from > start && key != "" {
			// an indented line continues the value above
			if key == "command" && cur != nil {
				end := inlineComment(text, from, to)
				cur.Command += " " + strings.TrimSpace(text[from:end])
				cur.Range.End = f.At(n, end+1, n, end+1).End
			}
			continue
		}
		key = ""
		if text[from] == '[' {
			cur = nil
			if end := strings.IndexByte(text[from:], ']'); end > 0 {
				name := strings.TrimSpace(text[from+1 : from+end])
				if p, ok := strings.CutPrefix(name, "program:"); ok {
					out = append(out, Program{Name: strings.TrimSpace(p), Autostart: true})
					cur = &out[len(out)-1]
				}
			}
			continue
		}
		sep := strings.IndexAny(text[from:to], "=:")
		if sep < 0 {
			continue
		}
		kf, kt := trimmed(text, from, from+sep)
		key = strings.ToLower(text[kf:kt])
		if cur == nil {
			continue
		}
		vf, vt := trimmed(text, from+sep+1, inlineComment(text, from+sep+1, to))
		val := text[vf:vt]
		switch key {
		case "command":
			cur.Command, cur.Range = val, lineRange(f, n, vf, vt)
		case "autostart":
			cur.Autostart = strings.ToLower(val) != "false"
		}
	}
	for i := range out {
		out[i].Unknown = strings.Contains(out[i].Command, "%(")
	}
	return out, nil
}

// inlineComment is where a " ;" comment starts in text[from:to], else to.
func inlineComment(text string, from, to int) int {
	for i := from; i < to; i++ {
		if text[i] == ';' && i > from && (text[i-1] == ' ' || text[i-1] == '\t') {
			return i
		}
	}
	return to
}
