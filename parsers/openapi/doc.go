package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// doc is one file of a spec as yaml.v3 read it: the loader gets its content
// (as JSON, with the $refs hoplint does not follow blanked), hoplint keeps
// the node tree for the positions the loader does not keep.
type doc struct {
	file *parsers.File
	root *yaml.Node // the document's top mapping
}

// errAliasBudget refuses a document whose aliases expand far beyond its size.
var errAliasBudget = errors.New("YAML aliases expand this document to far more nodes than it contains (an alias bomb?); hoplint does not read it")

// parseDoc reads f with yaml.v3. A syntax error comes back with its line.
func parseDoc(f *parsers.File) (*doc, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(f.Bytes(), &n); err != nil {
		return nil, err
	}
	d := &doc{file: f}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		d.root = n.Content[0]
	}
	return d, nil
}

// get returns the value under key of mapping m (following aliases), and the key node.
func get(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if kn := deref(m.Content[i]); kn != nil && kn.Kind == yaml.ScalarNode && kn.Value == key {
			return kn, deref(m.Content[i+1])
		}
	}
	return nil, nil
}

// deref follows alias nodes (a bounded number of times: aliases cannot
// chain to themselves in yaml.v3's tree, but stay careful).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// refFate says what hoplint does with one $ref value found in a file.
type refFate int

const (
	refLocal   refFate = iota // "#/components/…": inside the same file
	refFile                   // another file inside the linted root: followed
	refRemote                 // http(s)://, //host/…: never fetched
	refOutside                // a file outside the linted root: never read
	refSpecial                // a FIFO, device or directory: never read
	refMissing                // no such file: nothing to read
)

// classifyRef decides the fate of ref written in the file at abs (under root).
// For refFile it also returns the absolute path of the referenced file.
func classifyRef(ref, abs, root string) (refFate, string) {
	if strings.HasPrefix(ref, "#") || ref == "" {
		return refLocal, ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(ref, "//") {
		// An unparsable ref is treated as remote: it is not read either way.
		return refRemote, ""
	}
	p := u.Path
	if p == "" {
		return refLocal, ""
	}
	target := filepath.Clean(filepath.Join(filepath.Dir(abs), filepath.FromSlash(p)))
	if filepath.IsAbs(filepath.FromSlash(p)) {
		target = filepath.Clean(filepath.FromSlash(p))
	}
	if !parsers.Within(root, target) {
		return refOutside, target
	}
	// A symlink inside the root may point out of it: the reader would
	// refuse it, so it is not followed rather than failing the load.
	if real, err := filepath.EvalSymlinks(target); err == nil {
		realRoot, rerr := filepath.EvalSymlinks(root)
		if rerr != nil {
			realRoot = root
		}
		if !parsers.Within(realRoot, real) {
			return refOutside, target
		}
	}
	// A FIFO would block the read and a device never end it; the opener
	// refuses both, but then the whole spec fails to load. Not following
	// the ref loses only what it names. Stat does not open the file.
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return refMissing, target
	case err == nil && !fi.Mode().IsRegular():
		return refSpecial, target
	}
	return refFile, target
}

// toJSON renders the document for the loader: the same content, with every
// $ref that hoplint does not follow replaced by an empty object, so that the
// loader never asks for it. Aliases are expanded within a budget of nodes
// proportional to the document's size.
func (d *doc) toJSON(keep func(ref string, at *yaml.Node) bool) ([]byte, error) {
	return d.toJSONSpliced(keep, nil)
}

// splicer, given a path of the root document and the mapping there, returns
// what to write in its place (see state.splice), or nil.
type splicer func(path []string, n *yaml.Node) *splice

// splice is content of another file written in place of a $ref: the node,
// the keeper of its file, and how to rewrite the $refs written in that file
// so that they mean the same from the root file's directory.
type splice struct {
	node   *yaml.Node
	keep   func(ref string, at *yaml.Node) bool
	rebase func(ref string) string
	budget int
}

// toJSONSpliced is toJSON with the root document's map-valued $refs
// replaced by the content they name (see state.splice).
func (d *doc) toJSONSpliced(keep func(ref string, at *yaml.Node) bool, sp splicer) ([]byte, error) {
	w := &jsonWriter{keep: keep, splice: sp, budget: 4*countNodes(d.root, 0) + 100000}
	if err := w.write(d.root, 0, nil); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}

