package report

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
)

// SARIF 2.1.0 for GitHub code scanning, built with go-sarif (whose types
// follow the OASIS schema and which validates against it). It carries
// what code scanning reads: rule metadata with help and a helpUri,
// problem.severity and tags; results whose message links the related
// locations in the other files ("[alb.tf:3](1)"); a
// primaryLocationLineHash; repository-relative, percent-encoded URIs under
// %SRCROOT%; UTF-16 columns; an automationDetails id.

const (
	docsURL = "https://github.com/hoplint/hoplint/blob/main/docs/rules.md"
	srcRoot = "%SRCROOT%"
)

func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return sarif.LevelError
	case rules.Warning:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// problemSeverity is code scanning's properties.problem.severity.
func problemSeverity(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "recommendation"
}

var semverRe = regexp.MustCompile(`^v?(\d+\.\d+\.\d+)`)

// semanticVersion is the numeric part of a release version; a development
// build is 0.0.0.
func semanticVersion(v string) string {
	if m := semverRe.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return "0.0.0"
}

// sarifURI percent-encodes a slash-separated path relative to the
// repository root (RepoDir joined in front); an absolute path becomes a
// file URI with no base. A ':' is encoded too, which url.PathEscape
// leaves: in a relative reference's first segment ("a:b/nginx.conf") it
// would read as a scheme (RFC 3986 section 4.2).
func (r *Report) sarifURI(file string) (uri string, base bool) {
	if strings.HasPrefix(file, "/") {
		return (&url.URL{Scheme: "file", Path: file}).String(), false
	}
	p := path.Clean(path.Join(r.RepoDir, file))
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/"), true
}

func (r *Report) sarifLocation(run *sarif.Run, rg parsers.Range) *sarif.Location {
	uri, base := r.sarifURI(rg.File)
	art := sarif.NewArtifactLocation().WithURI(uri)
	if base {
		art.WithURIBaseID(srcRoot)
	}
	art.WithIndex(artifactIndex(run, uri, base))
	// A finding about a whole file still gets a region: code scanning
	// needs one to show it.
	line := rg.Start.Line
	if line < 1 {
		line = 1
	}
	region := sarif.NewRegion().WithStartLine(line)
	if rg.Start.Line > 0 {
		endLine := rg.End.Line
		if endLine < line {
			endLine = line
		}
		region.WithEndLine(endLine)
		if rg.Start.Col > 0 {
			region.WithStartColumn(r.utf16Column(rg, rg.Start.Line, rg.Start.Col))
			if rg.End.Col > 0 && (endLine > line || rg.End.Col > rg.Start.Col) {
				region.WithEndColumn(r.utf16Column(rg, endLine, rg.End.Col))
			}
		}
	}
	return sarif.NewLocation().WithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(art).WithRegion(region))
}

// sarifFix is a finding's one-value fix as a SARIF fix: one replacement of
// exactly the value's columns, or nil where it cannot be located exactly
// (fixSpan). Code scanning and editors offer it as a suggested change.
func (r *Report) sarifFix(fx *rules.Fix) *sarif.Fix {
	line, start, end, ok := r.fixSpan(fx)
	if !ok {
		return nil
	}
	uri, base := r.sarifURI(fx.Range.File)
	art := sarif.NewArtifactLocation().WithURI(uri)
	if base {
		art.WithURIBaseID(srcRoot)
	}
	region := sarif.NewRegion().WithStartLine(line).WithEndLine(line).WithStartColumn(start).WithEndColumn(end)
	return sarif.NewFix().
		WithDescription(sarif.NewTextMessage(visible(fx.Description))).
		AddArtifactChange(sarif.NewArtifactChange().WithArtifactLocation(art).
			AddReplacement(sarif.NewReplacement().WithDeletedRegion(region).
				WithInsertedContent(sarif.NewArtifactContent().WithText(fx.New))))
}

func artifactIndex(run *sarif.Run, uri string, base bool) int {
	for i, a := range run.Artifacts {
		if a.Location != nil && a.Location.URI != nil && *a.Location.URI == uri {
			return i
		}
	}
	loc := sarif.NewArtifactLocation().WithURI(uri)
	if base {
		loc.WithURIBaseID(srcRoot)
	}
	run.AddArtifact(sarif.NewArtifact().WithLocation(loc))
	return len(run.Artifacts) - 1
}

// escapeSARIFText escapes the brackets that SARIF messages reserve for
// embedded links, so that "[::1]:8080" in a value stays text.
func escapeSARIFText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s)
}

// firstParagraph is a rule doc's first paragraph, for fullDescription.
func firstParagraph(doc string) string {
	doc = strings.TrimSpace(doc)
	if i := strings.Index(doc, "\n\n"); i >= 0 {
		doc = doc[:i]
	}
	return strings.Join(strings.Fields(doc), " ")
}

// SARIF writes a SARIF 2.1.0 log with the full rule catalog.
func SARIF(w io.Writer, r *Report) error {
	if err := r.sarifLog().PrettyWrite(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (r *Report) sarifLog() *sarif.Report {
	run := sarif.NewRunWithInformationURI("hoplint", "https://github.com/hoplint/hoplint")
	driver := run.Tool.Driver
	if r.Version != "" {
		driver.WithVersion(r.Version)
	}
	driver.WithSemanticVersion(semanticVersion(r.Version))
	run.WithColumnKind("utf16CodeUnits")
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID("hoplint/"))
	for _, rule := range rules.All() {
		props := sarif.NewPropertyBag()
		props.Add("problem.severity", problemSeverity(rule.Severity))
		props.Add("precision", "high")
		props.WithTags([]string{"reliability", "request-path", "hoplint"})
		run.AddRule(rule.ID).
			WithName(rule.ID).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(rule.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(firstParagraph(rule.Doc))).
			WithHelp(sarif.NewMultiformatMessageString().WithText(strings.TrimSpace(rule.Doc)).WithMarkdown(strings.TrimSpace(rule.Doc))).
			WithHelpURI(docsURL + "#" + rule.ID).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity))).
			WithProperties(props)
	}
	for _, f := range r.Findings {
		text := escapeSARIFText(visible(f.Message))
		var links []string
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			AddLocation(r.sarifLocation(run, f.Range))
		for i, rel := range f.Related {
			loc := r.sarifLocation(run, rel.Range).WithID(i + 1).
				WithMessage(sarif.NewTextMessage(visible(rel.Message)))
			res.AddRelatedLocation(loc)
			links = append(links, fmt.Sprintf("[%s](%d)", escapeSARIFText(r.loc(rel.Range)), i+1))
		}
		if len(links) > 0 {
			text += " Related: " + strings.Join(links, ", ") + "."
		}
		res.WithMessage(sarif.NewTextMessage(text))
		if fix := r.sarifFix(f.Fix); fix != nil {
			res.WithFixes([]*sarif.Fix{fix})
		}
		hash, n := f.Fingerprint, "1"
		if i := strings.LastIndexByte(hash, '-'); i > 0 {
			hash, n = hash[:i], hash[i+1:]
		}
		res.WithPartialFingerprints(map[string]string{
			"primaryLocationLineHash": hash + ":" + n,
			"hoplint/v2":              f.Fingerprint,
		})
	}
	log := sarif.NewReport()
	log.AddRun(run)
	return log
}
