package render

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. Most runs meet no chart and no
// kustomization, and every hoplint process used to compile render's
// expressions in its init (issue 24: start-up). A bad expression panics
// at its first use, which the tests of each reach.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
