package rules

import (
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// Helpers that word messages the same way in every rule: a value, then where
// it comes from; "default" with the product and version when it is one.

func durationWords(s topology.Duration) string {
	return s.Describe(topology.FormatDuration)
}

// settingRelated returns the related locations that explain a setting: the
// place it is written (or the object relying on its default) and every
// place it passed through (a Terraform variable default, a tfvars line).
func settingRelated[T any](s topology.Setting[T], msg string) []parsers.Related {
	var out []parsers.Related
	if !s.Range.IsZero() {
		out = append(out, parsers.Related{Range: s.Range, Message: msg})
	}
	return append(out, s.Via...)
}

// assumptions joins the notes a finding must repeat, as a trailing sentence.
func assumptions(notes ...string) string {
	var kept []string
	seen := map[string]bool{}
	for _, n := range notes {
		n = strings.TrimSpace(n)
		if n != "" && !seen[n] {
			seen[n] = true
			kept = append(kept, strings.TrimSuffix(n, "."))
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return " (" + strings.Join(kept, "; ") + ")"
}

// linkWords explains an edge that was inferred rather than written down, so
// that a user can check the link before trusting the finding.
func linkWords(e *topology.Edge) string {
	switch e.Confidence {
	case topology.Assumed:
		return " hoplint assumed this link: " + e.Why + "; declare the stack in .hoplint.yml or set link: strict if it is wrong."
	case topology.Address:
		return " Linked by address: " + e.Why + "."
	}
	return ""
}

func relatedAt(r parsers.Range, msg string) parsers.Related {
	return parsers.Related{Range: r, Message: msg}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
