package compose

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers/compose"
)

func TestMatchConstraints(t *testing.T) {
	labels := map[string]compose.String{
		"stack":   {Value: "shop", Known: true, Set: true},
		"tier":    {Value: "internal", Known: true, Set: true},
		"unknown": {Known: false, Set: true},
	}
	cases := []struct {
		expr         string
		match, known bool
	}{
		{"Label(`stack`,`shop`)", true, true},
		{"Label(`stack`, `shop`)", true, true},
		{`Label("stack", "shop")`, true, true},
		{"Label(`stack`,`blog`)", false, true},
		{"Label(`missing`,``)", true, true}, // an unset label reads as ""
		{"LabelRegex(`tier`,`^int`)", true, true},
		{"LabelRegex(`tier`,`ern`)", true, true}, // anywhere in the value
		{"LabelRegex(`tier`,`[`)", false, true},  // a bad expression matches nothing
		{"Label(`stack`,`shop`) && !LabelRegex(`tier`,`^int`)", false, true},
		{"Label(`stack`,`blog`) || (Label(`tier`,`internal`))", true, true},
		// What one known side decides, an unknown one does not change.
		{"Label(`unknown`,`x`) || Label(`stack`,`shop`)", true, true},
		{"Label(`unknown`,`x`) && Label(`stack`,`blog`)", false, true},
		{"Label(`unknown`,`x`) && Label(`stack`,`shop`)", false, false},
		{"!Label(`unknown`,`x`)", false, false},
		// Labels Docker and compose add are not in the file.
		{"Label(`com.docker.compose.project`,`shop`)", false, false},
		// Anything else is not Traefik's grammar, or not hoplint's to decide.
		{"Tag(`shop`)", false, false},
		{"Label(`stack`)", false, false},
		{"Label(`stack`, 1)", false, false},
		{"Label(`stack`,`shop`) == true", false, false},
		{"Label(`stack`,", false, false},
		{"", false, false},
		{strings.Repeat("!", maxConstraintLen) + "Label(`stack`,`shop`)", false, false},
		{strings.Repeat("(", 200) + "Label(`stack`,`shop`)" + strings.Repeat(")", 200), false, false},
	}
	for _, c := range cases {
		m, k := matchConstraints(c.expr, labels)
		if m != c.match || k != c.known {
			t.Errorf("matchConstraints(%.60q) = %v, %v; want %v, %v", c.expr, m, k, c.match, c.known)
		}
	}
}
