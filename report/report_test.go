package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

func rg(file string, l, c, el, ec int) parsers.Range {
	return parsers.Range{File: file, Start: parsers.Pos{Line: l, Col: c}, End: parsers.Pos{Line: el, Col: ec}}
}

// sample has a cross-file finding, a multi-line one, a whole-file one and
// a non-ASCII line, in a path that needs percent-encoding.
func sample() *Report {
	ngx := parsers.NewFile("nginx conf/nginx.conf", "/x/nginx conf/nginx.conf", "/x", parsers.FormatNginx,
		[]byte("events {}\nhttp {\n    server_name \"☃𝄞\"; keepalive_timeout 75s;\n    server {\n    }\n}\n"))
	tf := parsers.NewFile("alb.tf", "/x/alb.tf", "/x", parsers.FormatTerraform, []byte("resource \"aws_lb\" \"web\" {\n  idle_timeout = 75\n}\n"))
	fs := []rules.Finding{
		{Rule: "keepalive-order", Severity: rules.Error, Message: "nginx closes [::1]:80 after 75s", Range: rg("nginx conf/nginx.conf", 3, 28, 3, 50),
			Related: []parsers.Related{{Range: rg("alb.tf", 2, 3, 2, 20), Message: "idle_timeout is 75s here"}}, Fingerprint: "abcdef0123456789"},
		{Rule: "missing-body-size-limit", Severity: rules.Warning, Message: "server block", Range: rg("nginx conf/nginx.conf", 4, 5, 5, 6), Fingerprint: "1111111111111111-2"},
		{Rule: "parse-error", Severity: rules.Error, Message: "cannot read: permission denied", Range: parsers.Range{File: "secret.conf"}, Fingerprint: "2222222222222222"},
	}
	r := &Report{Findings: fs, Sources: map[string]*parsers.File{ngx.Path: ngx, tf.Path: tf}, Version: "v1.2.3"}
	r.Summary.Count(fs)
	return r
}

