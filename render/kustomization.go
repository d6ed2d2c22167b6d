package render

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// kustomization is one kustomization file as hoplint reads it (not as
// kustomize builds it): the paths it names, so that hoplint knows which
// files are consumed, which kustomizations are bases, and where the
// patches and generator inputs behind a rendered value are.
type kustomization struct {
	file      *parsers.File
	dir       string // absolute
	component bool
	// resources are the entries of resources: (and the old bases:) and
	// components are those of components:, each resolved.
	resources  []ref
	components []ref
	// consumed holds every other local file it names: patches, generator
	// inputs, transformer and configuration files.
	consumed []ref
	patches  []patchRef
	gens     []generator
	// remote holds remote bases and helmCharts entries, which hoplint does
	// not fetch or inflate.
	remote []ref
	helm   []ref
	// openapi is set when the kustomization names its own schema.
	openapi bool
	// selects is set when it has replacements or vars, which pick their
	// source objects by any field (see crdsSkippable).
	selects bool
	// foreign is set for a file named like a kustomization that is some
	// other object (a Flux kustomize.toolkit.fluxcd.io Kustomization).
	foreign bool
}

// ref is one path written in a kustomization.
type ref struct {
	value string
	rng   parsers.Range
	abs   string
	// note is the finding for a remote entry.
	note string
}

// patchRef is a patch: a file or inline text, and its target.
type patchRef struct {
	file   string // absolute path, or "" for inline
	inline *yaml.Node
	kind   string // target kind, "" when none
	name   string // target name
}

// generator is one configMapGenerator or secretGenerator entry.
type generator struct {
	name  string
	kind  string // ConfigMap or Secret
	entry parsers.Range
	// files maps a data key to the source file and the line of its entry.
	files    map[string]ref
	literals map[string]parsers.Range
	// inputs are the files it reads (files:, envs:, env:), in order.
	inputs []ref
}

func parseKustomization(f *parsers.File) (*kustomization, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Bytes(), &doc); err != nil {
		return nil, err
	}
	k := &kustomization{file: f, dir: filepath.Dir(f.Abs)}
	if len(doc.Content) == 0 || deref(doc.Content[0]).Kind != yaml.MappingNode {
		return k, nil
	}
	top := deref(doc.Content[0])
	at := func(n *yaml.Node) parsers.Range {
		return f.At(n.Line, n.Column, n.Line, n.Column+len(n.Value))
	}
	// mk resolves a path entry; remote says which values kustomize would
	// fetch instead of reading: they get no path (neutralize takes them
	// out of what kustomize reads, and they are reported below).
	mk := func(n *yaml.Node, remote func(string) bool) ref {
		v := text(n)
		r := ref{value: v, rng: at(n)}
		switch {
		case remote(v):
		case filepath.IsAbs(v):
			r.abs = filepath.Clean(v) // kustomize refuses it; the message says why
		default:
			r.abs = filepath.Join(k.dir, filepath.FromSlash(v))
		}
		return r
	}
	// strs are the non-empty scalar entries of a sequence, as written (an
	// alias stays the alias, so that a finding points where it is used).
	strs := func(n *yaml.Node) []*yaml.Node {
		n = deref(n)
		if n == nil || n.Kind != yaml.SequenceNode {
			return nil
		}
		var out []*yaml.Node
		for _, it := range n.Content {
			if d := deref(it); d != nil && d.Kind == yaml.ScalarNode && text(it) != "" {
				out = append(out, it)
			}
		}
		return out
	}
	seq := func(n *yaml.Node) []*yaml.Node {
		if n = deref(n); n == nil || n.Kind != yaml.SequenceNode {
			return nil
		}
		return n.Content
	}
	target := func(n *yaml.Node) (string, string) {
		t := field(n, "target")
		return text(field(t, "kind")), text(field(t, "name"))
	}
	for _, kv := range pairs(top) {
		key, v := kv[0].Value, kv[1]
		switch key {
		case "kind":
			k.component = text(v) == "Component"
		case "apiVersion":
			k.foreign = text(v) != "" && !strings.HasPrefix(text(v), "kustomize.config.k8s.io/")
		case "resources", "bases":
			for _, n := range strs(v) {
				if r := mk(n, remoteBase); r.abs != "" {
					k.resources = append(k.resources, r)
				}
			}
		case "components":
			for _, n := range strs(v) {
				if r := mk(n, remoteBase); r.abs != "" {
					k.components = append(k.components, r)
				}
			}
		case "patchesStrategicMerge":
			for _, n := range strs(v) {
				if t := text(n); strings.Contains(t, "\n") || strings.Contains(t, ":") && !isURL(t) {
					k.patches = append(k.patches, patchRef{inline: deref(n)})
					continue
				}
				if r := mk(n, isURL); r.abs != "" {
					k.consumed = append(k.consumed, r)
					k.patches = append(k.patches, patchRef{file: r.abs})
				}
			}
		case "patches", "patchesJson6902":
			for _, it := range seq(v) {
				kind, name := target(it)
				if p := field(it, "path"); text(p) != "" {
					if r := mk(p, isURL); r.abs != "" {
						k.consumed = append(k.consumed, r)
						k.patches = append(k.patches, patchRef{file: r.abs, kind: kind, name: name})
					}
				} else if p := deref(field(it, "patch")); p != nil && p.Kind == yaml.ScalarNode {
					k.patches = append(k.patches, patchRef{inline: p, kind: kind, name: name})
				}
			}
		case "configMapGenerator", "secretGenerator":
			for _, it := range seq(v) {
				g := generator{name: text(field(it, "name")), kind: "ConfigMap", entry: at(it), files: map[string]ref{}, literals: map[string]parsers.Range{}}
				if key == "secretGenerator" {
					g.kind = "Secret"
				}
				for _, n := range strs(field(it, "files")) {
					key, file, ok := strings.Cut(text(n), "=")
					if !ok {
						key, file = path.Base(key), key
					}
					if isURL(file) {
						continue
					}
					r := ref{value: file, rng: at(n), abs: filepath.Join(k.dir, filepath.FromSlash(file))}
					k.consumed = append(k.consumed, r)
					g.files[key] = r
					g.inputs = append(g.inputs, r)
				}
				for _, n := range strs(field(it, "literals")) {
					key, _, _ := strings.Cut(text(n), "=")
					g.literals[key] = at(n)
				}
				envs := strs(field(it, "envs"))
				if e := field(it, "env"); text(e) != "" {
					envs = append(envs, e)
				}
				for _, n := range envs {
					if r := mk(n, isURL); r.abs != "" {
						k.consumed = append(k.consumed, r)
						g.inputs = append(g.inputs, r)
					}
				}
				k.gens = append(k.gens, g)
			}
		case "transformers", "generators", "validators", "configurations", "crds":
			remote := remoteBase
			if key == "configurations" || key == "crds" {
				remote = isURL
			}
			for _, n := range strs(v) {
				if !strings.Contains(text(n), "\n") {
					if r := mk(n, remote); r.abs != "" {
						k.consumed = append(k.consumed, r)
					}
				}
			}
		case "vars":
			k.selects = true
		case "replacements":
			k.selects = true
			for _, it := range seq(v) {
				if p := field(it, "path"); text(p) != "" {
					if r := mk(p, isURL); r.abs != "" {
						k.consumed = append(k.consumed, r)
					}
				}
			}
		case "openapi":
			k.openapi = true
			if p := field(v, "path"); text(p) != "" {
				if r := mk(p, isURL); r.abs != "" {
					k.consumed = append(k.consumed, r)
				}
			}
		case "helmCharts", "helmChartInflationGenerator":
			for _, it := range seq(v) {
				n := field(it, "name")
				if n == nil {
					n = field(it, "chartName")
				}
				if n == nil {
					n = it
				}
				k.helm = append(k.helm, ref{value: text(n), rng: at(n)})
			}
		}
	}
	// What kustomize would fetch, exactly as neutralize takes it out of
	// what kustomize reads, each on the line that names it.
	_, drops := neutralize(f.Bytes())
	for _, d := range drops {
		rng := headLine(f)
		if n := locate(field(top, d.field), d.value); n != nil {
			rng = at(n)
		}
		k.remote = append(k.remote, ref{value: d.value, rng: rng, note: remoteNote(d)})
	}
	return k, nil
}

