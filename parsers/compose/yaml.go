package compose

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// layer is one YAML document of a compose file as yaml.v3 Nodes: the
// source of every position.
type layer struct {
	file *parsers.File
	real string // the file's real path
	root *yaml.Node
	// services maps each service name to its key and value nodes.
	services map[string]kv
	order    []string
	main     bool // a file of the project itself (not included, not only extended)
}

type kv struct{ k, v *yaml.Node }

// parse reads f's YAML documents into layers.
func (l *loader) parse(f *parsers.File, real string) ([]*layer, error) {
	dec := yaml.NewDecoder(bytes.NewReader(f.Bytes()))
	var out []*layer
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := deref(doc.Content[0])
		ly := &layer{file: f, real: real, root: root, services: map[string]kv{}, main: !l.composing}
		if root.Kind == yaml.MappingNode {
			svcs := root
			if _, v := get(root, "services"); v != nil {
				svcs = v
			} else if !isVersion1(root) {
				svcs = nil
			}
			if svcs != nil && svcs.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(svcs.Content); i += 2 {
					k := svcs.Content[i]
					if _, dup := ly.services[k.Value]; !dup {
						ly.order = append(ly.order, k.Value)
					}
					ly.services[k.Value] = kv{k, deref(svcs.Content[i+1])}
				}
			}
		}
		out = append(out, ly)
		l.layers = append(l.layers, ly)
		l.byAbs[real] = append(l.byAbs[real], ly)
	}
	return out, nil
}

// deref follows alias nodes a bounded number of times.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return deref(n.Content[0])
	}
	return n
}

// get returns the key and value nodes of key in mapping m, looking through
// YAML merge keys (<<: *anchor) as YAML does: a key written in m wins over
// a merged one.
func get(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	return getDepth(m, key, 0)
}

func getDepth(m *yaml.Node, key string, depth int) (*yaml.Node, *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > 16 {
		return nil, nil
	}
	var k, v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i].Tag != "!!merge" {
			k, v = m.Content[i], m.Content[i+1]
		}
	}
	if k != nil {
		return k, deref(v)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Tag != "!!merge" && m.Content[i].Value != "<<" {
			continue
		}
		src := deref(m.Content[i+1])
		if src == nil {
			continue
		}
		if src.Kind == yaml.SequenceNode {
			for _, s := range src.Content {
				if k, v := getDepth(s, key, depth+1); k != nil {
					return k, v
				}
			}
			continue
		}
		if k, v := getDepth(src, key, depth+1); k != nil {
			return k, v
		}
	}
	return nil, nil
}

// pairs returns the entries of mapping m, merged keys included (written
// keys win over merged ones, earlier merge sources over later ones, as YAML
// says).
func pairs(m *yaml.Node) []kv {
	var out []kv
	collectPairs(m, map[string]bool{}, &out, 0)
	return out
}

func collectPairs(m *yaml.Node, seen map[string]bool, out *[]kv, depth int) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode || depth > 16 {
		return
	}
	var merged []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Tag == "!!merge" || k.Value == "<<" {
			merged = append(merged, deref(m.Content[i+1]))
			continue
		}
		if !seen[k.Value] {
			seen[k.Value] = true
			*out = append(*out, kv{k, deref(m.Content[i+1])})
		}
	}
	for _, src := range merged {
		if src != nil && src.Kind == yaml.SequenceNode {
			for _, s := range src.Content {
				collectPairs(s, seen, out, depth+1)
			}
			continue
		}
		collectPairs(src, seen, out, depth+1)
	}
}

// nodeRange covers n: a scalar's line from its column, or a block from its
// first line to its last.
func nodeRange(f *parsers.File, n *yaml.Node) parsers.Range {
	if n == nil {
		return f.LineRange(1)
	}
	last := lastLine(n, 0)
	end := len(strings.TrimRight(f.Line(last), " \t")) + 1
	if last == n.Line && end <= n.Column {
		end = n.Column + 1
	}
	return f.At(n.Line, n.Column, last, end)
}

// pairRange covers a key and its value.
func pairRange(f *parsers.File, k, v *yaml.Node) parsers.Range {
	r := nodeRange(f, k)
	if v != nil && v.Kind != yaml.AliasNode {
		if e := nodeRange(f, v); e.End.Line > r.End.Line || (e.End.Line == r.End.Line && e.End.Col > r.End.Col) {
			r.End = e.End
		}
	}
	return r
}

func lastLine(n *yaml.Node, depth int) int {
	line := n.Line
	if depth > 64 || n.Kind == yaml.AliasNode {
		return line
	}
	if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
		return n.Line + strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
	}
	for _, c := range n.Content {
		if l := lastLine(c, depth+1); l > line {
			line = l
		}
	}
	return line
}

// notCompose recognises YAML that is not a compose file although the file
// name or keys suggest it: discourse's launcher container definitions
// (templates:, expose: and volumes: lists at the top level).
func notCompose(f *parsers.File, root *yaml.Node) *NotCompose {
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	if k, _ := get(root, "services"); k != nil {
		return nil
	}
	for _, key := range []string{"templates", "expose", "run", "params"} {
		k, v := get(root, key)
		if k == nil {
			continue
		}
		if key == "templates" || v.Kind == yaml.SequenceNode {
			return &NotCompose{Range: nodeRange(f, k),
				Reason: "this is a discourse launcher container definition (top-level " + key + ":), not a docker-compose file"}
		}
	}
	return nil
}

// composeTopLevel are the top-level keys of the Compose Specification.
var composeTopLevel = map[string]bool{"version": true, "name": true, "services": true, "networks": true, "volumes": true,
	"configs": true, "secrets": true, "include": true, "models": true}

