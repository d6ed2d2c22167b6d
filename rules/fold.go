package rules

import (
	"fmt"
	"iter"
	"path"
	"regexp"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// instanceKey matches a Terraform instance key in a message: [0], ["blue"].
var instanceKey = regexp.MustCompile(`\[(\d+|"[^"]*"|\*)\]`)

// foldInstances merges findings of one rule on one range whose messages
// differ only in instance keys (count = 256 on one resource gives 256
// copies of the same finding) into the first, which then says how many
// more instances it stands for. The order of findings is kept.
func foldInstances(fs []Finding) []Finding {
	type group struct {
		first int
		more  int
	}
	groups := map[string]*group{}
	out := fs[:0]
	for _, f := range fs {
		if !instanceKey.MatchString(f.Message) {
			out = append(out, f)
			continue
		}
		k := f.Rule + "\x00" + f.Range.String() + "\x00" + instanceKey.ReplaceAllString(f.Message, "[*]")
		if g := groups[k]; g != nil {
			g.more++
			continue
		}
		groups[k] = &group{first: len(out)}
		out = append(out, f)
	}
	for _, g := range groups {
		if g.more > 0 {
			msg := strings.TrimSuffix(out[g.first].Message, ".")
			out[g.first].Message = fmt.Sprintf("%s (the same holds for %d more instances of it).", msg, g.more)
		}
	}
	return out
}

// tfAddress matches a Terraform object address in a message
// (aws_cloudfront_distribution.edge): the name of a hop.
var tfAddress = regexp.MustCompile(`\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z][A-Za-z0-9_-]*)\b`)

// mayNameTFAddress is a quick necessary condition for tfAddress: some dot
// is preceded by a run of [a-z0-9_] that holds an underscore and followed
// by a letter. Most messages have no such dot, and the regular expression
// (with its word boundaries) is slow enough to show in a large run.
func mayNameTFAddress(msg string) bool {
	for i := 1; i+1 < len(msg); i++ {
		if msg[i] != '.' {
			continue
		}
		if c := msg[i+1]; !isLetter(c) {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			c := msg[j]
			if c == '_' {
				return true
			}
			if !isLowerOrDigit(c) {
				break
			}
		}
	}
	return false
}

func isLetter(c byte) bool       { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isLowerOrDigit(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// foldSameRange merges findings of one rule on one range whose messages
// differ only in the Terraform objects they name: three CloudFront
// distributions in front of one ALB give three findings on the ALB's
// idle_timeout line that say the same thing of each. The first stays,
// naming the others, with their related locations added to its own. Any
// other difference (a value, a setting) keeps them apart.
func foldSameRange(fs []Finding) []Finding {
	type group struct {
		first  int
		others []int
	}
	groups := map[string]*group{}
	var order []*group
	for i, f := range fs {
		if f.Range.File == "" || !mayNameTFAddress(f.Message) || !tfAddress.MatchString(f.Message) {
			continue
		}
		k := f.Rule + "\x00" + f.Range.String() + "\x00" + tfAddress.ReplaceAllString(f.Message, "$1.…")
		if g := groups[k]; g != nil {
			g.others = append(g.others, i)
			continue
		}
		g := &group{first: i}
		groups[k] = g
		order = append(order, g)
	}
	drop := map[int]bool{}
	for _, g := range order {
		if len(g.others) == 0 {
			continue
		}
		first := &fs[g.first]
		own := map[string]bool{}
		for _, a := range tfAddress.FindAllString(first.Message, -1) {
			own[a] = true
		}
		var names []string
		for _, i := range g.others {
			o := fs[i]
			for _, a := range tfAddress.FindAllString(o.Message, -1) {
				if !own[a] {
					own[a] = true
					names = append(names, a)
				}
			}
			first.Related = append(first.Related, o.Related...)
			drop[i] = true
		}
		first.Message = fmt.Sprintf("%s (the same holds for %s: the related locations list them).",
			strings.TrimSuffix(first.Message, "."), strings.Join(names, ", "))
	}
	if len(drop) == 0 {
		return fs
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

// subjectToken decides whether a word of a message names what a finding is
// about rather than why: a path or location match (/api/, ~ \.php$,
// @fallback), an nginx variable, a quoted name, a file or host name
// (nginx.conf, shop.example.com). Values (60s, 1m, 1.1, 2.4.54) and
// Kubernetes references (shop/web) are not subjects: findings that differ
// in a value, or are about different objects, have different causes.
func subjectToken(w string) bool {
	switch w {
	case "~", "~*", "=", "^~": // a location's match operator
		return true
	}
	w = strings.Trim(w, "(),;:.")
	return strings.HasPrefix(w, "/") || strings.ContainsAny(w, "\\@$~\"`") || strings.HasPrefix(w, "'") ||
		// Both forms of fileOrHost hold a dot: most words are settled
		// without the regular expression (a large run folds every
		// finding's message).
		strings.IndexByte(w, '.') >= 0 && fileOrHost.MatchString(w)
}

var (
	// A file by its extension, or a host name of three labels or more
	// (aws_lb.public is a Terraform object, not a file).
	fileOrHost = regexp.MustCompile(`^(?:[\w.-]*\.(?:conf|types|ya?ml|json|tf|lua|template|tmpl|erb|j2|vhost|nginx|in|sample|example|default|dist)|[A-Za-z0-9-]+\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})$`)
)

// words splits a message at runs of ASCII white space (what the regular
// expression \S+ takes as words; strings.Fields would also split at
// Unicode spaces), without a regular expression and without a slice of
// the words: every finding of a large run goes through it (a slice per
// message was 41 MB of garbage at 54,000 files).
func words(msg string) iter.Seq[string] {
	return func(yield func(string) bool) {
		isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }
		for i := 0; i < len(msg); {
			for i < len(msg) && isSpace(msg[i]) {
				i++
			}
			j := i
			for j < len(msg) && !isSpace(msg[j]) {
				j++
			}
			if j > i && !yield(msg[i:j]) {
				return
			}
			i = j
		}
	}
}

// causeKey groups the findings foldCauses merges: of one rule, in one file
// with one cause, or naming one include target in one directory.
type causeKey struct{ rule, file, cause, include string }

// causeOf is a message with its subject words set aside (a run of them,
// such as a location's "~ \.php$", counts as one).
func causeOf(msg string) string {
	var b strings.Builder
	b.Grow(len(msg) + 1) // at most the message and a space
	prev := false
	for w := range words(msg) {
		sub := subjectToken(w)
		if sub && prev {
			continue
		}
		if sub {
			w = "…"
		}
		b.WriteString(w)
		b.WriteByte(' ')
		prev = sub
	}
	return b.String()
}

// subjects are the subject words of a message, in order.
func subjects(msg string) []string {
	var out []string
	for w := range words(msg) {
		if subjectToken(w) {
			out = append(out, w)
		}
	}
	return out
}

// foldCauses merges the findings that share one cause into the first of
// them, which gets a count and every other one's location as a related
// location: one nginx file with 12 includes hoplint cannot follow for the
// same reason is one note, 120,000 locations of one file without a body
// limit one warning. Findings share a cause when they are of one rule, in
// one file, and their messages are the same once the words naming their
// subject (subjectToken) are set aside; include-not-followed notes with
// the very same message (one include target, one reason) share it across
// the files of one directory too. Findings whose messages differ in anything else — a value, a
// reason — are never merged. It runs after suppressions, so that a
// suppression on one location never hides the others.
func foldCauses(fs []Finding) []Finding {
	type group struct {
		first   int
		others  []int
		acrossF bool
	}
	groups := map[causeKey]*group{}
	var order []*group
	// One include target that hoplint cannot read, named by several files
	// of one directory, is one cause there. Only there: copies of a tree
	// (one per environment) are separate causes, and a finding must not
	// point into another copy.
	includeKey := func(f Finding) string {
		isInclude := strings.HasPrefix(f.Message, "include ") || strings.HasPrefix(f.Message, "Include ")
		if f.Rule != includeNotFollowed.ID || !isInclude {
			return "" // not an nginx or Apache include (a Terraform module call)
		}
		return path.Dir(f.Range.File) + "\x00" + f.Message
	}
	sameInclude := map[string]int{}
	for _, f := range fs {
		if ik := includeKey(f); ik != "" {
			sameInclude[ik]++
		}
	}
	for i, f := range fs {
		if f.Range.File == "" || f.Range.Via != nil {
			continue // a finding with no file, or a rendering dedupe already merged
		}
		var k causeKey
		if ik := includeKey(f); sameInclude[ik] > 1 {
			k = causeKey{rule: f.Rule, include: ik}
		} else {
			k = causeKey{rule: f.Rule, file: f.Range.File, cause: causeOf(f.Message)}
		}
		if g := groups[k]; g != nil {
			g.others = append(g.others, i)
			g.acrossF = g.acrossF || fs[g.first].Range.File != f.Range.File
			continue
		}
		g := &group{first: i}
		groups[k] = g
		order = append(order, g)
	}
	drop := map[int]bool{}
	for _, g := range order {
		if len(g.others) == 0 {
			continue
		}
		first := &fs[g.first]
		files := map[string]bool{first.Range.File: true}
		for _, i := range g.others {
			o := fs[i]
			files[o.Range.File] = true
			first.Related = append(first.Related, parsers.Related{Range: o.Range, Message: sameWords(first.Message, o.Message)})
			drop[i] = true
		}
		where := "in this file"
		if g.acrossF {
			where = fmt.Sprintf("in %d files", len(files))
		}
		first.Message = fmt.Sprintf("%s (the same finding, for the same cause, at %d more %s %s: the related locations list them).",
			strings.TrimSuffix(first.Message, "."), len(g.others), plural(len(g.others), "place", "places"), where)
	}
	if len(drop) == 0 {
		return fs
	}
	out := fs[:0]
	for i, f := range fs {
		if !drop[i] {
			out = append(out, f)
		}
	}
	return out
}

// sameWords is the related message for a folded finding: what it is about
// (its subject words where they differ from the kept finding's).
func sameWords(kept, other string) string {
	seen := map[string]bool{}
	for _, w := range subjects(kept) {
		seen[w] = true
	}
	var diff []string
	for _, w := range subjects(other) {
		if !seen[w] {
			diff = append(diff, w)
		}
	}
	if len(diff) == 0 {
		return "the same finding here"
	}
	s := strings.Join(diff, " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return "the same finding here, for " + s
}
