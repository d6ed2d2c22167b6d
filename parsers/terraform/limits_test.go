package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// Every Terraform file of the shared corpus is within the nesting limit:
// the limit refuses only hostile input.
func TestCorpusWithinNesting(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skip("no corpus")
	}
	n := 0
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || !strings.HasSuffix(p, ".tf") && !strings.HasSuffix(p, ".tf.json") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		f := parsers.NewFile(p, p, root, parsers.FormatTerraform, data)
		if pr := tooDeep(f, strings.HasSuffix(p, ".json")); pr != nil {
			t.Errorf("%s: refused: %s", pr.Range, pr.Message)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no Terraform files in the corpus")
	}
}

// Nesting is measured the way HCL recurses, so that none of these shapes
// reaches the parser, while the same constructs at a sane depth do.
func TestNestingShapes(t *testing.T) {
	deep := maxNesting + 10
	rep := strings.Repeat
	cases := map[string]string{
		"parens":       "x = " + rep("(", deep) + "1" + rep(")", deep),
		"blocks":       "resource \"a\" \"b\" {\n" + rep("x {\n", deep) + rep("}\n", deep) + "}",
		"not":          "x = " + rep("! ", deep) + "true",
		"minus":        "x = " + rep("-", deep) + "1",
		"conditionals": "x = (" + rep("true ? 1 :\n", deep) + "2)",
		"templates":    "x = " + rep("\"${", deep) + "1" + rep("}\"", deep),
		"heredocs":     "x = " + rep("<<EOT\n${", deep) + "1" + rep("}\nEOT\n", deep),
		"for":          "x = " + rep("[for x in ", deep) + "[1]" + rep(" : x]", deep),
		"plus":         "x = 1" + rep(" + 1", deep),
		"or":           "x = true" + rep(" || true", deep),
		"equals":       "x = 1" + rep(" == 1", deep),
		"binary minus": "x = 1" + rep("-1", deep),
	}
	for name, src := range cases {
		f := parsers.NewFile("main.tf", "/m/main.tf", "/m", parsers.FormatTerraform, []byte("locals {\n"+src+"\n}\n"))
		if tooDeep(f, false) == nil {
			t.Errorf("%s: %d levels were not refused", name, deep)
		}
		shallow := strings.ReplaceAll(src, rep("(", deep), rep("(", 10))
		shallow = strings.ReplaceAll(shallow, rep(")", deep), rep(")", 10))
		if name == "parens" {
			f := parsers.NewFile("main.tf", "/m/main.tf", "/m", parsers.FormatTerraform, []byte("locals {\n"+shallow+"\n}\n"))
			if p := tooDeep(f, false); p != nil {
				t.Errorf("10 levels refused: %s", p.Message)
			}
		}
	}
	// Long lists of negative numbers and operators in separate elements
	// do not chain.
	list := "x = [" + rep("-1, 2 + 3, ", deep) + "0]"
	f := parsers.NewFile("main.tf", "/m/main.tf", "/m", parsers.FormatTerraform, []byte("locals {\n"+list+"\n}\n"))
	if p := tooDeep(f, false); p != nil {
		t.Errorf("a long list refused: %s", p.Message)
	}
	// Brackets inside strings, comments and heredoc bodies do not nest.
	lit := "# " + rep("(", deep) + "\nx = \"" + rep("(", deep) + "\"\ny = <<EOT\n" + rep("{", deep) + "\nEOT\n"
	f = parsers.NewFile("main.tf", "/m/main.tf", "/m", parsers.FormatTerraform, []byte("locals {\n"+lit+"}\n"))
	if p := tooDeep(f, false); p != nil {
		t.Errorf("literal brackets refused: %s at %s", p.Message, p.Range)
	}
	j := parsers.NewFile("main.tf.json", "/m/main.tf.json", "/m", parsers.FormatTerraform, []byte(`{"locals":{"x":`+rep("[", deep)+rep("]", deep)+`}}`))
	if tooDeep(j, true) == nil {
		t.Error("deep JSON arrays were not refused")
	}
	j = parsers.NewFile("main.tf.json", "/m/main.tf.json", "/m", parsers.FormatTerraform, []byte(`{"locals":{"x":"`+rep("${(", deep)+"1"+rep(")}", deep)+`"}}`))
	if tooDeep(j, true) == nil {
		t.Error("a deep template in a JSON string was not refused")
	}
}