func render(t *testing.T, name string, r *Report) string {
	t.Helper()
	f, _ := Lookup(name)
	var b bytes.Buffer
	if err := f(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// validateSARIF checks a log against the SARIF 2.1.0 schema (go-sarif
// embeds it) and against what GitHub code scanning requires.
func validateSARIF(t *testing.T, data []byte) *sarif.Report {
	t.Helper()
	log, err := sarif.FromBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Validate(); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
	return log
}

func TestSARIF(t *testing.T) {
	out := render(t, "sarif", sample())
	log := validateSARIF(t, []byte(out))
	run := log.Runs[0]
	if *run.ColumnKind != "utf16CodeUnits" || *run.AutomationDetails.ID != "hoplint/" || *run.Tool.Driver.SemanticVersion != "1.2.3" {
		t.Errorf("run properties: %s", out[:200])
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.ShortDescription == nil || r.FullDescription == nil || r.Help == nil || r.Help.Markdown == nil || r.Help.Text == nil ||
			r.HelpURI == nil || !strings.HasSuffix(*r.HelpURI, "rules.md#"+*r.ID) ||
			r.Properties == nil || len(r.Properties.Tags) == 0 || r.Properties.Properties["problem.severity"] == nil {
			t.Errorf("rule %s lacks a property code scanning reads", *r.ID)
		}
	}
	res := run.Results[0]
	if !strings.Contains(*res.Message.Text, "[alb.tf:2:3](1)") || !strings.Contains(*res.Message.Text, `\[::1\]:80`) {
		t.Errorf("message does not link its related location or escape brackets: %s", *res.Message.Text)
	}
	if res.PartialFingerprints["primaryLocationLineHash"] != "abcdef0123456789:1" || run.Results[1].PartialFingerprints["primaryLocationLineHash"] != "1111111111111111:2" {
		t.Errorf("primaryLocationLineHash: %v %v", res.PartialFingerprints, run.Results[1].PartialFingerprints)
	}
	loc := res.Locations[0].PhysicalLocation
	if *loc.ArtifactLocation.URI != "nginx%20conf/nginx.conf" || *loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
		t.Errorf("uri %s base %v", *loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID)
	}
	// "    server_name \"☃𝄞\"; " is 27 bytes before the column: 22 code
	// points, 23 UTF-16 units (𝄞 is a surrogate pair).
	if *loc.Region.StartColumn != 24 || *loc.Region.EndColumn != 46 {
		t.Errorf("UTF-16 columns %d-%d, want 24-46", *loc.Region.StartColumn, *loc.Region.EndColumn)
	}
	if rel := res.RelatedLocations[0]; rel.ID != 1 || *rel.PhysicalLocation.ArtifactLocation.URI != "alb.tf" {
		t.Errorf("related location %+v", rel)
	}
	whole := run.Results[2].Locations[0].PhysicalLocation.Region
	if whole == nil || *whole.StartLine != 1 {
		t.Errorf("a file-level finding needs a region")
	}
	// Inside a repository subdirectory, URIs are relative to the root.
	r := sample()
	r.RepoDir = "deploy"
	log = validateSARIF(t, []byte(render(t, "sarif", r)))
	if u := *log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; u != "deploy/nginx%20conf/nginx.conf" {
		t.Errorf("uri %s", u)
	}
}

func TestGitHub(t *testing.T) {
	out := render(t, "github", sample())
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "::error file=nginx conf/nginx.conf,line=3,endLine=3,col=23,endColumn=45,title=hoplint keepalive-order::") {
		t.Errorf("line 0 %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "::warning file=nginx conf/nginx.conf,line=4,endLine=5,title=") {
		t.Errorf("a multi-line range must not carry col: %q", lines[1])
	}
	r := sample()
	for i := 0; i < 12; i++ {
		r.Findings = append(r.Findings, rules.Finding{Rule: "lingering-close-off", Severity: rules.Warning, Message: fmt.Sprint("m", i), Range: rg("alb.tf", 1, 1, 1, 2)})
	}
	if out := render(t, "github", r); !strings.Contains(out, "13 warning findings; GitHub shows only 10 warning annotations per step, so 3 are not on the pull request") {
		t.Errorf("no note about the annotation limit:\n%s", out)
	}
}

func TestTextColumnsCountCharacters(t *testing.T) {
	out := render(t, "text", sample())
	if !strings.Contains(out, "nginx conf/nginx.conf:3:23: error:") {
		t.Errorf("column not in characters:\n%s", out)
	}
	// The marker sits under "keepalive_timeout", after the snowman and the clef.
	marker := strings.Repeat(" ", 4+22) + "^" + strings.Repeat("~", 21)
	if !strings.Contains(out, "        server_name \"☃𝄞\"; keepalive_timeout 75s;\n"+marker+"\n") {
		t.Errorf("marker misplaced:\n%s", out)
	}
	if strings.Contains(render(t, "text", &Report{Findings: []rules.Finding{{Rule: "x", Range: rg("/etc/passwd", 1, 1, 1, 2)}}}), "root:") {
		t.Errorf("a path never read was quoted")
	}
}

func TestMarkdown(t *testing.T) {
	r := sample()
	r.Findings[0].Message = "value a|b <script> `x`"
	r.Path = "flowchart LR\n  h0[\"a`b\"]\n"
	out := render(t, "markdown", r)
	if !strings.Contains(out, "### hoplint: 2 errors, 1 warnings, 0 infos") || !strings.Contains(out, `value a\|b &lt;script&gt; \`+"`x\\`") {
		t.Errorf("markdown:\n%s", out)
	}
	if !strings.Contains(out, "```mermaid\nflowchart LR\n  h0[\"a#96;b\"]\n```") || !strings.Contains(out, "↳ alb.tf:2:3: idle\\_timeout is 75s here") {
		t.Errorf("markdown mermaid or related:\n%s", out)
	}
}

// The XML formats are checked against the constraints of their schemas,
// written out here because no pure-Go XSD validator exists (the ones that
// do wrap libxml2 through cgo): JUnit against Jenkins' junit-10.xsd
// (jenkinsci/xunit-plugin), Checkstyle against the format its XMLLogger
// writes (the one every importer reads).

type xmlNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xmlNode  `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n xmlNode) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

type xmlElem struct {
	required, optional []string
	children           []string
	checks             map[string]*regexp.Regexp
}

func checkXML(t *testing.T, data string, root string, schema map[string]xmlElem) {
	t.Helper()
	var n xmlNode
	if err := xml.Unmarshal([]byte(data), &n); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	if n.XMLName.Local != root {
		t.Fatalf("root %s, want %s", n.XMLName.Local, root)
	}
	var walk func(n xmlNode)
	walk = func(n xmlNode) {
		el, ok := schema[n.XMLName.Local]
		if !ok {
			t.Errorf("element <%s> not in the schema", n.XMLName.Local)
			return
		}
		allowed := map[string]bool{}
		for _, a := range append(append([]string{}, el.required...), el.optional...) {
			allowed[a] = true
		}
		for _, a := range el.required {
			if _, ok := n.attr(a); !ok {
				t.Errorf("<%s> lacks required attribute %s", n.XMLName.Local, a)
			}
		}
		for _, a := range n.Attrs {
			if !allowed[a.Name.Local] {
				t.Errorf("<%s> has attribute %s the schema does not declare", n.XMLName.Local, a.Name.Local)
			}
			if re := el.checks[a.Name.Local]; re != nil && !re.MatchString(a.Value) {
				t.Errorf("<%s %s=%q> does not match %s", n.XMLName.Local, a.Name.Local, a.Value, re)
			}
		}
		kids := map[string]bool{}
		for _, c := range el.children {
			kids[c] = true
		}
		for _, c := range n.Children {
			if !kids[c.XMLName.Local] {
				t.Errorf("<%s> may not contain <%s>", n.XMLName.Local, c.XMLName.Local)
			}
			walk(c)
		}
	}
	walk(n)
}

var number = regexp.MustCompile(`^[0-9]+$`)

func TestJUnitSchema(t *testing.T) {
	schema := map[string]xmlElem{
		"testsuites": {optional: []string{"name", "time", "tests", "failures", "errors"}, children: []string{"testsuite"}, checks: map[string]*regexp.Regexp{"tests": number, "failures": number, "errors": number}},
		"testsuite": {required: []string{"name", "tests", "failures", "errors"}, optional: []string{"group", "time", "skipped", "timestamp", "hostname", "id", "package", "file", "log", "url"},
			children: []string{"testsuite", "properties", "testcase", "system-out", "system-err"}, checks: map[string]*regexp.Regexp{"tests": number, "failures": number, "errors": number}},
		"testcase": {required: []string{"name"}, optional: []string{"time", "classname", "group"}, children: []string{"skipped", "error", "failure", "system-out", "system-err"}},
		"failure":  {optional: []string{"type", "message"}},
	}
	out := render(t, "junit", sample())
	checkXML(t, out, "testsuites", schema)
	var s junitSuites
	if err := xml.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.Tests != 3 || s.Failures != 3 || len(s.Suites) != 2 || s.Suites[0].Cases[0].Failure == nil || !strings.Contains(s.Suites[0].Cases[0].Failure.Body, "alb.tf:2:3") {
		t.Errorf("junit content: %s", out)
	}
	clean := render(t, "junit", &Report{})
	checkXML(t, clean, "testsuites", schema)
	if !strings.Contains(clean, `tests="1" failures="0"`) {
		t.Errorf("clean run: %s", clean)
	}
}

func TestCheckstyleSchema(t *testing.T) {
	schema := map[string]xmlElem{
		"checkstyle": {optional: []string{"version"}, children: []string{"file"}},
		"file":       {required: []string{"name"}, children: []string{"error"}},
		"error": {required: []string{"line", "severity", "message", "source"}, optional: []string{"column"},
			checks: map[string]*regexp.Regexp{"line": number, "column": number, "severity": regexp.MustCompile(`^(ignore|info|warning|error)$`)}},
	}
	r := sample()
	r.Findings[0].Message = "a \x1b\"<&> b"
	out := render(t, "checkstyle", r)
	checkXML(t, out, "checkstyle", schema)
	if !strings.Contains(out, `<file name="nginx conf/nginx.conf">`) || !strings.Contains(out, `column="23"`) || !strings.Contains(out, `a \x1b&#34;&lt;&amp;&gt; b`) {
		t.Errorf("checkstyle:\n%s", out)
	}
}

