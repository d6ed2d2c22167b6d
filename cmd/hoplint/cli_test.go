package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

func TestHelpAfterAnySubcommand(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"}, {"lint", "--help"}, {"rules", "--help"}, {"explain", "-h"},
		{"graph", "--help"}, {"baseline", "--help"}, {"version", "--help"}, {"examples/", "--help"},
	} {
		code, out, errs := runIn(t, dir, args...)
		if code != 0 || !strings.Contains(out, "Usage:") || errs != "" {
			t.Errorf("hoplint %v: exit %d, stdout %.40q, stderr %q", args, code, out, errs)
		}
	}
}

func TestVersion(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if code, out, _ := runIn(t, dir, args...); code != 0 || !strings.HasPrefix(out, "hoplint ") {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
	bi := &debug.BuildInfo{GoVersion: "go1.25.1", Main: debug.Module{Path: "github.com/hoplint/hoplint", Version: "v0.3.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}
	if got := describeBuild(bi); got != "hoplint v0.3.0 (revision 0123456789ab, modified) go1.25.1" {
		t.Errorf("describeBuild = %q", got)
	}
	bi = &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}
	if got := describeBuild(bi); got != "hoplint devel (revision unknown)" {
		t.Errorf("describeBuild devel = %q", got)
	}
	// What the GitHub Action stamps into a build of its downloaded source
	// (no .git): the ref, and the commit when the ref is one (issue 23
	// item 11).
	defer func(v, r, b string) { Version, Revision, BuiltFrom = v, r, b }(Version, Revision, BuiltFrom)
	Version, Revision, BuiltFrom = "", "", "hoplint/hoplint@main"
	if got := describeBuild(bi); got != "hoplint devel (revision unknown, built by the GitHub Action from hoplint/hoplint@main)" {
		t.Errorf("describeBuild from a branch = %q", got)
	}
	Revision, BuiltFrom = "fedcba9876543210fedcba9876543210fedcba98", "hoplint/hoplint@fedcba9876543210fedcba9876543210fedcba98"
	if got := describeBuild(bi); got != "hoplint devel (revision fedcba987654, built by the GitHub Action from hoplint/hoplint@fedcba9876543210fedcba9876543210fedcba98)" {
		t.Errorf("describeBuild from a commit = %q", got)
	}
}

func TestEmptyPath(t *testing.T) {
	dir := writeTree(t, map[string]string{"docs/README.md": "# nothing to lint\n"})
	code, _, errs := runIn(t, dir, "docs")
	if code != 2 || !strings.Contains(errs, "no file that hoplint reads") || strings.Count(errs, "\n") != 1 {
		t.Errorf("empty path: exit %d, stderr %q", code, errs)
	}
	if code, out, _ := runIn(t, dir, "--allow-empty", "docs"); code != 0 || !strings.Contains(out, "no findings in 0 files") {
		t.Errorf("--allow-empty: exit %d %q", code, out)
	}
	// Every path must hold something: a good one does not cover an empty one.
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\nhttp {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runIn(t, dir, "nginx.conf", "docs"); code != 2 || !strings.Contains(errs, "under docs;") {
		t.Errorf("one empty path of two: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := runIn(t, dir, "nginx.conf", "."); code != 0 {
		t.Errorf("two paths with files: exit %d, stderr %q", code, errs)
	}
}

// TestUnreadableFile pins the documented behaviour: a file hoplint cannot
// read is a parse-error finding on that file (exit 1), the other files are
// still linted; it is not an exit-2 usage error.
func TestUnreadableFile(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering})
	big := filepath.Join(dir, "big.conf")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(17 << 20); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()
	locked := filepath.Join(dir, "locked.conf")
	if err := os.WriteFile(locked, []byte(lingering), 0o000); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runIn(t, dir, "--format", "json")
	if code != 1 || !strings.Contains(out, `"file": "big.conf"`) || !strings.Contains(out, "over hoplint's limit") ||
		!strings.Contains(out, "lingering-close-off") {
		t.Errorf("exit %d, output %s", code, out)
	}
	if os.Geteuid() != 0 && !strings.Contains(out, "permission denied") {
		t.Errorf("unreadable file not reported: %s", out)
	}
}

func TestInternalErrorExit3(t *testing.T) {
	var errb bytes.Buffer
	code := protect(&errb, func() int { panic("boom") })
	if code != exitInternal || !strings.Contains(errb.String(), "internal error") || !strings.Contains(errb.String(), "boom") ||
		strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

// TestControlCharacters: a server_name holding a newline and a workflow
// command must not start a line of its own in text or github output.
func TestControlCharacters(t *testing.T) {
	conf := "events {}\nhttp {\n    server {\n        listen 80;\n        server_name \"x\n::error file=README.md,line=1::forged\x1b[31m\";\n        location / { proxy_pass http://127.0.0.1:9000; }\n    }\n}\n"
	dir := writeTree(t, map[string]string{"nginx.conf": conf})
	for _, format := range []string{"text", "github", "markdown"} {
		_, out, _ := runIn(t, dir, "--format", format)
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "::error file=README.md") {
				t.Errorf("%s: forged annotation line: %q", format, line)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s: raw ESC in output", format)
		}
		if format == "text" && !strings.Contains(out, `x\n::error`) {
			t.Errorf("text: control not shown escaped:\n%s", out)
		}
	}
}

func TestColor(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering})
	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "1")
	if _, out, _ := runIn(t, dir); !strings.Contains(out, "\x1b[") {
		t.Errorf("FORCE_COLOR=1 did not colour")
	}
	if _, out, _ := runIn(t, dir, "--no-color"); strings.Contains(out, "\x1b[") {
		t.Errorf("--no-color coloured")
	}
	t.Setenv("NO_COLOR", "1")
	if _, out, _ := runIn(t, dir); strings.Contains(out, "\x1b[") {
		t.Errorf("NO_COLOR=1 coloured")
	}
	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "")
	if useColor(&bytes.Buffer{}, false) {
		t.Errorf("a buffer is not a terminal")
	}
}

