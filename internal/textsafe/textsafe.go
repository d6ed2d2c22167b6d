// Package textsafe renders text taken from config values so that it stays
// text wherever hoplint prints it: a terminal, a CI log, a Markdown summary.
// The lint formats (report) and the graph renderers (topology) share it, so
// `hoplint graph` escapes what `hoplint` escapes.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// IsControl reports characters that move the cursor, ring, recolour or
// reorder a terminal or a log viewer: C0 and C1 controls, DEL, and the
// Unicode bidirectional overrides and isolates. A tab is not one.
func IsControl(c rune) bool {
	switch {
	case c == '\t':
		return false
	case c < 0x20, c == 0x7f, c >= 0x80 && c < 0xa0:
		return true
	case c >= 0x202a && c <= 0x202e, c >= 0x2066 && c <= 0x2069, c == 0x200e, c == 0x200f, c == 0x061c:
		return true
	}
	return false
}

// Visible renders control characters and invalid UTF-8 as escapes (\n, \r,
// \x1b, \u202e), so that a value cannot end a line of output, colour the
// terminal or start a workflow command ("\n::error file=…") that GitHub
// would turn into a forged annotation.
func Visible(s string) string {
	clean := true
	for _, c := range s {
		if IsControl(c) || c == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		c, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case c == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x80 && IsControl(c):
			fmt.Fprintf(&b, `\x%02x`, c)
		case IsControl(c):
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
