package compose_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
)

// bounded runs fn and fails when it does not end within limit: a guard
// against hangs, not a speed check.
func bounded(t *testing.T, limit time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	start := time.Now()
	go func() { defer close(done); fn() }()
	select {
	case <-done:
		t.Logf("took %s", time.Since(start))
	case <-time.After(limit):
		t.Fatalf("did not end within %s", limit)
	}
}

func TestHostileManyServices(t *testing.T) {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range 100000 {
		fmt.Fprintf(&b, "  s%d:\n    image: nginx\n", i)
	}
	bounded(t, 120*time.Second, func() {
		p, _ := project(t, map[string]string{"app/compose.yml": b.String()})
		// compose-go caps the YAML nodes it visits (100,000 by default, as
		// in docker compose): the project is refused with a problem, as
		// docker compose refuses it.
		if p.Loaded || !strings.Contains(problems(p), "maximum node visit limit") {
			t.Errorf("loaded=%v services=%d\n%s", p.Loaded, len(p.Services), problems(p))
		}
	})
}

func TestHostileOversized(t *testing.T) {
	data := "services:\n  a:\n    image: x\n" + strings.Repeat("# padding\n", parsers.MaxFileSize/10+1)
	bounded(t, 30*time.Second, func() {
		p := compose.Load([]*parsers.File{parsers.NewFile("compose.yml", "/nonexistent/compose.yml", "/nonexistent", "", []byte(data))}, compose.Options{})
		if p.Loaded || len(p.Problems) != 1 || !strings.Contains(p.Problems[0].Message, "over hoplint's limit") {
			t.Errorf("%s", problems(p))
		}
	})
	// Through the directory, the file is not even read.
	bounded(t, 30*time.Second, func() {
		p, _ := project(t, map[string]string{"app/compose.yml": data})
		if p.Loaded || !strings.Contains(problems(p), "over hoplint's limit") {
			t.Errorf("%s", problems(p))
		}
	})
}

func TestHostileInterpolation(t *testing.T) {
	nested := strings.Repeat("${A:-", 100000) + "x" + strings.Repeat("}", 100000)
	cases := map[string]map[string]string{
		"nested defaults": {"app/compose.yml": "services:\n  a:\n    image: \"" + nested + "\"\n"},
		"long values": {
			"app/.env":        "A=" + strings.Repeat("a", 1<<20) + "\n",
			"app/compose.yml": "services:\n  a:\n    image: \"" + strings.Repeat("${A}", 5000) + "\"\n",
		},
		"doubling .env": {
			"app/.env":        "A0=aaaaaaaa\n" + doublingEnv(64),
			"app/compose.yml": "services:\n  a:\n    image: ${A64}\n",
		},
		"doubling .env of an included project": {
			"app/compose.yml":     "include: [sub/compose.yml]\nservices:\n  a:\n    image: x\n",
			"app/sub/compose.yml": "services:\n  b:\n    image: ${A64}\n",
			"app/sub/.env":        "A0=aaaaaaaa\n" + doublingEnv(64),
		},
		"doubling include env_file": {
			"app/compose.yml":     "include:\n  - path: sub/compose.yml\n    env_file: sub/x.env\nservices:\n  a:\n    image: x\n",
			"app/sub/compose.yml": "services:\n  b:\n    image: ${A64}\n",
			"app/sub/x.env":       "A0=aaaaaaaa\n" + doublingEnv(64),
		},
		"many values": {
			"app/.env":        "A=" + strings.Repeat("a", 100000) + "\n",
			"app/compose.yml": "services:\n  a:\n    image: x\n    environment:\n" + manyEnv(2000),
		},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			bounded(t, 60*time.Second, func() {
				p, _ := project(t, files)
				if p.Loaded && p.Service("a").Image.Known && len(p.Service("a").Image.Value) > 1<<20 {
					t.Errorf("an image of %d bytes", len(p.Service("a").Image.Value))
				}
				if len(p.Problems) == 0 {
					t.Errorf("no problem reported")
				}
				t.Log(problems(p))
			})
		})
	}
}

func doublingEnv(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "A%d=${A%d}${A%d}\n", i, i-1, i-1)
	}
	return b.String()
}

func manyEnv(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "      V%d: \"${A}${A}${A}${A}\"\n", i)
	}
	return b.String()
}

func TestHostileAliasBomb(t *testing.T) {
	bomb := "x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += fmt.Sprintf("x-%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	bomb += "services:\n  s:\n    image: x\n    command: *i\n"
	bounded(t, 60*time.Second, func() {
		p, _ := project(t, map[string]string{"app/compose.yml": bomb})
		if p.Loaded {
			t.Errorf("an alias bomb loaded")
		}
		t.Log(problems(p))
	})
}

func TestHostileExtendsChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("services:\n  s0:\n    image: x\n")
	for i := 1; i < 2000; i++ {
		fmt.Fprintf(&b, "  s%d:\n    extends: s%d\n", i, i-1)
	}
	bounded(t, 60*time.Second, func() {
		p, _ := project(t, map[string]string{"app/compose.yml": b.String()})
		t.Logf("loaded=%v %d services", p.Loaded, len(p.Services))
	})
}

func TestHostileIncludeFanOut(t *testing.T) {
	files := map[string]string{}
	var b strings.Builder
	b.WriteString("include:\n")
	for i := range 300 {
		fmt.Fprintf(&b, "  - inc%d.yml\n", i)
		files[fmt.Sprintf("app/inc%d.yml", i)] = fmt.Sprintf("services:\n  s%d:\n    image: x\n", i)
	}
	b.WriteString("services:\n  a:\n    image: x\n")
	files["app/compose.yml"] = b.String()
	bounded(t, 60*time.Second, func() {
		p, _ := project(t, files)
		if p.Loaded || !strings.Contains(problems(p), "more than 256 files") {
			t.Errorf("loaded=%v\n%s", p.Loaded, problems(p))
		}
	})
}
