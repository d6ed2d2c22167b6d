package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type jsonOut struct {
	Findings []struct {
		Rule        string
		Message     string
		Fingerprint string
		Location    struct {
			File string
			Line int
		}
	}
}

func lintJSON(t *testing.T, dir string, args ...string) jsonOut {
	t.Helper()
	_, out, errs := runIn(t, dir, append([]string{"--format", "json", "--fail-on", "never"}, args...)...)
	var rep jsonOut
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s %s", err, out, errs)
	}
	return rep
}

func fingerprints(rep jsonOut) map[string]string {
	m := map[string]string{}
	for _, f := range rep.Findings {
		m[f.Rule+" "+f.Location.File] = f.Fingerprint
	}
	return m
}

const apacheConf = `Listen 8080
KeepAlive On
<VirtualHost *:8080>
    ServerName a.example.com
    KeepAliveTimeout 0
    ProxyPass "/" "http://127.0.0.1:9000/" keepalive=On
</VirtualHost>
`

// TestFingerprintsSurviveUnrelatedEdits: lines inserted above keep every
// fingerprint (Apache messages quote file:line, which must not count), the
// same project linted by its absolute path from elsewhere matches, and a
// changed value makes a new fingerprint.
func TestFingerprintsSurviveUnrelatedEdits(t *testing.T) {
	dir := writeTree(t, map[string]string{"apache2.conf": apacheConf, "nginx.conf": lingering})
	before := fingerprints(lintJSON(t, dir))
	if len(before) < 2 {
		t.Fatalf("want findings in both files, got %v", before)
	}
	if err := os.WriteFile(filepath.Join(dir, "apache2.conf"), []byte("# a comment\n\n"+apacheConf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("# top\n"+lingering), 0o644); err != nil {
		t.Fatal(err)
	}
	after := fingerprints(lintJSON(t, dir))
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: fingerprint moved from %s to %s after lines were inserted above", k, v, after[k])
		}
	}
	abs, _ := filepath.Abs(dir)
	other := t.TempDir()
	_, out, _ := runIn(t, other, "--format", "json", "--fail-on", "never", abs)
	var rep jsonOut
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	byFP := map[string]bool{}
	for _, f := range rep.Findings {
		byFP[f.Fingerprint] = true
	}
	for k, v := range after {
		if !byFP[v] {
			t.Errorf("%s: linted by absolute path, fingerprint %s not found", k, v)
		}
	}
	changed := strings.Replace(apacheConf, "ProxyPass \"/\" \"http://127.0.0.1:9000/\" keepalive=On", "ProxyPass \"/\" \"http://127.0.0.1:9001/\" keepalive=On", 1)
	if err := os.WriteFile(filepath.Join(dir, "apache2.conf"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	moved := fingerprints(lintJSON(t, dir))
	if moved["proxy-keepalive-misread apache2.conf"] == before["proxy-keepalive-misread apache2.conf"] {
		t.Errorf("fingerprint did not change when the finding's line changed")
	}
}

func TestBaseline(t *testing.T) {
	dir := writeTree(t, map[string]string{"nginx.conf": lingering})
	code, out, errs := runIn(t, dir, "baseline")
	if code != 0 || !strings.Contains(out, `"fingerprint"`) {
		t.Fatalf("baseline: exit %d %q %q", code, out, errs)
	}
	if err := os.WriteFile(filepath.Join(dir, "base.json"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	// Known finding only: clean, exit 0.
	code, _, errs = runIn(t, dir, "--baseline", "base.json", "--format", "json")
	if code != 0 || !strings.Contains(errs, "1 known findings not shown, 0 gone") {
		t.Errorf("baseline run: exit %d, stderr %q", code, errs)
	}
	// A new finding is reported; lines above the old one do not matter.
	next := "# moved down\nworker_rlimit_nofile 10;\nevents {\n    worker_connections 20;\n}\nhttp {\n    lingering_close off;\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(next), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := lintJSON(t, dir, "--baseline", "base.json")
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "worker-connections-exceed-nofile" {
		t.Errorf("want only the new finding, got %+v", rep.Findings)
	}
	// The old one fixed: reported as gone.
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\nhttp {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ = runIn(t, dir, "--baseline", "base.json")
	if !strings.Contains(out, "0 known findings not shown, 1 gone") {
		t.Errorf("text output does not say a baselined finding is gone: %q", out)
	}
	for _, bad := range []string{"missing.json", "nginx.conf"} {
		if code, _, errs := runIn(t, dir, "--baseline", bad); code != 2 || !strings.Contains(errs, "--baseline") {
			t.Errorf("--baseline %s: exit %d %q", bad, code, errs)
		}
	}
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v %s", args, err, out)
	}
}

// TestNewFromRev: only findings with a location on a changed line, or in a
// new file, are reported; a related location on a changed line counts.
func TestNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	alb := "resource \"aws_lb\" \"web\" {\n  idle_timeout = 50\n}\nresource \"aws_lb_target_group\" \"web\" {\n  port     = 8080\n  protocol = \"HTTP\"\n}\nresource \"aws_lb_listener\" \"http\" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  default_action {\n    type             = \"forward\"\n    target_group_arn = aws_lb_target_group.web.arn\n  }\n}\n"
	ngx := "events {}\nhttp {\n    lingering_close off;\n    server {\n        listen 8080;\n        keepalive_timeout 60s;\n    }\n}\n"
	dir := writeTree(t, map[string]string{"alb.tf": alb, "nginx.conf": ngx})
	gitRun(t, dir, "init", "-q")
	gitRun(t, dir, "add", ".")
	gitRun(t, dir, "commit", "-q", "-m", "base")
	if rep := lintJSON(t, dir, "--new-from-rev", "HEAD"); len(rep.Findings) != 0 {
		t.Errorf("nothing changed, got %+v", rep.Findings)
	}
	// Raising the ALB timeout (a related location of the nginx finding)
	// makes the cross-file finding new, reported at the changed line of
	// alb.tf (issue 23 item 3); lingering_close stays old.
	if err := os.WriteFile(filepath.Join(dir, "alb.tf"), []byte(strings.Replace(alb, "50", "75", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extra.conf"), []byte(lingering), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := lintJSON(t, dir, "--new-from-rev", "HEAD")
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Rule+" "+f.Location.File)
	}
	want := "keepalive-order alb.tf,lingering-close-off extra.conf"
	if strings.Join(sortedCopy(got), ",") != strings.Join(sortedCopy(strings.Split(want, ",")), ",") {
		t.Errorf("got %v, want %s", got, want)
	}
	if code, _, errs := runIn(t, dir, "--new-from-rev", "no-such-rev"); code != 2 || !strings.Contains(errs, "not a commit") {
		t.Errorf("bad rev: exit %d %q", code, errs)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
