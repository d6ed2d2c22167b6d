package report

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

// fixSpan locates a finding's fix in the file as hoplint read it: the one
// whole-token occurrence of Old within the fix's range, on one line. It
// returns the line and the span's 1-based UTF-16 columns (SARIF's
// columnKind), or ok false when the fix cannot be offered exactly: the
// file was not read (a rendered object's template, a path outside the
// run), the range spans lines, the config is embedded in another file
// (its columns are shifted), or Old is written there not once as a token
// (a template expression computes the value, or the line holds it twice).
func (r *Report) fixSpan(fx *rules.Fix) (line, start, end int, ok bool) {
	line, runes, at, ok := r.fixRunes(fx)
	if !ok {
		return 0, 0, 0, false
	}
	start = len(utf16.Encode(runes[:at])) + 1
	end = start + len(utf16.Encode([]rune(fx.Old)))
	return line, start, end, true
}

// fixedLine is the line of a fix as it reads before and after the fix,
// or ok false where fixSpan would offer none.
func (r *Report) fixedLine(fx *rules.Fix) (line int, before, after string, ok bool) {
	line, runes, at, ok := r.fixRunes(fx)
	if !ok {
		return 0, "", "", false
	}
	n := len([]rune(fx.Old))
	return line, string(runes), string(runes[:at]) + fx.New + string(runes[at+n:]), true
}

// fixRunes finds a fix's token (see fixSpan): the line, its characters,
// and the index of the token's first character in them.
func (r *Report) fixRunes(fx *rules.Fix) (line int, runes []rune, at int, ok bool) {
	if fx == nil || fx.Old == "" || fx.Old == fx.New || strings.ContainsAny(fx.New, "\r\n") {
		return 0, nil, 0, false
	}
	rg := fx.Range
	if rg.Start.Line < 1 || rg.End.Line != rg.Start.Line || rg.Start.Col < 1 || rg.End.Col <= rg.Start.Col {
		return 0, nil, 0, false
	}
	f := r.source(rg.File)
	if f == nil || f.Shift != (parsers.Pos{}) || f.Map != nil {
		return 0, nil, 0, false
	}
	text := f.Line(rg.Start.Line)
	runes = []rune(text)
	byteCols := r.byteColumns(rg.File)
	from := r.runeIndex(text, rg.Start.Col, byteCols)
	to := min(r.runeIndex(text, rg.End.Col, byteCols), len(runes))
	old := []rune(fx.Old)
	found := -1
	for i := from; i+len(old) <= to; i++ {
		if string(runes[i:i+len(old)]) != fx.Old {
			continue
		}
		if (i > 0 && tokenRune(runes[i-1])) || (i+len(old) < len(runes) && tokenRune(runes[i+len(old)])) {
			continue
		}
		if found >= 0 {
			return 0, nil, 0, false
		}
		found = i
	}
	if found < 0 {
		return 0, nil, 0, false
	}
	return rg.Start.Line, runes, found, true
}

// tokenRune is a rune that continues a value, a name or a reference: a
// fix's token must not be part of a longer one ("off" in "offset" or in
// the nginx variable "$off", "512m" in "1512m" or in ".Values.512m").
func tokenRune(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsDigit(c) || strings.ContainsRune("_.-$@/", c)
}
