package apache

import (
	"sort"
	"strings"
)

// logical is one configuration line as httpd reads it: physical lines
// joined where one ends in a backslash (the backslash and the newline are
// dropped, the next line is appended as is), then trimmed.
type logical struct {
	text string // joined, untrimmed
	segs []seg  // where each physical line starts in text
	from int    // trimmed content is text[from:to]
	to   int
}

type seg struct {
	off  int // offset in logical.text
	line int // 1-based physical line (unshifted)
}

// content is the trimmed line.
func (l *logical) content() string { return l.text[l.from:l.to] }

// pos maps an offset of text to a physical line and 1-based column.
func (l *logical) pos(off int) (line, col int) {
	i := sort.Search(len(l.segs), func(i int) bool { return l.segs[i].off > off }) - 1
	if i < 0 {
		i = 0
	}
	return l.segs[i].line, off - l.segs[i].off + 1
}

func (l *logical) firstLine() int { return l.segs[0].line }

// splitLogical cuts data into logical lines the way ap_cfg_getline does:
// a backslash right before the line end (after an optional CR) continues the
// line, even on a comment line. Empty lines are dropped.
func splitLogical(data []byte) []*logical {
	var out []*logical
	var cur *logical
	var b strings.Builder
	lineNo := 0
	s := string(data)
	for len(s) > 0 || cur != nil {
		if len(s) == 0 {
			// A file ending in a continuation: what was joined so far is
			// the last line.
			cur.text = b.String()
			out = appendTrimmed(out, cur)
			break
		}
		lineNo++
		nl := strings.IndexByte(s, '\n')
		var phys string
		if nl < 0 {
			phys, s = s, ""
		} else {
			phys, s = s[:nl], s[nl+1:]
		}
		phys = strings.TrimSuffix(phys, "\r")
		if cur == nil {
			cur = &logical{}
			b.Reset()
		}
		cur.segs = append(cur.segs, seg{off: b.Len(), line: lineNo})
		if nl >= 0 && strings.HasSuffix(phys, "\\") {
			b.WriteString(phys[:len(phys)-1])
			continue
		}
		b.WriteString(phys)
		cur.text = b.String()
		out = appendTrimmed(out, cur)
		cur = nil
	}
	return out
}

func appendTrimmed(out []*logical, l *logical) []*logical {
	from, to := 0, len(l.text)
	for from < to && isSpace(l.text[from]) {
		from++
	}
	for to > from && isSpace(l.text[to-1]) {
		to--
	}
	if from == to {
		return out
	}
	l.from, l.to = from, to
	return append(out, l)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// token is one word of a line as ap_getword_conf cuts it: a quoted word
// ("…" or '…', where a backslash escapes the quote or a backslash) or a run
// of non-space bytes (where \\ is one backslash). Start and end are the raw
// extent in the line, quotes included.
type token struct {
	val        string
	start, end int
	quoted     bool
}

// tokenize splits s (offsets relative to s).
func tokenize(s string) []token {
	var out []token
	i := 0
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return out
		}
		start := i
		if q := s[i]; q == '"' || q == '\'' {
			j := i + 1
			for j < len(s) && s[j] != q {
				if s[j] == '\\' && j+1 < len(s) && (s[j+1] == q || s[j+1] == '\\') {
					j += 2
				} else {
					j++
				}
			}
			val := unescape(s[i+1:j], q)
			if j < len(s) {
				j++
			}
			out = append(out, token{val: val, start: start, end: j, quoted: true})
			i = j
			continue
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		out = append(out, token{val: unescape(s[i:j], 0), start: start, end: j})
		i = j
	}
}

func unescape(s string, quote byte) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\\' || (quote != 0 && s[i+1] == quote)) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// resolveVars replaces ${NAME} with defined values, as ap_resolve_env does
// over the whole line before it is cut into words. A name that is not
// defined stays as written (httpd then reads the literal text, and would
// look in its process environment, which hoplint cannot see); unresolved
// reports that it happened.
func resolveVars(s string, defs map[string]string) (out string, unresolved bool) {
	if !strings.Contains(s, "${") {
		return s, false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '{' {
			end := strings.IndexByte(s[i+2:], '}')
			if end >= 0 {
				name := s[i+2 : i+2+end]
				if v, ok := defs[name]; ok {
					b.WriteString(v)
					i += 2 + end
					continue
				}
				unresolved = true
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), unresolved
}
