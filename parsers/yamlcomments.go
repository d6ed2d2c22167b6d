package parsers

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// YAMLComments gathers the comments yaml.v3 attached to nodes, for the
// parsers of YAML formats (Kubernetes manifests, OpenAPI specs). yaml.v3
// does not say on which line a comment sits, so Locate finds each one in
// the text: a "#" that starts a comment there, with exactly that text. A
// "#" inside a block scalar is text, not a comment, and is never taken.
type YAMLComments map[string]int

// Add records a comment line ("# …") found outside any node.
func (cs *YAMLComments) Add(line string) {
	if *cs == nil {
		*cs = YAMLComments{}
	}
	(*cs)[line]++
}

// Collect records the comments of n and every node below it.
func (cs *YAMLComments) Collect(n *yaml.Node) { cs.collect(n, 0) }

func (cs *YAMLComments) collect(n *yaml.Node, depth int) {
	if n == nil || depth > 10000 {
		return
	}
	for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
		if c == "" {
			continue
		}
		for _, l := range strings.Split(c, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "#") {
				cs.Add(l)
			}
		}
	}
	if n.Kind == yaml.AliasNode {
		return
	}
	for _, k := range n.Content {
		cs.collect(k, depth+1)
	}
}

// Locate returns the recorded comments with their positions in f.
func (cs YAMLComments) Locate(f *File) []Comment {
	if len(cs) == 0 {
		return nil
	}
	var out []Comment
	for i := 1; i <= f.NumLines(); i++ {
		text := f.Line(i)
		idx := YAMLCommentStart(text)
		if idx < 0 {
			continue
		}
		c := strings.TrimRight(text[idx:], " \t")
		if cs[c] == 0 {
			continue
		}
		// A copy: the comment outlives the file's text, which a parser
		// may release (File.Release) once it is done.
		out = append(out, Comment{Line: i, Col: idx + 1, Text: strings.Clone(strings.TrimPrefix(c, "#"))})
	}
	return out
}

// YAMLCommentStart finds where a YAML comment starts on a line: a "#" at the
// start or after a space, outside quotes; -1 when there is none.
func YAMLCommentStart(line string) int {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '"' || c == '\'':
			if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' || line[i-1] == ':' || line[i-1] == '[' || line[i-1] == '{' || line[i-1] == ',' || line[i-1] == '-' {
				quote = c
			}
		case c == '#':
			if i == 0 || line[i-1] == ' ' || line[i-1] == '\t' {
				return i
			}
		}
	}
	return -1
}
