package rules

import "github.com/hoplint/hoplint/parsers"

// reportProblems turns the parsers' problems of one kind into findings of
// the running rule. Parsers find these while reading (they alone see the
// raw text); the rule makes them switchable and suppressible.
func reportProblems(p *Pass, kind parsers.ProblemKind) {
	for _, pr := range p.Graph.Problems {
		if pr.Kind == kind {
			p.Report(Finding{Range: pr.Range, Related: pr.Related, Message: pr.Message})
		}
	}
}