// remoteNote is the finding for an entry hoplint did not fetch.
func remoteNote(d dropped) string {
	const never = "is not fetched (hoplint never goes to the network)"
	switch d.field {
	case "resources", "bases", "components":
		return fmt.Sprintf("remote base %q %s, so the objects it adds are not linted; lint a local copy to check them", d.value, never)
	case "patches", "patchesStrategicMerge", "patchesJson6902":
		return fmt.Sprintf("remote patch %q %s, so the kustomization is built and linted without it; lint a local copy to check what it changes", d.value, never)
	case "configMapGenerator", "secretGenerator":
		return fmt.Sprintf("remote %s input %q %s, so the generated object is built without the values it holds; lint a local copy to check them", d.field, d.value, never)
	default:
		return fmt.Sprintf("remote %s entry %q %s, so the kustomization is built and linted without it; lint a local copy to check what it does", d.field, d.value, never)
	}
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// text is a scalar's value as kustomize reads it: through an alias, and
// decoded when tagged !!binary.
func text(n *yaml.Node) string {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	if n.Tag == "!!binary" {
		if b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(n.Value), "")); err == nil {
			return string(b)
		}
	}
	return n.Value
}

// pairs are the key/value pairs of a mapping as a YAML decoder sees them:
// through an alias, with the pairs of << merge keys after its own (a key
// of its own wins over a merged one, an earlier merge over a later).
func pairs(m *yaml.Node) [][2]*yaml.Node {
	var out [][2]*yaml.Node
	seen := map[string]bool{}
	var add func(m *yaml.Node, depth int)
	add = func(m *yaml.Node, depth int) {
		m = deref(m)
		if m == nil || m.Kind != yaml.MappingNode || depth > 10 {
			return
		}
		var merges []*yaml.Node
		for i := 0; i+1 < len(m.Content); i += 2 {
			k := m.Content[i]
			if k.Value == "<<" && k.Tag == "!!merge" {
				merges = append(merges, m.Content[i+1])
				continue
			}
			if !seen[k.Value] {
				seen[k.Value] = true
				out = append(out, [2]*yaml.Node{k, m.Content[i+1]})
			}
		}
		for _, mv := range merges {
			if d := deref(mv); d != nil && d.Kind == yaml.SequenceNode {
				for _, it := range d.Content {
					add(it, depth+1)
				}
			} else {
				add(mv, depth+1)
			}
		}
	}
	add(m, 0)
	return out
}

