package rules_test

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
)

var idRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestCatalog holds every rule to the documentation standard: a stable
// kebab-case ID, a lower-case title, a Doc, and examples the tests run.
func TestCatalog(t *testing.T) {
	for _, r := range rules.All() {
		if !idRe.MatchString(r.ID) {
			t.Errorf("%s: ID is not kebab-case", r.ID)
		}
		if r.Title == "" || strings.ToLower(r.Title[:1]) != r.Title[:1] || strings.HasSuffix(r.Title, ".") {
			t.Errorf("%s: title %q must start lower-case and not end with a full stop", r.ID, r.Title)
		}
		if len(r.Doc) < 80 {
			t.Errorf("%s: Doc is too short to help anyone", r.ID)
		}
		var bad, good int
		for _, e := range r.Examples {
			if e.Bad {
				bad++
			} else {
				good++
			}
		}
		if bad == 0 || good == 0 {
			t.Errorf("%s: needs at least one Bad and one Good example (has %d bad, %d good)", r.ID, bad, good)
		}
	}
}

// TestExamples runs every rule's examples: a Bad example must produce a
// finding of that rule, a Good one none — and no parse errors either, so
// that an example cannot pass by being unreadable.
func TestExamples(t *testing.T) {
	for _, r := range rules.All() {
		for _, e := range r.Examples {
			t.Run(r.ID+"/"+e.Name, func(t *testing.T) {
				t.Parallel()
				findings, _, _ := linttest.Lint(t, txtar.Parse([]byte(e.Archive)))
				n := 0
				for _, f := range findings {
					if f.Rule == r.ID {
						n++
					}
					if f.Rule == "parse-error" && r.ID != "parse-error" {
						t.Errorf("example does not parse: %s: %s", f.Range, f.Message)
					}
				}
				switch {
				case e.Bad && n == 0:
					t.Errorf("bad example produced no %s finding; got %v", r.ID, findings)
				case !e.Bad && n > 0:
					t.Errorf("good example produced %d %s findings: %v", n, r.ID, findings)
				}
			})
		}
	}
}
