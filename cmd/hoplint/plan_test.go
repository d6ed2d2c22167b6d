package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// copyTree copies the directory src into a new temporary directory.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

type planEdit struct {
	File, Setting string
	Line          int
	Written       bool
	Seconds       int64
}

// applyPlan writes each planned value where the plan says: a written value
// is replaced on its line; a default is added to the object relying on it,
// in that file's syntax (an nginx directive, a gunicorn flag, an HCL
// attribute). Edits go bottom-up so line numbers stay valid.
func applyPlan(t *testing.T, dir string, edits []planEdit) {
	t.Helper()
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].File != edits[j].File {
			return edits[i].File < edits[j].File
		}
		return edits[i].Line > edits[j].Line
	})
	digits := regexp.MustCompile(`\d+`)
	for _, e := range edits {
		p := filepath.Join(dir, filepath.FromSlash(e.File))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		i := e.Line - 1
		line := lines[i]
		val := fmt.Sprint(e.Seconds)
		if e.Written {
			// After the setting's name when it is on the line (nginx,
			// HCL attributes), else the line's last number (a variable's
			// default).
			at := strings.Index(line, e.Setting)
			if at < 0 {
				locs := digits.FindAllStringIndex(line, -1)
				if len(locs) == 0 {
					t.Fatalf("%s:%d has no number to change: %q", e.File, e.Line, line)
				}
				l := locs[len(locs)-1]
				lines[i] = line[:l[0]] + val + line[l[1]:]
			} else {
				rest := line[at+len(e.Setting):]
				lines[i] = line[:at+len(e.Setting)] + digits.ReplaceAllStringFunc(rest, onlyFirst(val))
			}
		} else {
			indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
			var add string
			switch {
			case strings.HasSuffix(e.File, ".conf"):
				add = indent + "    " + e.Setting + " " + val + "s;"
			case strings.HasPrefix(e.Setting, "--"):
				add = indent + "- " + e.Setting + "=" + val
			case strings.HasSuffix(e.File, ".tf"):
				add = indent + "  " + e.Setting + " = " + val
			default:
				t.Fatalf("no way to add %s to %s", e.Setting, e.File)
			}
			lines = append(lines[:i+1], append([]string{add}, lines[i+1:]...)...)
		}
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func onlyFirst(val string) func(string) string {
	done := false
	return func(s string) string {
		if done {
			return s
		}
		done = true
		return val
	}
}

type lintReport struct {
	Findings []struct {
		Rule    string
		Message string
	}
}

func pathFindings(t *testing.T, out string) []string {
	t.Helper()
	var rep lintReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Rule == "keepalive-order" || f.Rule == "read-timeout-order" {
			got = append(got, f.Rule+": "+f.Message)
		}
	}
	return got
}

// TestPlanAppliedLeavesShopClean is issue 23's done-when: the advice of
// examples/shop's findings, applied as the plan states it, leaves the path
// rules silent; and no two findings ask for different values of one
// setting. Before the planner, read-timeout-order asked to raise the ALB
// above 180s while keepalive-order asked to lower it below 75s.
func TestPlanAppliedLeavesShopClean(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "..", "examples", "shop"))

	code, out, errs := runIn(t, dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	before := pathFindings(t, out)
	if len(before) != 5 {
		t.Fatalf("want examples/shop's 5 path findings, got %d:\n%s", len(before), strings.Join(before, "\n"))
	}
	// One value per setting across all findings.
	advice := regexp.MustCompile(`(?:[Rr]aise|[Ll]ower|[Ss]et) (\S+)(?: of .*?)? to (\d+s)`)
	asked := map[string]string{}
	for _, f := range before {
		ms := advice.FindAllStringSubmatch(f, -1)
		if len(ms) == 0 {
			t.Errorf("no planned value in: %s", f)
		}
		for _, m := range ms {
			if prev, ok := asked[m[1]]; ok && prev != m[2] {
				t.Errorf("%s asked to be both %s and %s", m[1], prev, m[2])
			}
			asked[m[1]] = m[2]
		}
	}

	code, out, errs = runIn(t, dir, "plan", "--format", "json")
	if code != 0 {
		t.Fatalf("plan exit %d: %s", code, errs)
	}
	var doc planJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var edits []planEdit
	for _, pa := range doc.Paths {
		if pa.Impossible != "" || pa.GaveUp {
			t.Fatalf("no plan for a path of examples/shop: %+v", pa)
		}
		for _, s := range pa.Settings {
			if !s.Changed {
				continue
			}
			if want := asked[s.Setting]; want != s.Planned {
				t.Errorf("plan sets %s to %s, the findings ask %q", s.Setting, s.Planned, want)
			}
			edits = append(edits, planEdit{File: s.File, Setting: s.Setting, Line: s.Line, Written: s.Written, Seconds: s.PlannedSeconds})
		}
	}
	if len(edits) == 0 {
		t.Fatal("the plan changes nothing")
	}
	applyPlan(t, dir, edits)

	_, out, errs = runIn(t, dir, "--format", "json")
	if after := pathFindings(t, out); len(after) > 0 {
		t.Errorf("after applying the plan (%+v), still:\n%s\n%s", edits, strings.Join(after, "\n"), errs)
	}
	code, out, _ = runIn(t, dir, "plan")
	if code != 0 || strings.Contains(out, "broken") {
		t.Errorf("the plan of the fixed shop is not empty:\n%s", out)
	}
}

func TestPlanTextNamesEverySetting(t *testing.T) {
	code, out, errs := runIn(t, filepath.Join("..", "..", "examples", "shop"), "plan")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"idle_timeout: 120s -> 185s",
		"terraform/variables.tf:19",
		"origin_read_timeout: 60s -> 180s",
		"needs a quota increase: CloudFront allows origin_read_timeout up to 60s, or 180s",
		"proxy_read_timeout: 180s (kept)",
		"keepalive_timeout: 75s (default) -> set 240s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := runIn(t, ".", "plan", "--format", "yaml"); code != 2 {
		t.Errorf("unknown format: exit %d, want 2", code)
	}
}
