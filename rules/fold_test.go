package rules

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

func TestFoldInstances(t *testing.T) {
	r := parsers.Range{File: "main.tf", Start: parsers.Pos{Line: 4, Col: 3}}
	other := parsers.Range{File: "main.tf", Start: parsers.Pos{Line: 9, Col: 3}}
	fs := []Finding{
		{Rule: "x", Range: r, Message: `idle_timeout on aws_lb.x[0] is ignored.`},
		{Rule: "x", Range: r, Message: `idle_timeout on aws_lb.x[1] is ignored.`},
		{Rule: "x", Range: r, Message: `idle_timeout on aws_lb.x["b"] is ignored.`},
		{Rule: "x", Range: other, Message: `idle_timeout on aws_lb.y[0] is ignored.`},
		{Rule: "y", Range: r, Message: `something else`},
	}
	got := foldInstances(fs)
	if len(got) != 3 {
		t.Fatalf("got %d findings: %v", len(got), got)
	}
	if want := `idle_timeout on aws_lb.x[0] is ignored (the same holds for 2 more instances of it).`; got[0].Message != want {
		t.Errorf("got %q, want %q", got[0].Message, want)
	}
	if got[1].Message != `idle_timeout on aws_lb.y[0] is ignored.` || got[2].Message != "something else" {
		t.Errorf("unrelated findings changed: %v", got[1:])
	}
}

func TestFoldCauses(t *testing.T) {
	at := func(file string, line int) parsers.Range {
		return parsers.Range{File: file, Start: parsers.Pos{Line: line, Col: 5}}
	}
	var fs []Finding
	// Twelve includes of one file that hoplint cannot follow for one reason.
	for i := 1; i <= 12; i++ {
		fs = append(fs, Finding{Rule: "include-not-followed", Range: at("sites/a.conf", i),
			Message: "include /etc/nginx/snippets/s" + string(rune('a'+i)) + ".conf is outside the linted root; hoplint did not read it, so the settings it holds are unknown"})
	}
	// One include target missing from three site files.
	for _, f := range []string{"sites/b", "sites/c", "sites/d"} {
		fs = append(fs, Finding{Rule: "include-not-followed", Range: at(f, 3),
			Message: "include /etc/letsencrypt/options-ssl-nginx.conf is outside the linted root; hoplint did not read it, so the settings it holds are unknown"})
	}
	// Locations of one file relying on the default body limit.
	for _, m := range []string{"/a", "/b", "~ \\.php$"} {
		fs = append(fs, Finding{Rule: "missing-body-size-limit", Range: at("big.conf", len(m)),
			Message: "nginx location " + m + " of shop.example.com (port 80) forwards requests but sets no client_max_body_size, so nginx's default of 1m applies."})
	}
	// Different values, different objects, another rule: never merged.
	fs = append(fs,
		Finding{Rule: "keepalive-order", Range: at("big.conf", 40), Message: "nginx upstream a keeps idle connections 60s, but app closes them after 5s."},
		Finding{Rule: "keepalive-order", Range: at("big.conf", 41), Message: "nginx upstream b keeps idle connections 75s, but app closes them after 5s."},
		Finding{Rule: "missing-body-size-limit", Range: at("ing.yaml", 10), Message: "ingress-nginx for Ingress shop/web forwards requests."},
		Finding{Rule: "missing-body-size-limit", Range: at("ing.yaml", 30), Message: "ingress-nginx for Ingress shop/api forwards requests."},
	)
	got := foldCauses(fs)
	if len(got) != 7 {
		for _, f := range got {
			t.Log(f.Range, f.Message)
		}
		t.Fatalf("got %d findings, want 7", len(got))
	}
	if f := got[0]; len(f.Related) != 11 || !strings.Contains(f.Message, "at 11 more places in this file") || f.Related[0].Message != "the same finding here, for /etc/nginx/snippets/sc.conf" {
		t.Errorf("12 includes: %q, %d related (%v)", f.Message, len(f.Related), f.Related)
	}
	if f := got[1]; len(f.Related) != 2 || !strings.Contains(f.Message, "at 2 more places in 3 files") {
		t.Errorf("one target in 3 files: %q, %d related", f.Message, len(f.Related))
	}
	if f := got[2]; len(f.Related) != 2 || f.Related[1].Message != "the same finding here, for ~ \\.php$" {
		t.Errorf("locations: %q, %v", f.Message, f.Related)
	}
	for _, f := range got[3:] {
		if len(f.Related) != 0 {
			t.Errorf("merged different causes: %q %v", f.Message, f.Related)
		}
	}
}

// words must split exactly as the regular expression \S+ it replaced: at
// ASCII white space only (not at \v or Unicode spaces), keeping invalid
// UTF-8 inside words.
func TestWordsAsRegexp(t *testing.T) {
	re := regexp.MustCompile(`\S+`)
	for _, s := range []string{
		"", " ", "a", "  nginx location /api  of server example.com\n",
		"tab\tsep\fform\rret\nnl", "vertical\vtab", "nbsp\u00a0here", "em\u2003space",
		"bad\xffbyte x", "trailing   ",
	} {
		want := re.FindAllString(s, -1)
		got := slices.Collect(words(s))
		if len(want) != len(got) {
			t.Errorf("words(%q) = %q, want %q", s, got, want)
			continue
		}
		for i := range want {
			if want[i] != got[i] {
				t.Errorf("words(%q) = %q, want %q", s, got, want)
				break
			}
		}
	}
}

// FuzzWords holds words to \S+ on any input.
func FuzzWords(f *testing.F) {
	re := regexp.MustCompile(`\S+`)
	f.Add("a b\tc")
	f.Fuzz(func(t *testing.T, s string) {
		want, got := re.FindAllString(s, -1), slices.Collect(words(s))
		if len(want) != len(got) {
			t.Fatalf("words(%q) = %q, want %q", s, got, want)
		}
		for i := range want {
			if want[i] != got[i] {
				t.Fatalf("words(%q) = %q, want %q", s, got, want)
			}
		}
	})
}

// FuzzMayNameTFAddress: the quick test never says no where tfAddress
// matches, so that foldSameRange folds what it folded before.
func FuzzMayNameTFAddress(f *testing.F) {
	for _, s := range []string{"aws_lb.public idle", "x aws_cloudfront_distribution.edge.", "a_b.c", "_x.y", "client_max_body_size. Raise", "resources.limits"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tfAddress.MatchString(s) && !mayNameTFAddress(s) {
			t.Fatalf("mayNameTFAddress(%q) = false, but tfAddress matches", s)
		}
	})
}

func TestMayNameTFAddress(t *testing.T) {
	for s, want := range map[string]bool{
		"the ALB aws_lb.public keeps":      true,
		"aws_cloudfront_distribution.edge": true,
		"Set client_max_body_size. Then":   false,
		"spec.resources.limits.memory":     false,
		"no dots here":                     false,
	} {
		if got := mayNameTFAddress(s); got != want {
			t.Errorf("mayNameTFAddress(%q) = %v, want %v", s, got, want)
		}
	}
}
