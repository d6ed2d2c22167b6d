package node

import (
	"fmt"
	"strings"
)

// dump renders a result one fact a line, for tests to compare.
func dump(r *Result) string {
	var b strings.Builder
	for _, s := range r.Servers {
		fmt.Fprintf(&b, "server %s %s target=%q note=%q\n", s.Kind, s.Range, s.Target, s.Note)
		if s.Listen != nil {
			fmt.Fprintf(&b, "  listen %s", s.Listen.Range)
			if s.Listen.Port != nil {
				fmt.Fprintf(&b, " port=%s", vs(*s.Listen.Port))
			}
			b.WriteString("\n")
		}
		for _, st := range s.Settings {
			fmt.Fprintf(&b, "  %s %s = %s\n", st.Name, st.Range, vs(st.Value))
		}
	}
	for _, s := range r.SocketIO {
		fmt.Fprintf(&b, "socket.io %s\n", s.Range)
		for _, st := range s.Settings {
			fmt.Fprintf(&b, "  %s %s = %s\n", st.Name, st.Range, vs(st.Value))
		}
	}
	for _, p := range r.BodyParsers {
		fmt.Fprintf(&b, "body %s %s", p.Kind, p.Range)
		if p.Limit != nil {
			fmt.Fprintf(&b, " limit=%s", vs(*p.Limit))
		}
		b.WriteString("\n")
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "problem %s %s\n", p.Range, p.Message)
	}
	return b.String()
}

func vs(v Value) string {
	s := ""
	switch v.Kind {
	case Number:
		s = fmt.Sprintf("%g", v.Number)
	case String:
		s = fmt.Sprintf("%q", v.Str)
	case Env:
		s = "env " + v.Env
		if v.ToNumber {
			s += " number"
		}
		if v.Fallback != nil {
			s += " " + v.Op + " " + vs(*v.Fallback)
		}
	default:
		s = "unknown(" + v.Reason + ")"
	}
	return fmt.Sprintf("%s [%s %q]", s, v.Range, v.Text)
}
