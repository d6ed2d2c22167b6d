package config

import (
	"errors"
	"strings"
	"testing"
)

// TestUnknownKeysEverywhere: a typo at any level of .hoplint.yml is an
// error at its line, naming what that level takes and the key meant when
// it is near; it never quotes the typo.
func TestUnknownKeysEverywhere(t *testing.T) {
	for _, c := range []struct {
		name, yml string
		line      int
		want      string
	}{
		{"top level", "versions: {}\nrule_s: x\n", 2, "unknown key at the top level (it takes charts, ignore, images, link, rules, stacks, terraform, versions); did you mean rules?"},
		{"enable in a rule", "rules:\n  lingering-close-off:\n    enable: false\n", 3, "unknown key under rules.RULE (it takes enabled, exclude, params, severity); did you mean enabled?"},
		{"severty in a rule", "rules:\n  lingering-close-off:\n    severity: info\n    severty: error\n", 4, "did you mean severity?"},
		{"param in a rule", "rules:\n  memory-limit-too-small:\n    param: {min: 1Mi}\n", 3, "did you mean params?"},
		{"flow mapping", "rules: {body-size-order: {Severity: error}}\n", 1, "did you mean severity?"},
		{"chart entry", "charts:\n  deploy/chart:\n    value: [prod.yaml]\n", 3, "unknown key under charts.DIR (it takes values); did you mean values?"},
		{"terraform", "terraform:\n  varfiles: [a.tfvars]\n", 2, "unknown key under terraform (it takes var_files); did you mean var_files?"},
		{"stack", "stacks:\n  - name: web\n    hop: [a.tf#aws_lb.web]\n", 3, "unknown key under stacks[] (it takes hops, name); did you mean hops?"},
		{"no suggestion", "rules:\n  lingering-close-off:\n    whatever: 1\n", 3, "unknown key under rules.RULE (it takes enabled, exclude, params, severity)"},
		{"through a merge key", "base: &b {severty: error}\n", 1, "unknown key at the top level"},
		{"merged into a rule", "rules:\n  a: &b {enabled: true, severty: x}\n  lingering-close-off:\n    <<: *b\n", 2, "did you mean severity?"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yml))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a configuration error", err)
			}
			if ce.Line != c.line || !strings.Contains(ce.Msg, c.want) {
				t.Errorf("got line %d %q, want line %d containing %q", ce.Line, ce.Msg, c.line, c.want)
			}
			if c.name == "no suggestion" && strings.Contains(ce.Msg, "did you mean") {
				t.Errorf("a key near no known one got a suggestion: %q", ce.Msg)
			}
		})
	}
}

// TestKnownKeysAccepted: every form the README shows still loads.
func TestKnownKeysAccepted(t *testing.T) {
	for _, yml := range []string{
		"rules:\n  lingering-close-off: off\n  body-size-order: error\n",
		"rules:\n  memory-limit-too-small:\n    enabled: true\n    severity: info\n    params: {min: 128Mi}\n    exclude: [charts/legacy/**]\n",
		"stacks:\n  - name: web\n    hops: [a.tf#aws_lb.web]\n",
		"charts:\n  deploy/chart: {values: [prod.yaml]}\nterraform: {var_files: [a.tfvars]}\nlink: strict\nignore: [x/**]\n",
		"rules:\n  body-size-order: &s {severity: error}\n  lingering-close-off: *s\n",
		"",
		"# only a comment\n",
	} {
		if _, err := Parse([]byte(yml)); err != nil {
			t.Errorf("%q: %v", yml, err)
		}
	}
}

func TestExcludePatterns(t *testing.T) {
	for _, c := range []struct{ yml, want string }{
		{"rules:\n  lingering-close-off:\n    exclude: [\"a/[\"]\n", "not a glob"},
		{"rules:\n  lingering-close-off:\n    exclude: [/etc/**]\n", "stay inside it"},
		{"rules:\n  lingering-close-off:\n    exclude: [../x/**]\n", "stay inside it"},
		{"rules:\n  lingering-close-off:\n    exclude: [\"\"]\n", "empty pattern"},
	} {
		_, err := Parse([]byte(c.yml))
		var ce *Error
		if !errors.As(err, &ce) || ce.Line != 3 || !strings.Contains(ce.Msg, c.want) {
			t.Errorf("%q: got %v, want line 3 %q", c.yml, err, c.want)
		}
	}
	cfg, err := Parse([]byte("rules:\n  lingering-close-off:\n    exclude: [charts/legacy/**, old.conf, vendor/]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]bool{
		"charts/legacy/templates/deploy.yaml": true,
		"charts/legacy":                       true,
		"charts/legacy2/x.yaml":               false,
		"old.conf":                            true,
		"sub/old.conf":                        false,
		"vendor/a/nginx.conf":                 true,
		"nginx.conf":                          false,
	} {
		if got := cfg.Excluded("lingering-close-off", file, ""); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", file, got, want)
		}
		if cfg.Excluded("keepalive-order", file, "") {
			t.Errorf("another rule's findings at %s were excluded", file)
		}
	}
	// Read from a file, patterns are relative to its directory, wherever
	// hoplint runs.
	cfg.File = "/repo/.hoplint.yml"
	if !cfg.Excluded("lingering-close-off", "../charts/legacy/a.yaml", "/repo/charts/legacy/a.yaml") ||
		cfg.Excluded("lingering-close-off", "charts/legacy/a.yaml", "/repo/app/charts/legacy/a.yaml") ||
		cfg.Excluded("lingering-close-off", "../old.conf", "/old.conf") {
		t.Errorf("patterns not relative to the configuration's directory")
	}
}

func TestIgnorePatterns(t *testing.T) {
	_, err := Parse([]byte("versions: {}\nignore:\n  - \"a/[\"\n"))
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 2 || !strings.Contains(ce.Msg, "not a glob") {
		t.Errorf("got %v", err)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"enabled", "exclude", "params", "severity"}
	for in, want := range map[string]string{
		"enable": "enabled", "severty": "severity", "sevreity": "severity", "param": "params",
		"Severity": "severity", "excludes": "exclude", "whatever": "", "": "", "p": "",
	} {
		if got := Suggest(in, keys); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Suggest("mni", []string{"min"}); got != "min" {
		t.Errorf("a swap of two letters: %q", got)
	}
	if got := Suggest("max", []string{"min"}); got != "" {
		t.Errorf("a short key two edits away was suggested: %q", got)
	}
}
