// Package linttest runs hoplint on txtar cases and checks the findings
// against expectations written in the files themselves (DESIGN.md §6):
//
//	keepalive_timeout 1.5s;  # want invalid-value "fractions"
//	# want lingering-close-off "lingering_close off"
//	lingering_close off;
//
// A "want" comment alone on its line applies to the next line that is not
// itself a comment (Apache allows comments only at line start). "related"
// marks a related location of a finding of that rule. Files without comments
// (JSON) list expectations in a txtar file named "want", one per line:
//
//	spec.json:12 body-size-order "regex"
//	spec.json:30 related body-size-order "regex"
//
// The case fails on any finding nobody expected and on any expectation no
// finding met.
package linttest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
	// Every source of the path, so that the graphs tests lint are whole.
	_ "github.com/hoplint/hoplint/topology/sources"
)

// Expectation is one "want" or "related" comment.
type Expectation struct {
	File    string
	Line    int
	Rule    string
	Related bool
	Re      *regexp.Regexp
	met     bool
}

func (e *Expectation) String() string {
	kind := "want"
	if e.Related {
		kind = "related"
	}
	return fmt.Sprintf("%s:%d: %s %s %q", e.File, e.Line, kind, e.Rule, e.Re)
}

var wantRe = regexp.MustCompile(`(?:#|//)\s*(want|related)\s+([a-z0-9-]+)\s+"((?:[^"\\]|\\.)*)"`)

// Extract writes the archive's files under dir.
func Extract(t testing.TB, ar *txtar.Archive, dir string) {
	t.Helper()
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Lint extracts an archive into a temporary directory and runs hoplint on
// it as `hoplint .` (or `hoplint ARGS`, see Args) would from that directory, with the archive's own
// .hoplint.yml if it has one.
func Lint(t testing.TB, ar *txtar.Archive) ([]rules.Finding, *topology.Graph, string) {
	t.Helper()
	dir := t.TempDir()
	Extract(t, ar, dir)
	cfg := &config.Config{}
	if data, err := os.ReadFile(filepath.Join(dir, config.DefaultFile)); err == nil {
		c, err := config.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", config.DefaultFile, err)
		}
		cfg = c
	}
	g, err := topology.Load(Args(ar), cfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	return rules.Run(g, cfg, rules.Options{}), g, dir
}

// Args are the paths a case lints: those of an "args:" line in the
// archive's comment (files named on the command line), else ".".
func Args(ar *txtar.Archive) []string {
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "args:"); ok {
			return strings.Fields(rest)
		}
	}
	return []string{"."}
}

// Expectations collects the want/related comments of an archive.
func Expectations(t testing.TB, ar *txtar.Archive) []*Expectation {
	t.Helper()
	var out []*Expectation
	for _, f := range ar.Files {
		if f.Name == "want" {
			out = append(out, parseWantFile(t, f.Data)...)
			continue
		}
		lines := strings.Split(string(f.Data), "\n")
		for i, line := range lines {
			ms := wantRe.FindAllStringSubmatch(line, -1)
			if ms == nil {
				continue
			}
			target := i + 1
			if trimmed := strings.TrimSpace(line); strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "//") {
				// Alone on its line: applies to the next non-comment line.
				for j := i + 1; j < len(lines); j++ {
					tj := strings.TrimSpace(lines[j])
					if !strings.HasPrefix(tj, "#") && !strings.HasPrefix(tj, "//") {
						target = j + 1
						break
					}
				}
			}
			for _, m := range ms {
				out = append(out, newExpectation(t, f.Name, target, m[1], m[2], m[3]))
			}
		}
	}
	return out
}

func newExpectation(t testing.TB, file string, line int, kind, rule, re string) *Expectation {
	t.Helper()
	if rules.Lookup(rule) == nil {
		t.Fatalf("%s:%d: expectation names unknown rule %q", file, line, rule)
	}
	unq, err := strconv.Unquote(`"` + re + `"`)
	if err != nil {
		t.Fatalf("%s:%d: bad regexp string: %v", file, line, err)
	}
	rx, err := regexp.Compile(unq)
	if err != nil {
		t.Fatalf("%s:%d: bad regexp: %v", file, line, err)
	}
	return &Expectation{File: file, Line: line, Rule: rule, Related: kind == "related", Re: rx}
}

