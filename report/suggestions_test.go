package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

// TestSuggestions: issue 23 item 2. A finding with a one-value fix becomes
// a review comment whose suggestion block is the whole fixed line, with
// the path relative to the repository and inDiff from Report.Changed; a
// fix that cannot be located exactly gives none; a line holding backticks
// gets a longer fence.
func TestSuggestions(t *testing.T) {
	ngx := parsers.NewFile("nginx/nginx.conf", "/x/nginx/nginx.conf", "/x", parsers.FormatNginx,
		[]byte("events {}\nhttp {\n    lingering_close off; # ```x```\n    lingering_close off;\n}\n"))
	fix := func(line int) *rules.Fix {
		return &rules.Fix{Range: rg("nginx/nginx.conf", line, 5, line, 25), Old: "off", New: "on", Description: "set lingering_close to on"}
	}
	r := &Report{
		Sources: map[string]*parsers.File{ngx.Path: ngx},
		RepoDir: "deploy",
		Findings: []rules.Finding{
			{Rule: "lingering-close-off", Severity: rules.Warning, Message: "m3 <b>", Range: rg("nginx/nginx.conf", 3, 5, 3, 25), Fix: fix(3)},
			{Rule: "lingering-close-off", Severity: rules.Warning, Message: "m4", Range: rg("nginx/nginx.conf", 4, 5, 4, 25), Fix: fix(4)},
			// Old is not on the line: no suggestion.
			{Rule: "memory-quantity-typo", Severity: rules.Error, Message: "m", Range: rg("nginx/nginx.conf", 4, 5, 4, 25),
				Fix: &rules.Fix{Range: rg("nginx/nginx.conf", 4, 5, 4, 25), Old: "512m", New: "512Mi"}},
		},
		Changed: func(g parsers.Range) bool { return g.Start.Line == 4 },
	}
	var doc struct {
		Version     int
		Suggestions []struct {
			Rule, Path, Original, Replacement, Body string
			Line                                    int
			InDiff                                  bool
		}
	}
	if err := json.Unmarshal([]byte(render(t, "suggestions", r)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Suggestions) != 2 {
		t.Fatalf("%+v", doc)
	}
	s3, s4 := doc.Suggestions[0], doc.Suggestions[1]
	if s3.Path != "deploy/nginx/nginx.conf" || s3.Line != 3 || s3.InDiff || !s4.InDiff {
		t.Errorf("path, line or inDiff: %+v", doc.Suggestions)
	}
	if s4.Original != "    lingering_close off;" || s4.Replacement != "    lingering_close on;" {
		t.Errorf("line 4: %q -> %q", s4.Original, s4.Replacement)
	}
	if !strings.HasSuffix(s4.Body, "\n```suggestion\n    lingering_close on;\n```\n") || !strings.Contains(s4.Body, "hoplint lingering-close-off") {
		t.Errorf("line 4 body:\n%s", s4.Body)
	}
	if !strings.HasSuffix(s3.Body, "\n````suggestion\n    lingering_close on; # ```x```\n````\n") || strings.Contains(s3.Body, "<b>") {
		t.Errorf("line 3 body (fence, escaping):\n%s", s3.Body)
	}
}
