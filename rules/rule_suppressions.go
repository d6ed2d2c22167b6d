package rules

// The suppression rules are reported by the engine itself (it alone sees
// every finding and every suppression), so their Run does nothing; they are
// registered so that they are documented, switchable and suppressible.

var unusedSuppression = &Rule{
	ID:       "unused-suppression",
	Title:    "a hoplint:ignore comment that matches no finding",
	Severity: Warning,
	Doc: `A suppression that matches nothing is stale: the problem was fixed, or the
comment sits on the wrong line. Left in place it would silently hide the next
finding of that rule on that line. Remove it, or move it onto the line the
finding points at (or the line above).`,
	Examples: []Example{
		{Name: "stale", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    # hoplint:ignore lingering-close-off -- kept for an old client
    keepalive_timeout 30s;
}
`},
		{Name: "used", Archive: `-- nginx.conf --
events {}
http {
    # hoplint:ignore lingering-close-off -- clients never upload
    lingering_close off;
}
`},
	},
	Run: func(*Pass) {},
}

var invalidSuppression = &Rule{
	ID:       "invalid-suppression",
	Title:    "a hoplint:ignore comment without a reason or with an unknown rule",
	Severity: Warning,
	Doc: `Suppressions must say which rule they silence and why:

    # hoplint:ignore keepalive-order -- the ALB is drained before nginx reloads

One without a reason, or naming a rule that does not exist, is not honoured:
the finding it meant to hide is still reported.`,
	Examples: []Example{
		{Name: "no reason", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    lingering_close off; # hoplint:ignore lingering-close-off
}
`},
		{Name: "with reason", Archive: `-- nginx.conf --
events {}
http {
    lingering_close off; # hoplint:ignore lingering-close-off -- internal API, no uploads
}
`},
	},
	Run: func(*Pass) {},
}

func init() {
	Register(unusedSuppression)
	Register(invalidSuppression)
}
