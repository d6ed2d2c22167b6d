package parsers

// ProblemKind says which rule reports a Problem. The values are the rule
// IDs, so that a parser can state what went wrong without importing rules.
type ProblemKind string

// Problems a parser can report.
const (
	// ProblemParse: the file (or part of it) cannot be read as its format.
	ProblemParse ProblemKind = "parse-error"
	// ProblemInvalid: a value the product would reject or misread.
	ProblemInvalid ProblemKind = "invalid-value"
	// ProblemSkipped: a file hoplint recognised but will not lint, with the
	// reason (a Helm template, say). Reported as information.
	ProblemSkipped ProblemKind = "skipped-file"
	// ProblemUnfollowed: an include (or module source) hoplint did not
	// follow because it lies outside the linted root or is computed at run
	// time. Information: the configuration may be fine, but what that file
	// sets is unknown to hoplint.
	ProblemUnfollowed ProblemKind = "include-not-followed"
	// ProblemIgnoredAttribute: a setting the product silently ignores in
	// this context (a Classic-ELB-only annotation on an NLB Service).
	ProblemIgnoredAttribute ProblemKind = "ignored-lb-attribute"
	// ProblemAmbiguous: a link hoplint would have to guess among too many
	// candidates (a Service selector matching hundreds of workloads), so it
	// draws none. Information: what lies behind is not checked.
	ProblemAmbiguous ProblemKind = "ambiguous-link"
)

// Problem is something a parser found wrong with its input. Parsers never
// fail a run: whatever they cannot read becomes a Problem and they go on.
type Problem struct {
	Kind    ProblemKind
	Range   Range
	Message string
	Related []Related
}

// Related is a secondary location of a problem or finding.
type Related struct {
	Range   Range
	Message string
}

// Suppression silences rules over a span of lines. Comment suppressions are
// read by the rules engine from a parser's Comments; a parser adds a
// Suppression directly where the format has its own way to say it (the
// Kubernetes annotation hoplint.dev/ignore covers the object's lines).
type Suppression struct {
	// Range is where the suppression is written; unused ones are reported here.
	Range    Range
	From, To int // lines of Range.File covered, inclusive
	Rules    []string
	Reason   string
	// WholeFile marks hoplint:ignore-file.
	WholeFile bool
}
