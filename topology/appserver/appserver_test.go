package appserver

import (
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/setting"
)

func cmd(items ...string) []Str {
	out := make([]Str, len(items))
	for i, s := range items {
		out[i] = Str{Value: s, Range: parsers.Range{File: "deploy.yaml", Start: parsers.Pos{Line: 10 + i}}}
	}
	return out
}

func TestIdentify(t *testing.T) {
	cases := []struct {
		name    string
		p       Process
		label   string
		prov    setting.Provenance
		value   time.Duration
		line    int
		noteHas string
	}{
		{name: "gunicorn default", p: Process{Command: cmd("gunicorn", "-k", "gthread", "app:app")},
			label: "gunicorn (gthread)", prov: setting.Default, value: 2 * time.Second, line: 10},
		{name: "gunicorn flag in a shell script", p: Process{Command: cmd("sh", "-c", "exec gunicorn --threads 4 --keep-alive 75 app:app")},
			label: "gunicorn (gthread)", prov: setting.Set, value: 75 * time.Second, line: 12},
		{name: "gunicorn sync closes", p: Process{Command: cmd("gunicorn", "app:app")},
			label: "gunicorn (sync)", prov: setting.Unknown, noteHas: "closes every connection"},
		{name: "gunicorn env args", p: Process{Command: cmd("gunicorn", "-k", "gevent"),
			Env: map[string]Str{"GUNICORN_CMD_ARGS": {Value: "--keep-alive 30", Range: parsers.Range{Start: parsers.Pos{Line: 40}}}}},
			label: "gunicorn (gevent)", prov: setting.Set, value: 30 * time.Second, line: 40},
		{name: "uvicorn flag", p: Process{Command: cmd("uvicorn", "main:app", "--timeout-keep-alive=65")},
			label: "uvicorn", prov: setting.Set, value: 65 * time.Second, line: 12},
		{name: "uvicorn unknown env", p: Process{Command: cmd("uvicorn", "main:app"),
			Env: map[string]Str{"UVICORN_TIMEOUT_KEEP_ALIVE": {Value: "${KA}", Unknown: true}}},
			label: "uvicorn", prov: setting.Unknown},
		{name: "puma before 7", p: Process{Command: cmd("bundle", "exec", "puma"), Version: func(string) string { return "6.4" }},
			label: "Puma", prov: setting.Default, value: 20 * time.Second, line: 12},
		{name: "unknown server", p: Process{Command: cmd("java", "-jar", "app.jar")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Identify(c.p)
			if got.Label != c.label || got.KeepAlive.Prov != c.prov {
				t.Fatalf("Identify = %q %v, want %q %v", got.Label, got.KeepAlive.Prov, c.label, c.prov)
			}
			if c.prov != setting.Unknown && (got.KeepAlive.Value != c.value || got.KeepAlive.Range.Start.Line != c.line) {
				t.Errorf("keep-alive %v at line %d, want %v at line %d", got.KeepAlive.Value, got.KeepAlive.Range.Start.Line, c.value, c.line)
			}
			if c.noteHas != "" && (len(got.Notes) == 0 || !contains(got.Notes[0], c.noteHas)) {
				t.Errorf("notes %q, want one with %q", got.Notes, c.noteHas)
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
func TestImageName(t *testing.T) {
	for ref, want := range map[string][2]string{
		"registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:abc": {"controller", "1.15.1"},
		"nginx:1.27-alpine":  {"nginx", "1.27"},
		"node:latest":        {"node", ""},
		"localhost:5000/app": {"app", ""},
	} {
		n, v := ImageName(ref)
		if n != want[0] || v != want[1] {
			t.Errorf("ImageName(%q) = %q %q, want %q %q", ref, n, v, want[0], want[1])
		}
	}
}
