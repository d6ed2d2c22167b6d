package config

import (
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// mapKeyNames name the keys of each map in the configuration, for
// messages: an error says "rules.RULE" rather than quoting the file's key
// (the message never quotes the file, see Error).
var mapKeyNames = map[string]string{
	"versions": "PRODUCT",
	"rules":    "RULE",
	"charts":   "DIR",
	"images":   "IMAGE",
	"params":   "NAME",
}

// checkKeys walks the document against the Config type and refuses the
// first key that no field takes, at its line, with the keys that level
// takes and the closest one when it is near. yaml.v3's KnownFields does not
// reach inside a type with its own UnmarshalYAML (a rule's settings), and
// its message names no alternative: this walk covers every level.
func checkKeys(doc *yaml.Node) error {
	if doc == nil || len(doc.Content) == 0 {
		return nil
	}
	w := keyWalker{seen: map[walkKey]bool{}}
	return w.walk(doc.Content[0], reflect.TypeOf(Config{}), "")
}

type walkKey struct {
	n *yaml.Node
	t reflect.Type
}

type keyWalker struct {
	// seen bounds the walk by the document's size: an anchor used many
	// times is checked once per type, however often aliases repeat it.
	seen map[walkKey]bool
}

func (w keyWalker) walk(n *yaml.Node, t reflect.Type, where string) error {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if w.seen[walkKey{n, t}] {
		return nil
	}
	w.seen[walkKey{n, t}] = true
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // a short form (rule: off) or a type error, which Decode reports
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" && k.Tag == "!!merge" {
				if err := w.walkMerge(v, t, where); err != nil {
					return err
				}
				continue
			}
			f, ok := fields[k.Value]
			if !ok {
				return unknownKey(k, where, sortedKeys(fields))
			}
			if err := w.walk(v, f.Type, join(where, k.Value)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode || t.Elem().Kind() == reflect.Interface {
			return nil // params: checked against each rule's by rules.Check
		}
		name := mapKeyNames[lastPart(where)]
		if name == "" {
			name = "KEY"
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := w.walk(n.Content[i+1], t.Elem(), join(where, name)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return nil
		}
		for _, e := range n.Content {
			if err := w.walk(e, t.Elem(), where+"[]"); err != nil {
				return err
			}
		}
	}
	return nil
}

// walkMerge checks the mappings a merge key (<<: *base) brings in.
func (w keyWalker) walkMerge(v *yaml.Node, t reflect.Type, where string) error {
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind == yaml.SequenceNode {
		for _, e := range v.Content {
			if err := w.walk(e, t, where); err != nil {
				return err
			}
		}
		return nil
	}
	return w.walk(v, t, where)
}

func unknownKey(k *yaml.Node, where string, keys []string) error {
	at := "at the top level"
	if where != "" {
		at = "under " + where
	}
	msg := "unknown key " + at + " (it takes " + strings.Join(keys, ", ") + ")"
	if s := Suggest(k.Value, keys); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return &Error{Line: k.Line, Msg: msg}
}

// yamlFields are the keys a struct type takes, by YAML name.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f
	}
	return out
}

func sortedKeys(m map[string]reflect.StructField) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

func lastPart(where string) string {
	where = strings.TrimSuffix(where, "[]")
	if i := strings.LastIndexByte(where, '.'); i >= 0 {
		return where[i+1:]
	}
	return where
}

// Keys lists every key path the loader takes, map keys written as
// mapKeyNames says ("rules.RULE.severity", "stacks[].hops"), sorted. The
// JSON Schema's test compares it with the schema.
func Keys() []string {
	var out []string
	var walk func(t reflect.Type, where string, depth int)
	walk = func(t reflect.Type, where string, depth int) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if depth > 8 {
			return
		}
		switch t.Kind() {
		case reflect.Struct:
			for name, f := range yamlFields(t) {
				p := join(where, name)
				out = append(out, p)
				walk(f.Type, p, depth+1)
			}
		case reflect.Map:
			if t.Elem().Kind() == reflect.Interface {
				return
			}
			name := mapKeyNames[lastPart(where)]
			if name == "" {
				name = "KEY"
			}
			walk(t.Elem(), join(where, name), depth+1)
		case reflect.Slice:
			walk(t.Elem(), where+"[]", depth+1)
		}
	}
	walk(reflect.TypeOf(Config{}), "", 0)
	sort.Strings(out)
	return out
}

// Suggest returns the candidate closest to s when it is close enough to be
// a typo of it (a letter or two off, or another case), else "".
func Suggest(s string, candidates []string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		limit := 2
		if len(c) <= 4 {
			limit = 1
		}
		if d <= limit && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance counts the edits between two keys: a letter inserted,
// deleted, changed, or two neighbours swapped ("mni" for "min"), the
// typist's usual slips (optimal string alignment distance). Only short
// keys are compared: one over 64 bytes is no typo of any key hoplint knows.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
