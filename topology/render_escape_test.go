package topology_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/topology"
)

// TestGraphEscapesConfigValues: `hoplint graph` prints names, targets and
// file names taken from the linted files. A server_name holding a newline
// and a workflow command, or an escape sequence, must not reach the output
// raw: in a CI log "\n::error file=README.md::…" is a forged annotation, and
// in the step summary's Mermaid picture a newline or a quote breaks the
// diagram (issue 25 item 14).
func TestGraphEscapesConfigValues(t *testing.T) {
	dir := t.TempDir()
	conf := "events {}\nhttp {\n  server {\n    listen 80;\n" +
		"    server_name \"api\n::error file=README.md::forged \x1b[31mred\";\n" +
		"    location \"/a\"\"]\n  x[\\\"<img src=x>`#quot;\" {\n" +
		"      proxy_pass \"http://127.0.0.1:8080/\n::warning::x\";\n    }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := topology.Load([]string{dir}, &config.Config{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Hops) == 0 {
		t.Fatal("no hops loaded")
	}
	for _, format := range []string{"text", "mermaid"} {
		var b bytes.Buffer
		if err := topology.Renderers[format](&b, g); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, `api\n::error file=README.md::forged \x1b`) {
			t.Errorf("%s: the server name is not shown escaped:\n%s", format, out)
		}
		for i, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") {
				t.Errorf("%s: line %d starts a workflow command: %q", format, i+1, line)
			}
			if strings.ContainsAny(line, "\x1b\r") {
				t.Errorf("%s: line %d holds a control character: %q", format, i+1, line)
			}
		}
		if format != "mermaid" {
			continue
		}
		// Every node statement is one line whose label is one quoted
		// string, with no HTML tag and no backtick from the values.
		node := regexp.MustCompile(`^  (h\d+)\["([^"]*)"\]$`)
		for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			if !strings.HasPrefix(line, "  h") || strings.Contains(line, "-->") || strings.Contains(line, "-.->") {
				continue
			}
			m := node.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("mermaid: node statement broken: %q", line)
				continue
			}
			label := strings.ReplaceAll(m[2], "<br/>", "")
			if strings.ContainsAny(label, "<>`") {
				t.Errorf("mermaid: label keeps markup from a value: %q", m[2])
			}
		}
		// An entity written in a value stays text: its '#' is escaped.
		if !strings.Contains(out, "#35;quot;") {
			t.Errorf("mermaid: the value's own #quot; is not escaped:\n%s", out)
		}
	}
}