func TestJSONColumnsAndShape(t *testing.T) {
	var v map[string]any
	out := render(t, "json", sample())
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	loc := v["findings"].([]any)[0].(map[string]any)["location"].(map[string]any)
	if strconv.Itoa(int(loc["column"].(float64))) != "23" || int(loc["endColumn"].(float64)) != 45 {
		t.Errorf("JSON columns %v", loc)
	}
}

func TestMarkdownStaysUnderGitHubLimit(t *testing.T) {
	old := markdownBudget
	markdownBudget = 700
	defer func() { markdownBudget = old }()
	out := render(t, "markdown", sample())
	if strings.Count(out, "| 🔴 error |")+strings.Count(out, "| 🟠 warning |") >= 3 || !strings.Contains(out, "more findings are not in this table") {
		t.Errorf("table not cut at the budget:\n%s", out)
	}
}

// TestMarkdownBudgetsEveryPart: the picture, the notes and each cell count
// toward the 1 MiB GitHub allows a step summary, not only the table rows
// (issue 25 item 12): a picture of 3 MiB, a note of 1 MiB, a message of
// 2 MiB and 3,000 ordinary findings make a summary under 1 MiB that still
// begins its table with the long finding, cut.
func TestMarkdownBudgetsEveryPart(t *testing.T) {
	r := sample()
	long := strings.Repeat("x", 2<<20)
	r.Findings[0].Message = long
	for i := 0; i < 3000; i++ {
		f := r.Findings[1]
		f.Message = strings.Repeat("m", 1000)
		r.Findings = append(r.Findings, f)
	}
	r.Summary.Count(r.Findings)
	r.Path = "flowchart LR\n  h0[\"" + strings.Repeat("n", 3<<20) + "\"]\n"
	r.Notes = []string{strings.Repeat("note ", 200<<10)}
	out := render(t, "markdown", r)
	if len(out) > 1<<20 {
		t.Fatalf("summary is %d bytes, over 1 MiB", len(out))
	}
	for _, want := range []string{
		"| 🔴 error | [keepalive-order]",
		"more bytes cut here",
		"more findings are not in this table",
		"The picture of the path these findings touch is left out",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

// TestJUnitFailOn: only findings at or above --fail-on are failed test
// cases, so that the CI server's verdict is hoplint's exit status; the
// others pass and carry the finding as system-out.
func TestJUnitFailOn(t *testing.T) {
	schema := map[string]xmlElem{
		"testsuites": {optional: []string{"name", "tests", "failures", "errors"}, children: []string{"testsuite"}},
		"testsuite":  {required: []string{"name", "tests", "failures", "errors"}, children: []string{"testcase"}},
		"testcase":   {required: []string{"name"}, optional: []string{"classname"}, children: []string{"failure", "system-out"}},
		"failure":    {optional: []string{"type", "message"}},
		"system-out": {},
	}
	for _, c := range []struct {
		failOn   rules.Severity
		failures int
	}{{0, 3}, {rules.Info, 3}, {rules.Warning, 3}, {rules.Error, 2}, {FailNever, 0}} {
		r := sample()
		r.FailOn = c.failOn
		out := render(t, "junit", r)
		checkXML(t, out, "testsuites", schema)
		var s junitSuites
		if err := xml.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, su := range s.Suites {
			for _, tc := range su.Cases {
				if tc.Failure != nil {
					failed++
				} else if !strings.Contains(tc.SystemOut, "["+tc.Name+"]") {
					t.Errorf("fail-on %v: a passing case does not carry its finding: %+v", c.failOn, tc)
				}
			}
		}
		if s.Tests != 3 || s.Failures != c.failures || failed != c.failures {
			t.Errorf("fail-on %v: tests %d, failures %d (%d cases failed), want 3 and %d", c.failOn, s.Tests, s.Failures, failed, c.failures)
		}
	}
}

// TestSARIFFixes: a one-value fix becomes a SARIF fix replacing exactly
// the value's columns (UTF-16), and none is offered where the value
// cannot be located exactly.
func TestSARIFFixes(t *testing.T) {
	ngx := parsers.NewFile("nginx.conf", "/x/nginx.conf", "/x", parsers.FormatNginx,
		[]byte("http {\n    server_name \"☃\"; lingering_close off;\n    lingering_close off; # off\n    lingering_close $off;\n}\n"))
	embedded := parsers.NewFile("cm.yaml", "/x/cm.yaml", "/x", parsers.FormatNginx, []byte("lingering_close off;\n"))
	embedded.Shift = parsers.Pos{Line: 5, Col: 4}
	fix := func(file string, l, c, ec int, old string) *rules.Fix {
		return &rules.Fix{Range: rg(file, l, c, l, ec), Old: old, New: "on", Description: "set lingering_close to on"}
	}
	fs := []rules.Finding{
		// "    server_name \"☃\"; " is 23 bytes, 21 characters, 21 UTF-16 units.
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "a", Range: rg("nginx.conf", 2, 24, 2, 44), Fix: fix("nginx.conf", 2, 24, 44, "off")},
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "b", Range: rg("nginx.conf", 3, 5, 3, 25), Fix: fix("nginx.conf", 3, 5, 25, "off")},
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "twice", Range: rg("nginx.conf", 3, 5, 3, 31), Fix: fix("nginx.conf", 3, 5, 31, "off")},
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "not a token", Range: rg("nginx.conf", 4, 5, 4, 26), Fix: fix("nginx.conf", 4, 5, 26, "off")},
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "not read", Range: rg("other.conf", 1, 1, 1, 21), Fix: fix("other.conf", 1, 1, 21, "off")},
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "embedded", Range: rg("cm.yaml", 6, 5, 6, 25), Fix: fix("cm.yaml", 6, 5, 25, "off")},
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "two lines", Range: rg("nginx.conf", 2, 25, 3, 5), Fix: &rules.Fix{Range: rg("nginx.conf", 2, 25, 3, 5), Old: "off", New: "on"}},
		{Rule: "lingering-close-off", Severity: rules.Warning, Message: "no fix", Range: rg("nginx.conf", 3, 5, 3, 25)},
	}
	r := &Report{Findings: fs, Sources: map[string]*parsers.File{ngx.Path: ngx, embedded.Path: embedded}}
	log := validateSARIF(t, []byte(render(t, "sarif", r)))
	res := log.Runs[0].Results
	for i, want := range [][3]int{{2, 38, 41}, {3, 21, 24}} {
		if len(res[i].Fixes) != 1 {
			t.Fatalf("result %d: %d fixes, want 1", i, len(res[i].Fixes))
		}
		fx := res[i].Fixes[0]
		ch := fx.ArtifactChanges[0]
		rep := ch.Replacements[0]
		reg := rep.DeletedRegion
		if *ch.ArtifactLocation.URI != "nginx.conf" || *reg.StartLine != want[0] || *reg.EndLine != want[0] || *reg.StartColumn != want[1] || *reg.EndColumn != want[2] ||
			*rep.InsertedContent.Text != "on" || *fx.Description.Text != "set lingering_close to on" {
			t.Errorf("result %d: fix %s:%d:%d-%d %q, want line %d columns %d-%d", i, *ch.ArtifactLocation.URI, *reg.StartLine, *reg.StartColumn, *reg.EndColumn, *rep.InsertedContent.Text, want[0], want[1], want[2])
		}
	}
	for _, x := range res[2:] {
		if len(x.Fixes) != 0 {
			t.Errorf("%q: a fix was offered", *x.Message.Text)
		}
	}
}

