package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	old, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.Chdir(old) }()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const lingering = "events {}\nhttp {\n    lingering_close off;\n}\n"

func TestExitCodes(t *testing.T) {
	clean := writeTree(t, map[string]string{"nginx.conf": "events {}\nhttp {}\n"})
	dirty := writeTree(t, map[string]string{"nginx.conf": lingering})
	cases := []struct {
		dir  string
		args []string
		code int
		err  string
	}{
		{clean, nil, 0, ""},
		{dirty, nil, 1, ""},
		{dirty, []string{"--fail-on", "error"}, 0, ""},
		{dirty, []string{"--fail-on", "never"}, 0, ""},
		{dirty, []string{"--disable", "lingering-close-off"}, 0, ""},
		{dirty, []string{"--bogus"}, 2, "flag provided but not defined"},
		{dirty, []string{"missing/dir"}, 2, "missing/dir: no such file or directory"},
		{dirty, []string{"--format", "xml"}, 2, "unknown format"},
		{dirty, []string{"--fail-on", "sometimes"}, 2, "--fail-on"},
		{dirty, []string{"--disable", "no-such-rule"}, 2, `unknown rule "no-such-rule"`},
		{dirty, []string{"--config", "nope.yml"}, 2, "nope.yml"},
	}
	for _, c := range cases {
		code, _, stderr := runIn(t, c.dir, c.args...)
		if code != c.code || !strings.Contains(stderr, c.err) {
			t.Errorf("hoplint %v: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, c.code, c.err)
		}
		if code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("hoplint %v: usage errors are one line, got %q", c.args, stderr)
		}
	}
}

func TestBadConfig(t *testing.T) {
	for name, cfg := range map[string]string{
		"unknown key":  "rule:\n  x: off\n",
		"unknown rule": "rules:\n  not-a-rule: off\n",
		"bad severity": "rules:\n  lingering-close-off: {severity: fatal}\n",
		"bad link":     "link: loose\n",
		"not yaml":     "versions: [\n",
	} {
		dir := writeTree(t, map[string]string{"nginx.conf": lingering, ".hoplint.yml": cfg})
		code, _, stderr := runIn(t, dir)
		if code != 2 || !strings.HasPrefix(stderr, "hoplint: ") {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 with a hoplint: error", name, code, stderr)
		}
	}
	dir := writeTree(t, map[string]string{"nginx.conf": lingering, ".hoplint.yml": "rules:\n  lingering-close-off: error\n"})
	if code, out, _ := runIn(t, dir, "--fail-on", "error"); code != 1 || !strings.Contains(out, "error: lingering_close off") {
		t.Errorf("severity override: exit %d, output %q", code, out)
	}
}

func TestTextOutput(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering})
	_, out, _ := runIn(t, dir)
	want := "nginx.conf:3:5: warning: lingering_close off makes nginx close"
	if !strings.HasPrefix(out, want) {
		t.Fatalf("text output starts %q, want %q", out, want)
	}
	if !strings.Contains(out, "\n        lingering_close off;\n        ^~~~~~~~~~~~~~~~~~~~\n") {
		t.Errorf("no snippet with a marker under the directive:\n%s", out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour written to a non-terminal")
	}
	if !strings.Contains(out, "0 errors, 1 warnings, 0 infos in 1 files") {
		t.Errorf("no summary line:\n%s", out)
	}
}

