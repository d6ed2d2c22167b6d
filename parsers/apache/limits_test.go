package apache

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// After an expansion is refused, the variable is unknown: lines using it
// are unresolved (not expanded from a stale or literal value) until a
// Define gives it a value again.
func TestRefusedExpansionLeavesVariableUnknown(t *testing.T) {
	src := "Define A x\n" + strings.Repeat("Define A ${A}${A}\n", 40) + "ServerName ${A}\nDefine A short\nServerAdmin ${A}\n"
	f := parsers.NewFile("httpd.conf", "/r/httpd.conf", "/r", parsers.FormatApache, []byte(src))
	c := Parse(f, Options{})
	var refused int
	for _, is := range c.Issues {
		if strings.Contains(is.Message, "limit of 1 MiB") {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("refused expansions reported %d times, want once: %v", refused, c.Issues)
	}
	for _, d := range c.Directives {
		switch {
		case d.Is("ServerName") && !d.Unresolved:
			t.Errorf("ServerName ${A} resolved to %.40q…, want unresolved", d.Arg(0))
		case d.Is("ServerAdmin") && (d.Unresolved || d.Arg(0) != "short"):
			t.Errorf("ServerAdmin = %q (unresolved %v), want short", d.Arg(0), d.Unresolved)
		}
	}
}
