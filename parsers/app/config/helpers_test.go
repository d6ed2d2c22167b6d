package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

func file(name, src string) *parsers.File {
	return parsers.NewFile(name, "/x/"+name, "/x", "", []byte(src))
}

func vs(v Value) string {
	s := ""
	switch v.Kind {
	case Duration:
		s = v.Duration.String()
	case Bytes:
		s = fmt.Sprintf("%dB", v.Bytes)
	case Int:
		s = fmt.Sprint(v.Int)
	case String:
		s = fmt.Sprintf("%q", v.Str)
	case Bool:
		s = fmt.Sprint(v.Bool)
	case Env:
		s = "env " + v.Env
		if v.Fallback != nil {
			s += " else " + vs(*v.Fallback)
		}
	default:
		s = "unknown(" + v.Reason + ")"
	}
	if v.Unlimited {
		s += " unlimited"
	}
	return s
}

func dump(r *Result) string {
	var b strings.Builder
	for _, s := range r.Settings {
		fmt.Fprintf(&b, "%s %s = %s [%s]", s.Range, s.Name, vs(s.Value), s.ValueRange)
		if s.Section != "" {
			fmt.Fprintf(&b, " section=%q", s.Section)
		}
		if s.Condition != "" {
			fmt.Fprintf(&b, " if=%q", s.Condition)
		}
		b.WriteString("\n")
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "problem %s %s\n", p.Range, p.Message)
	}
	return strings.TrimSpace(b.String())
}

func check(t *testing.T, r *Result, want string) {
	t.Helper()
	if got := dump(r); got != strings.TrimSpace(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, strings.TrimSpace(want))
	}
}
