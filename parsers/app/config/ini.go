package config

import (
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// iniLine is one `key = value` line of an INI-style file (php.ini,
// php-fpm pools, uWSGI ini).
type iniLine struct {
	line             int
	section          string
	key, value       string
	keyFrom, valFrom int // 0-based byte offsets in the line
	valTo            int
	lineTo           int
}

// readINI splits an INI file into sections and key = value lines.
// comment lists the characters that start a comment: php.ini and php-fpm
// take ';' anywhere outside quotes (and '#' at the start of a line in
// php-fpm); uWSGI takes '#' and ';' at the start of a line only.
func readINI(f *parsers.File, inlineComment bool) []iniLine {
	var out []iniLine
	section := ""
	for n := 1; n <= f.NumLines(); n++ {
		text := f.Line(n)
		start := 0
		if n == 1 && parsers.HasBOM(f.Bytes()) {
			start = 3
		}
		from, to := trimmed(text, start, len(text))
		if from == to {
			continue
		}
		switch text[from] {
		case ';', '#':
			continue
		case '[':
			if end := strings.IndexByte(text[from:], ']'); end > 0 {
				section = strings.TrimSpace(text[from+1 : from+end])
			}
			continue
		}
		if inlineComment {
			to = commentStart(text, from, to)
			from, to = trimmed(text, from, to)
		}
		eq := strings.IndexByte(text[from:to], '=')
		l := iniLine{line: n, section: section, keyFrom: from, lineTo: to}
		if eq < 0 {
			l.key = text[from:to]
			l.valFrom, l.valTo = to, to
		} else {
			kf, kt := trimmed(text, from, from+eq)
			vf, vt := trimmed(text, from+eq+1, to)
			l.key, l.value, l.valFrom, l.valTo = text[kf:kt], text[vf:vt], vf, vt
		}
		out = append(out, l)
	}
	return out
}

// commentStart finds a ';' outside double quotes.
func commentStart(text string, from, to int) int {
	quoted := false
	for i := from; i < to; i++ {
		switch text[i] {
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				return i
			}
		}
	}
	return to
}

func (l iniLine) setting(f *parsers.File, name string, v Value) Setting {
	return Setting{Name: name, Raw: l.value, Value: v, Section: l.section,
		Range: lineRange(f, l.line, l.keyFrom, l.lineTo), ValueRange: lineRange(f, l.line, l.valFrom, l.valTo)}
}
