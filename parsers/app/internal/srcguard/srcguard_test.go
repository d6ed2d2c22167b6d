package srcguard

import (
	"strings"
	"testing"
)

func TestNesting(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		ok   bool
	}{
		{"f((1))", 0, true},
		{"a\n" + strings.Repeat("(", 11), 2, false},
		{"'((((((((((((('\n\"(((((((((((((\"", 0, true},
		{"`\n((((((((((((\n`\n(", 0, true},
		{"// ((((((((((((((\n/* (((((((((((((\n */ x", 0, true},
		{"'unterminated ((((((((((((\n" + strings.Repeat("[", 11), 2, false},
		{"x = '\\'' + " + strings.Repeat("{", 11), 1, false},
	} {
		line, ok := Nesting([]byte(tc.src), 10)
		if line != tc.line || ok != tc.ok {
			t.Errorf("%q: got %d %v, want %d %v", tc.src, line, ok, tc.line, tc.ok)
		}
	}
}