func countNodes(n *yaml.Node, depth int) int {
	if n == nil || depth > 10000 {
		return 0
	}
	c := 1
	for _, k := range n.Content {
		c += countNodes(k, depth+1)
	}
	return c
}

type jsonWriter struct {
	buf    bytes.Buffer
	keep   func(string, *yaml.Node) bool
	rebase func(string) string // nil: refs are written as they are
	splice splicer
	budget int
}

// write renders n. path is the key path from the root, kept only for the
// first two levels (where splices happen).
func (w *jsonWriter) write(n *yaml.Node, depth int, path []string) error {
	w.budget--
	if w.budget < 0 {
		return errAliasBudget
	}
	if depth > 2000 {
		return errors.New("the document nests deeper than 2000 levels; hoplint does not read it")
	}
	n = deref(n)
	if n == nil {
		w.buf.WriteString("null")
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		if w.splice != nil && w.rebase == nil && depth <= 2 {
			if sp := w.splice(path, n); sp != nil {
				// The other file's content, its own refs rewritten, with
				// its own keeper and a budget of its own size.
				keep, rebase := w.keep, w.rebase
				w.keep, w.rebase = sp.keep, sp.rebase
				w.budget += sp.budget
				err := w.write(sp.node, depth, nil)
				w.keep, w.rebase = keep, rebase
				return err
			}
		}
		if _, rv := get(n, "$ref"); rv != nil && rv.Kind == yaml.ScalarNode && !w.keep(rv.Value, rv) {
			w.buf.WriteString("{}")
			return nil
		}
		w.buf.WriteByte('{')
		first := true
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := deref(n.Content[i])
			if k == nil || k.Kind != yaml.ScalarNode {
				continue
			}
			if k.Tag == "!!merge" {
				// Merge keys are not JSON; specs rarely use them. Their
				// entries are left out rather than guessed.
				continue
			}
			if seen[k.Value] {
				continue
			}
			seen[k.Value] = true
			if !first {
				w.buf.WriteByte(',')
			}
			first = false
			writeString(&w.buf, k.Value)
			w.buf.WriteByte(':')
			v := n.Content[i+1]
			if k.Value == "$ref" && w.rebase != nil {
				if rv := deref(v); rv != nil && rv.Kind == yaml.ScalarNode {
					writeString(&w.buf, w.rebase(rv.Value))
					continue
				}
			}
			var sub []string
			if depth < 2 && w.splice != nil {
				sub = append(append([]string(nil), path...), k.Value)
			}
			if err := w.write(v, depth+1, sub); err != nil {
				return err
			}
		}
		w.buf.WriteByte('}')
	case yaml.SequenceNode:
		w.buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			if err := w.write(c, depth+1, nil); err != nil {
				return err
			}
		}
		w.buf.WriteByte(']')
	case yaml.ScalarNode:
		writeScalar(&w.buf, n)
	default:
		w.buf.WriteString("null")
	}
	return nil
}

// writeScalar renders a YAML scalar as JSON with the type YAML gives it:
// numbers, booleans and null keep their kind, everything else is a string.
func writeScalar(buf *bytes.Buffer, n *yaml.Node) {
	switch n.ShortTag() {
	case "!!int":
		if v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			buf.WriteString(strconv.FormatInt(v, 10))
			return
		}
		if v, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			buf.WriteString(strconv.FormatUint(v, 10))
			return
		}
	case "!!float":
		if v, err := strconv.ParseFloat(n.Value, 64); err == nil && !isInfOrNaN(n.Value) {
			b, _ := json.Marshal(v)
			buf.Write(b)
			return
		}
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err == nil {
			buf.WriteString(strconv.FormatBool(v))
			return
		}
	case "!!null":
		buf.WriteString("null")
		return
	}
	writeString(buf, n.Value)
}

func isInfOrNaN(s string) bool {
	s = strings.ToLower(strings.TrimLeft(s, "+-"))
	return s == ".inf" || s == ".nan"
}

func writeString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	buf.Write(b)
}

// pointer splits the fragment of a $ref ("#/components/schemas/A~1B") into
// its tokens.
func pointer(frag string) []string {
	frag = strings.TrimPrefix(frag, "/")
	if frag == "" {
		return nil
	}
	parts := strings.Split(frag, "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts
}