var wantLineRe = regexp.MustCompile(`^(\S+):(\d+)\s+(?:(related)\s+)?([a-z0-9-]+)\s+"((?:[^"\\]|\\.)*)"$`)

func parseWantFile(t testing.TB, data []byte) []*Expectation {
	t.Helper()
	var out []*Expectation
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := wantLineRe.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("want: cannot read %q", line)
		}
		n, _ := strconv.Atoi(m[2])
		kind := "want"
		if m[3] != "" {
			kind = "related"
		}
		out = append(out, newExpectation(t, m[1], n, kind, m[4], m[5]))
	}
	return out
}

// Check compares findings with expectations and reports every mismatch.
// Finding paths are relative to the case directory.
func Check(t testing.TB, findings []rules.Finding, exps []*Expectation) {
	t.Helper()
	var unexpected []string
	for _, f := range findings {
		matched := false
		for _, e := range exps {
			if !e.Related && !e.met && e.File == f.Range.File && e.Line == f.Range.Start.Line && e.Rule == f.Rule && e.Re.MatchString(f.Message) {
				e.met, matched = true, true
				break
			}
		}
		if !matched {
			unexpected = append(unexpected, fmt.Sprintf("%s:%d:%d: unexpected %s: %s", f.Range.File, f.Range.Start.Line, f.Range.Start.Col, f.Rule, f.Message))
		}
		for _, r := range f.Related {
			for _, e := range exps {
				if e.Related && !e.met && e.File == r.Range.File && e.Line == r.Range.Start.Line && e.Rule == f.Rule && e.Re.MatchString(r.Message) {
					e.met = true
					break
				}
			}
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	for _, e := range exps {
		if !e.met {
			t.Errorf("%s: not met", e)
		}
	}
	if t.Failed() {
		for _, f := range findings {
			t.Logf("got %s:%d:%d %s: %s", f.Range.File, f.Range.Start.Line, f.Range.Start.Col, f.Rule, f.Message)
			for _, r := range f.Related {
				t.Logf("    related %s:%d: %s", r.Range.File, r.Range.Start.Line, r.Message)
			}
		}
	}
}

// RunFile runs one .txtar case.
func RunFile(t *testing.T, path string) {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	findings, g, _ := Lint(t, ar)
	Check(t, findings, Expectations(t, ar))
	CheckLinks(t, g, ar)
}

// CheckLinks checks the edges a case lists in a txtar file named "links",
// one per line: `FROM => TO` must be an edge, `! FROM => TO` must not,
// where FROM and TO are regular expressions matched against the whole
// names of the hops (as `hoplint graph` prints them). A link that exists
// or not without any finding depending on it is still behaviour: a proxy
// that can reach a service must be linked to it, and one that cannot must
// not.
func CheckLinks(t testing.TB, g *topology.Graph, ar *txtar.Archive) {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name != "links" {
			continue
		}
		for _, line := range strings.Split(string(f.Data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			neg := false
			if rest, ok := strings.CutPrefix(line, "!"); ok {
				neg, line = true, strings.TrimSpace(rest)
			}
			from, to, ok := strings.Cut(line, "=>")
			if !ok {
				t.Fatalf("links: cannot read %q (want FROM => TO)", line)
			}
			fromRe := regexp.MustCompile("^(?:" + strings.TrimSpace(from) + ")$")
			toRe := regexp.MustCompile("^(?:" + strings.TrimSpace(to) + ")$")
			found := false
			for _, e := range g.Edges {
				if fromRe.MatchString(e.From.Name) && toRe.MatchString(e.To.Name) {
					found = true
					break
				}
			}
			switch {
			case found && neg:
				t.Errorf("links: unexpected link %s", line)
			case !found && !neg:
				t.Errorf("links: no link %s", line)
			}
			if t.Failed() && found != !neg {
				for _, e := range g.Edges {
					t.Logf("link %s => %s (%s)", e.From.Name, e.To.Name, e.Why)
				}
			}
		}
	}
}

// RunDir runs every .txtar case under dir (recursively) as a subtest named
// by its path.
func RunDir(t *testing.T, dir string) {
	t.Helper()
	var cases []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".txtar") {
			cases = append(cases, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no .txtar cases under %s", dir)
	}
	for _, c := range cases {
		name, _ := filepath.Rel(dir, c)
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			t.Parallel()
			RunFile(t, c)
		})
	}
}
