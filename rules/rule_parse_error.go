package rules

import "github.com/hoplint/hoplint/parsers"

var parseError = &Rule{
	ID:       "parse-error",
	Title:    "a file that cannot be read as its format",
	Severity: Error,
	Doc: `The file, or the part of it named, could not be parsed: a syntax error, an
include that cannot be resolved, an include cycle, or a path that leaves the
linted root. hoplint reports it and goes on with the other files; nothing in
the unreadable part is checked, so other findings may be missing until it is
fixed.

Includes and module sources are never followed outside the directory given
to hoplint, so that linting an untrusted repository cannot read the rest of
the machine.`,
	Examples: []Example{
		{Name: "unclosed block", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
}
`},
		{Name: "well formed", Archive: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
    }
}
`},
	},
	Run: func(p *Pass) { reportProblems(p, parsers.ProblemParse) },
}

func init() { Register(parseError) }