// TestShopFormats runs every format over examples/shop: SARIF validates
// against the schema, the summary draws the path, and the XML parses.
func TestShopFormats(t *testing.T) {
	shop := filepath.Join("..", "..", "examples", "shop")
	dir := t.TempDir()
	args := []string{"--fail-on", "never", "--format", "text=" + filepath.Join(dir, "out.txt")}
	for _, f := range []string{"sarif", "markdown", "checkstyle", "junit", "github", "json"} {
		args = append(args, "--format", f+"="+filepath.Join(dir, "out."+f))
	}
	if code, _, errs := runIn(t, shop, args...); code != 0 {
		t.Fatalf("exit %d %s", code, errs)
	}
	read := func(ext string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, "out."+ext))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	log, err := sarif.FromBytes(read("sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if err := log.Validate(); err != nil {
		t.Errorf("examples/shop SARIF: %v", err)
	}
	if len(log.Runs[0].Results) == 0 {
		t.Errorf("no SARIF results")
	}
	md := string(read("markdown"))
	if !strings.Contains(md, "```mermaid\nflowchart LR") || !strings.Contains(md, "class ") || !strings.Contains(md, "| 🔴 error | [keepalive-order]") {
		t.Errorf("markdown summary:\n%s", md)
	}
	for _, ext := range []string{"checkstyle", "junit"} {
		if err := xml.Unmarshal(read(ext), new(struct{})); err != nil {
			t.Errorf("%s: %v", ext, err)
		}
	}
}

// TestPathPicture: the summary's picture holds the hops the finding points
// at and their neighbours, outlined, and leaves out an unrelated server in the same file.
func TestPathPicture(t *testing.T) {
	alb := "resource \"aws_lb\" \"web\" {\n  idle_timeout = 75\n}\nresource \"aws_lb_target_group\" \"web\" {\n  port     = 8080\n  protocol = \"HTTP\"\n}\nresource \"aws_lb_listener\" \"http\" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  default_action {\n    type             = \"forward\"\n    target_group_arn = aws_lb_target_group.web.arn\n  }\n}\n"
	dir := writeTree(t, map[string]string{
		"alb.tf":     alb,
		"nginx.conf": "events {}\nhttp {\n    server {\n        listen 8080;\n        keepalive_timeout 75s;\n    }\n    server {\n        listen 9090;\n        server_name unrelated.example.com;\n    }\n}\n",
	})
	_, out, _ := runIn(t, dir, "--format", "markdown")
	_, pic, ok := strings.Cut(out, "```mermaid")
	if !ok {
		t.Fatalf("no picture:\n%s", out)
	}
	if !strings.Contains(pic, "nginx default server (port 8080)") || !strings.Contains(pic, "ALB aws_lb.web") || strings.Contains(pic, "unrelated") || !strings.Contains(pic, "class h") {
		t.Errorf("picture:\n%s", pic)
	}
}

// TestJUnitAgreesWithExit: the JUnit report fails exactly when hoplint
// exits 1: a warning under --fail-on error is a passing test case.
func TestJUnitAgreesWithExit(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": "events {}\nhttp {\n    lingering_close off;\n}\n"})
	for _, c := range []struct {
		failOn   string
		code     int
		failures string
	}{{"error", 0, `failures="0"`}, {"warning", 1, `failures="1"`}, {"never", 0, `failures="0"`}} {
		code, out, errs := runIn(t, dir, "--format", "junit", "--fail-on", c.failOn)
		if code != c.code || !strings.Contains(out, `<testsuites name="hoplint" tests="1" `+c.failures) {
			t.Errorf("--fail-on %s: exit %d (want %d), junit %s %s", c.failOn, code, c.code, out, errs)
		}
	}
}