func TestJSONOutput(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"nginx.conf": "worker_rlimit_nofile 100;\nevents {\n    worker_connections 200;\n}\nhttp {}\n",
	})
	code, out, _ := runIn(t, dir, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Location struct {
				File                             string
				Line, Column, EndLine, EndColumn int
			} `json:"location"`
			Related []struct {
				Location struct {
					File                             string
					Line, Column, EndLine, EndColumn int
				} `json:"location"`
				Message string `json:"message"`
			} `json:"related"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
		Summary map[string]int `json:"summary"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("JSON does not match the documented shape: %v\n%s", err, out)
	}
	if rep.Version != 1 || len(rep.Findings) != 1 {
		t.Fatalf("got %+v", rep)
	}
	f := rep.Findings[0]
	if f.Rule != "worker-connections-exceed-nofile" || f.Severity != "warning" || f.Location.File != "nginx.conf" ||
		f.Location.Line != 3 || f.Location.Column != 5 || f.Location.EndLine != 3 || f.Location.EndColumn != 28 ||
		len(f.Related) != 1 || f.Related[0].Location.Line != 1 || f.Fingerprint == "" {
		t.Errorf("finding: %+v", f)
	}
	for _, k := range []string{"files", "hops", "edges", "errors", "warnings", "infos"} {
		if _, ok := rep.Summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if rep.Summary["warnings"] != 1 || rep.Summary["files"] != 1 {
		t.Errorf("summary %v", rep.Summary)
	}
}

func TestGitHubOutput(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": "worker_rlimit_nofile 100;\nevents {\n    worker_connections 200;\n}\nhttp {}\n"})
	_, out, _ := runIn(t, dir, "--format", "github")
	want := "::warning file=nginx.conf,line=3,endLine=3,col=5,endColumn=28,title=hoplint worker-connections-exceed-nofile::worker_connections is 200"
	if !strings.HasPrefix(out, want) {
		t.Errorf("got %q, want prefix %q", out, want)
	}
	if !strings.Contains(out, "%0Anginx.conf:1:1: worker_rlimit_nofile is 100 here") || strings.Count(out, "\n") != 1 {
		t.Errorf("related location not folded into one escaped line: %q", out)
	}
}

func TestFormatToFile(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering})
	code, out, _ := runIn(t, dir, "--format", "text", "--format", "json=report.json", ".")
	if code != 1 || !strings.Contains(out, "lingering-close-off") {
		t.Fatalf("exit %d, out %q", code, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil || !json.Valid(data) || !strings.Contains(string(data), `"lingering-close-off"`) {
		t.Errorf("report.json: %v %s", err, data)
	}
}

func TestSubcommands(t *testing.T) {
	dir := t.TempDir()
	if code, out, _ := runIn(t, dir, "rules"); code != 0 || !strings.Contains(out, "keepalive-order") {
		t.Errorf("rules: %d %q", code, out)
	}
	if code, out, _ := runIn(t, dir, "explain", "lingering-close-off"); code != 0 || !strings.Contains(out, "Bad: off") {
		t.Errorf("explain: %d %q", code, out)
	}
	if code, _, errs := runIn(t, dir, "explain", "nope"); code != 2 || !strings.Contains(errs, "unknown rule") {
		t.Errorf("explain nope: %d %q", code, errs)
	}
	if code, out, _ := runIn(t, dir, "version"); code != 0 || !strings.HasPrefix(out, "hoplint ") {
		t.Errorf("version: %d %q", code, out)
	}
	shop := writeTree(t, map[string]string{"nginx.conf": "events {}\nhttp {\n  upstream app { server 127.0.0.1:1; }\n  server { listen 80; location / { proxy_pass http://app; } }\n}\n"})
	if code, out, _ := runIn(t, shop, "graph", "--format", "mermaid"); code != 0 || !strings.HasPrefix(out, "flowchart LR") || !strings.Contains(out, "-->|reference|") {
		t.Errorf("graph mermaid: %d %q", code, out)
	}
}

// TestRulesDoc fails when docs/rules.md is stale. Regenerate it with
//
//	go run ./cmd/hoplint rules --format markdown > docs/rules.md
func TestRulesDoc(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"rules", "--format", "markdown"}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	path := filepath.Join("..", "..", "docs", "rules.md")
	if os.Getenv("HOPLINT_UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, out.Bytes()) {
		t.Errorf("docs/rules.md is stale; run: go run ./cmd/hoplint rules --format markdown > docs/rules.md")
	}
}