// field is the value of key in a mapping, through aliases and merge keys.
func field(m *yaml.Node, key string) *yaml.Node {
	for _, kv := range pairs(m) {
		if kv[0].Value == key {
			return kv[1]
		}
	}
	return nil
}

// locate finds, under n, the scalar whose value (as kustomize reads it)
// is value or ends in "="+value (a generator's key=file), and returns
// where it is written: the alias that names it when it is reached through
// one. It visits a bounded number of nodes (aliases can make a small file
// a very large tree).
func locate(n *yaml.Node, value string) *yaml.Node {
	budget := 100000
	var walk func(n, at *yaml.Node) *yaml.Node
	walk = func(n, at *yaml.Node) *yaml.Node {
		if n == nil || budget <= 0 {
			return nil
		}
		budget--
		switch n.Kind {
		case yaml.AliasNode:
			if at == nil {
				at = n
			}
			return walk(n.Alias, at)
		case yaml.ScalarNode:
			if t := text(n); t == value || strings.HasSuffix(t, "="+value) {
				if at != nil {
					return at
				}
				return n
			}
		case yaml.MappingNode:
			for i := 1; i < len(n.Content); i += 2 {
				if r := walk(n.Content[i], at); r != nil {
					return r
				}
			}
		case yaml.SequenceNode, yaml.DocumentNode:
			for _, c := range n.Content {
				if r := walk(c, at); r != nil {
					return r
				}
			}
		}
		return nil
	}
	return walk(n, nil)
}

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// originKey is the annotation hoplint puts on every object of a resource
// file, as kustomize reads it, naming that file; it is taken off the built
// objects before anything else sees them. kustomize's own origin tracking
// (buildMetadata: [originAnnotations]) would say the same, but switching
// it on also makes kustomize record every transformer on every object,
// re-encoding that record each time: patches² × objects, so 199 patches
// over 100 Deployments took 57 s instead of one.
const originKey = "internal.hoplint.dev/origin"

// resourceFiles are the files named in resources: that are not
// kustomizations themselves, nor read for another purpose by any
// kustomization: a patch must not carry the annotation onto the objects it
// patches, nor a generator put it into a ConfigMap's data.
func (kz *kustomizer) resourceFiles() map[string]string {
	other := map[string]bool{}
	for _, k := range kz.all {
		for _, ref := range k.consumed {
			other[parsers.RealPath(ref.abs)] = true
		}
		for _, p := range k.patches {
			if p.file != "" {
				other[parsers.RealPath(p.file)] = true
			}
		}
	}
	out := map[string]string{}
	for _, k := range kz.all {
		for _, ref := range k.resources {
			if real := parsers.RealPath(ref.abs); kz.dir[ref.abs] == nil && !other[real] {
				out[ref.abs], out[real] = ref.abs, ref.abs
			}
		}
	}
	return out
}

// tagOrigins is what kustomize reads instead of a resource file: each
// object (and each item of a List) annotated with originKey. A file that
// does not parse is served as it is, for kustomize to report.
func tagOrigins(abs string, data []byte) []byte {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return data
		}
		docs = append(docs, &n)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	for _, d := range docs {
		if len(d.Content) > 0 {
			tagObject(d.Content[0], abs)
			if items := get(d.Content[0], "items"); items != nil && items.Kind == yaml.SequenceNode {
				for _, it := range items.Content {
					tagObject(it, abs)
				}
			}
		}
		if err := enc.Encode(d); err != nil {
			return data
		}
	}
	if err := enc.Close(); err != nil {
		return data
	}
	return buf.Bytes()
}

// tagObject adds originKey to an object's metadata.annotations, creating
// the mapping when it is absent. An object without metadata is left alone
// (kustomize refuses it).
func tagObject(obj *yaml.Node, abs string) {
	meta := get(obj, "metadata")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return
	}
	ann := get(meta, "annotations")
	if ann == nil || ann.Kind != yaml.MappingNode {
		if ann != nil {
			return // annotations: null or a scalar: kustomize's to judge
		}
		ann = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		meta.Content = append(meta.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "annotations"}, ann)
	}
	ann.Content = append(ann.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: originKey}, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: abs})
}

// takeOrigin removes originKey from a built object and returns it: the
// resource file the object came from, "" when it carries none.
func takeOrigin(res interface {
	GetAnnotations(...string) map[string]string
	SetAnnotations(map[string]string) error
}) string {
	ann := res.GetAnnotations()
	o, ok := ann[originKey]
	if !ok {
		return ""
	}
	delete(ann, originKey)
	_ = res.SetAnnotations(ann)
	return o
}