// isVersion1 recognises a version-1 compose file: services at the top level,
// each a mapping with an image or a build.
func isVersion1(root *yaml.Node) bool {
	if root == nil || root.Kind != yaml.MappingNode || len(root.Content) == 0 {
		return false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, deref(root.Content[i+1])
		if composeTopLevel[k] || strings.HasPrefix(k, "x-") || k == "<<" {
			return false
		}
		if v == nil || v.Kind != yaml.MappingNode {
			return false
		}
		if ki, _ := get(v, "image"); ki == nil {
			if kb, _ := get(v, "build"); kb == nil {
				return false
			}
		}
	}
	return true
}

// wrapVersion1 rewrites a version-1 file as compose-go reads it: its
// services under services:.
func (l *loader) wrapVersion1(ly *layer) []byte {
	wrapped := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "services"}, ly.root,
	}}
	out, err := yaml.Marshal(wrapped)
	if err != nil {
		return ly.file.Bytes()
	}
	return out
}

// checkIncludes refuses include: entries whose env_file or
// project_directory compose-go would read itself outside the root (it
// reads those without asking the resource loader), and records the files
// named by include:.
func (l *loader) checkIncludes(ly *layer) error {
	_, inc := get(ly.root, "include")
	if inc == nil || inc.Kind != yaml.SequenceNode {
		return nil
	}
	base := filepath.Dir(ly.real)
	if ly.main {
		base = l.dir
	}
	for _, e := range inc.Content {
		e = deref(e)
		var paths, envFiles []*yaml.Node
		var pdir *yaml.Node
		switch e.Kind {
		case yaml.ScalarNode:
			paths = append(paths, e)
		case yaml.MappingNode:
			_, pv := get(e, "path")
			paths = scalars(pv)
			_, ev := get(e, "env_file")
			envFiles = scalars(ev)
			_, pdir = get(e, "project_directory")
		}
		for i, pn := range paths {
			p, known := l.interpolate(pn.Value)
			if !known || isRemote(p) {
				continue
			}
			abs := p
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(base, abs)
			}
			if i == 0 {
				l.includes[parsers.RealPath(filepath.Clean(abs))] = true
			}
		}
		refuse := func(n *yaml.Node, why string) error {
			err := &refusedError{path: n.Value, why: why, at: nodeRange(ly.file, n)}
			l.problem(parsers.ProblemUnfollowed, err.at, err.Error())
			return err
		}
		if pdir != nil && pdir.Kind == yaml.ScalarNode {
			if strings.Contains(pdir.Value, "$") {
				return refuse(pdir, "an include's project_directory built from variables is not followed")
			}
			dir := pdir.Value
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(base, dir)
			}
			if !l.inside(dir) {
				return refuse(pdir, "it is outside the linted root, and hoplint reads nothing there")
			}
			if err := l.checkEnvBeside(dir); err != nil {
				return refuse(pdir, err.Error())
			}
		}
		for _, en := range envFiles {
			if en.Value == "/dev/null" {
				continue
			}
			if strings.Contains(en.Value, "$") {
				return refuse(en, "an include's env_file built from variables is not followed")
			}
			abs := en.Value
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(base, abs)
			}
			if !l.inside(abs) {
				return refuse(en, "it is outside the linted root, and hoplint reads nothing there")
			}
			if _, err := os.Lstat(abs); err == nil {
				if err := l.checkEnvFile(abs); err != nil {
					return refuse(en, err.Error())
				}
			}
		}
	}
	return nil
}

// inside reports whether abs, and what it resolves to, lie in the root.
func (l *loader) inside(abs string) bool {
	abs = filepath.Clean(abs)
	if !parsers.Within(l.root, abs) && !parsers.Within(l.realRoot, abs) {
		return false
	}
	real := parsers.RealPath(abs)
	return parsers.Within(l.realRoot, real) || parsers.Within(l.root, real)
}

// scalars returns a scalar or the scalars of a sequence.
func scalars(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []*yaml.Node{n}
	}
	var out []*yaml.Node
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if c = deref(c); c != nil && c.Kind == yaml.ScalarNode {
				out = append(out, c)
			}
		}
	}
	return out
}

// refRange finds the line of f that names p (an include or extends file).
func (l *loader) refRange(f *parsers.File, p string) parsers.Range {
	for i := 1; i <= f.NumLines(); i++ {
		if line := f.Line(i); strings.Contains(line, p) {
			c := strings.Index(line, p)
			return f.At(i, c+1, i, c+len(p)+1)
		}
	}
	return f.LineRange(1)
}

var yamlLineRe = regexp.MustCompile(`(?:yaml: )?line (\d+):?`)

// yamlErrRange points at the line a YAML error names.
func yamlErrRange(f *parsers.File, err error) parsers.Range {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil && n >= 1 {
			return f.LineRange(n)
		}
	}
	return f.LineRange(1)
}

func cleanYAMLErr(err error) string {
	return strings.TrimPrefix(yamlLineRe.ReplaceAllString(err.Error(), ""), " ")
}

func (l *loader) comments() {
	l.p.Comments = map[string][]parsers.Comment{}
	done := map[*parsers.File]bool{}
	for _, ly := range l.layers {
		if done[ly.file] {
			continue
		}
		done[ly.file] = true
		if !bytes.Contains(ly.file.Bytes(), []byte(parsers.DirectiveMarker)) {
			continue
		}
		var cs parsers.YAMLComments
		for _, o := range l.byAbs[ly.real] {
			cs.Collect(o.root)
		}
		if c := cs.Locate(ly.file); len(c) > 0 {
			l.p.Comments[ly.file.Path] = c
		}
	}
}
