package kubernetes

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// checkWhole holds decodeWhole to reading each document on its own, the
// way Parse reads a file when decodeWhole declines: the same documents,
// node for node at the same file positions, and the same comments.
func checkWhole(t *testing.T, text string) (used bool) {
	t.Helper()
	f := parsers.NewFile("k.yaml", "/k.yaml", "/", parsers.FormatKubernetes, []byte(text))
	docs := splitDocuments([]byte(text))
	whole, ok := decodeWhole(f, []byte(text), docs)
	if !ok {
		return false
	}
	for i, d := range docs {
		var one yaml.Node
		if err := yaml.Unmarshal(d.data, &one); err != nil {
			t.Fatalf("%q: document %d decoded whole, yet alone it fails: %v", text, i, err)
		}
		if whole[i] == nil {
			if len(one.Content) != 0 {
				t.Fatalf("%q: document %d has content alone, none decoded whole", text, i)
			}
			continue
		}
		if got, want := dump(whole[i], 0), dump(&one, d.line); got != want {
			t.Fatalf("%q: document %d differs\nwhole:\n%s\nalone:\n%s", text, i, got, want)
		}
	}
	// Comments are not compared: a file with a directive comment, the
	// only kind hoplint keeps, is never decoded whole (see
	// TestDecodeWholeDeclines).
	if strings.Contains(text, parsers.DirectiveMarker) {
		t.Fatalf("%q: decoded whole despite a directive comment", text)
	}
	return true
}

func dump(n *yaml.Node, shift int) string {
	var b strings.Builder
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 200 {
			return
		}
		// The document node's own position differs (the marker's line
		// or the first); Parse never reads it.
		pos := fmt.Sprintf("%d:%d", n.Line+shift, n.Column)
		if n.Kind == yaml.DocumentNode {
			pos = "-"
		}
		fmt.Fprintf(&b, "%*s%d %q %s %s %d\n", depth, "", n.Kind, n.Value, n.Tag, pos, n.Style)
		if n.Kind == yaml.AliasNode {
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

var wholeCases = []string{
	"apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: |\n    x\n    y\n",
	"# header\n---\napiVersion: v1\nkind: Service # line\n---\n# only a comment\n---\napiVersion: v1\nkind: Pod\n",
	"a: 1\n...\n---\nb: 2\n",
	"---\na: &x {k: v}\nb: *x\n---\nc: [1, 2]\n",
	"a: 1\n---\n\n\n  # indented comment\nb:\n  - x # trailing\n",
}

// decodeWhole is taken for ordinary multi-document files and agrees
// with reading each document alone.
func TestDecodeWholeAgrees(t *testing.T) {
	for _, c := range wholeCases {
		if !checkWhole(t, c) {
			t.Errorf("%q: decodeWhole declined an ordinary file", c)
		}
	}
}

// Files where something is off are read one document at a time, so that
// each problem keeps its document and line.
func TestDecodeWholeDeclines(t *testing.T) {
	for _, c := range []string{
		"a: 1\n",                                    // one document: nothing to gain
		"a: [1\n---\nb: 2\n",                        // a broken document
		"a: 1\n---\nb: \"{{ .Values.x }}\"\n",       // template braces
		"a: |\n  x\n---\n  y\nb: 2\n",               // "---" inside a block scalar
		"a: 1 # hoplint:ignore x -- y\n---\nb: 2\n", // a directive comment
		"a: 1\r\n---\r\nb: 2\r\n",                   // CRLF: "\r" breaks lines in YAML, not in splitDocuments
	} {
		f := parsers.NewFile("k.yaml", "/k.yaml", "/", parsers.FormatKubernetes, []byte(c))
		if _, ok := decodeWhole(f, []byte(c), splitDocuments([]byte(c))); ok {
			t.Errorf("%q: decodeWhole took it", c)
		}
	}
}

func FuzzDecodeWhole(f *testing.F) {
	for _, c := range wholeCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<12 {
			return
		}
		checkWhole(t, s)
	})
}
