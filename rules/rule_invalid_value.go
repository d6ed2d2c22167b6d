package rules

import "github.com/hoplint/hoplint/parsers"

var invalidValue = &Rule{
	ID:       "invalid-value",
	Title:    "a timeout, size or quantity the product would reject or misread",
	Severity: Error,
	Doc: `Each product has its own syntax for times and sizes, and they differ in ways
that are easy to get wrong:

- nginx takes ` + "`30s`, `1m30s`, `500ms`" + ` but no fractions (` + "`1.5s`" + ` is rejected at
  start-up), and ` + "`g`" + ` only for some size directives.
- Apache's KeepAliveTimeout is whole seconds or ` + "`ms`" + `; ` + "`5s`" + ` is an error.
- ingress-nginx timeout annotations are unitless seconds: ` + "`\"60s\"`" + ` is not read
  as 60 seconds.
- AWS rejects an ALB idle_timeout outside 1–4000 seconds.

A value the product rejects stops a reload or an apply; a value it misreads
silently runs with a setting nobody chose. Write the value in the product's
own syntax.`,
	Examples: []Example{
		{Name: "fraction", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    keepalive_timeout 1.5s;
}
`},
		{Name: "whole units", Archive: `-- nginx.conf --
events {}
http {
    keepalive_timeout 1500ms;
}
`},
	},
	Run: func(p *Pass) { reportProblems(p, parsers.ProblemInvalid) },
}

func init() { Register(invalidValue) }