// TestGitHubChangedFirst: issue 23 item 3. When a level has more findings
// than GitHub shows, those on changed lines (Report.Changed) come first,
// so the annotations GitHub keeps are the pull request's.
func TestGitHubChangedFirst(t *testing.T) {
	r := &Report{}
	for i := 0; i < 12; i++ {
		r.Findings = append(r.Findings, rules.Finding{Rule: "lingering-close-off", Severity: rules.Warning, Message: fmt.Sprint("old", i), Range: rg("a.conf", i+1, 1, i+1, 2)})
	}
	r.Findings = append(r.Findings, rules.Finding{Rule: "lingering-close-off", Severity: rules.Warning, Message: "changed", Range: rg("z.conf", 7, 1, 7, 2)})
	r.Changed = func(g parsers.Range) bool { return g.File == "z.conf" && g.Start.Line == 7 }
	lines := strings.Split(render(t, "github", r), "\n")
	if !strings.HasPrefix(lines[0], "::warning file=z.conf,line=7,") {
		t.Errorf("the finding on the changed line is not first: %q", lines[0])
	}
	if !strings.Contains(strings.Join(lines, "\n"), "(those on changed lines come first)") {
		t.Errorf("the limit note does not say changed lines come first:\n%s", strings.Join(lines, "\n"))
	}
	r.Changed = nil
	if lines := strings.Split(render(t, "github", r), "\n"); !strings.HasPrefix(lines[0], "::warning file=a.conf,line=1,") {
		t.Errorf("without --new-from-rev the order changed: %q", lines[0])
	}
}
