package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

// A finding folded over many places shows the first few in text and all
// of them in JSON.
func TestFoldedRelatedCapped(t *testing.T) {
	f := rules.Finding{Rule: "missing-body-size-limit", Severity: rules.Warning, Message: "m",
		Range: parsers.Range{File: "a.conf", Start: parsers.Pos{Line: 1, Col: 1}}}
	for i := 2; i < 502; i++ {
		f.Related = append(f.Related, parsers.Related{Range: parsers.Range{File: "a.conf", Start: parsers.Pos{Line: i, Col: 1}}, Message: "the same finding here"})
	}
	r := &Report{Findings: []rules.Finding{f}}
	var text, js bytes.Buffer
	if err := Text(&text, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(text.String(), "the same finding here"); n != maxShownRelated || !strings.Contains(text.String(), "… and 490 more related locations") {
		t.Errorf("text shows %d related notes:\n%s", n, text.String())
	}
	if err := JSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(js.String(), "the same finding here"); n != 500 {
		t.Errorf("JSON has %d related locations, want 500", n)
	}
}
