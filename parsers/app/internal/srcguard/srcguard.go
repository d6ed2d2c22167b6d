// Package srcguard holds the checks the app-source parsers run before
// they parse: parsers of C-like languages recurse (and some backtrack) on
// brackets, so input nested far deeper than any hand-written code is
// refused up front, in one linear scan.
package srcguard

// Nesting scans the brackets of C-like source (JavaScript, TypeScript,
// Go) outside strings and comments. ok is false, with the 1-based line,
// where ( [ { nest deeper than max.
func Nesting(data []byte, max int) (line int, ok bool) {
	depth := 0
	line = 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case '\'', '"', '`':
			// A string ends at its quote; one in single or double quotes
			// also at the end of the line (JavaScript and Go forbid raw
			// newlines there; Go runes are written in single quotes).
			for i++; i < len(data) && data[i] != c; i++ {
				if data[i] == '\\' && c != '`' {
					i++
					continue
				}
				if data[i] == '\n' {
					if c != '`' {
						i--
						break
					}
					line++
				}
			}
		case '/':
			switch {
			case i+1 < len(data) && data[i+1] == '/':
				for i+1 < len(data) && data[i+1] != '\n' {
					i++
				}
			case i+1 < len(data) && data[i+1] == '*':
				for i += 2; i < len(data) && (data[i] != '*' || i+1 >= len(data) || data[i+1] != '/'); i++ {
					if data[i] == '\n' {
						line++
					}
				}
				i++
			}
		case '(', '[', '{':
			depth++
			if depth > max {
				return line, false
			}
		case ')', ']', '}':
			depth--
		}
	}
	return 0, true
}
