package render

import (
	"bytes"
	"errors"
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
	// foreign is set for a file named like a kustomization that is some
	// other object (a Flux kustomize.toolkit.fluxcd.io Kustomization).
	foreign bool
}

// ref is one path written in a kustomization.
type ref struct {
	value string
	rng   parsers.Range
	abs   string
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
	entry parsers.Range
	// files maps a data key to the source file and the line of its entry.
	files    map[string]ref
	literals map[string]parsers.Range
}

func parseKustomization(f *parsers.File) (*kustomization, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Data, &doc); err != nil {
		return nil, err
	}
	k := &kustomization{file: f, dir: filepath.Dir(f.Abs)}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return k, nil
	}
	top := doc.Content[0]
	at := func(n *yaml.Node) parsers.Range {
		return f.At(n.Line, n.Column, n.Line, n.Column+len(n.Value))
	}
	mk := func(n *yaml.Node) ref {
		r := ref{value: n.Value, rng: at(n)}
		switch {
		case isRemote(n.Value):
		case filepath.IsAbs(n.Value):
			r.abs = filepath.Clean(n.Value) // kustomize refuses it; the message says why
		default:
			r.abs = filepath.Join(k.dir, filepath.FromSlash(n.Value))
		}
		return r
	}
	strs := func(n *yaml.Node) []*yaml.Node {
		if n == nil || n.Kind != yaml.SequenceNode {
			return nil
		}
		var out []*yaml.Node
		for _, it := range n.Content {
			if it.Kind == yaml.ScalarNode && it.Value != "" {
				out = append(out, it)
			}
		}
		return out
	}
	target := func(n *yaml.Node) (string, string) {
		t := get(n, "target")
		return scalar(get(t, "kind")), scalar(get(t, "name"))
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, v := top.Content[i].Value, top.Content[i+1]
		switch key {
		case "kind":
			k.component = v.Value == "Component"
		case "apiVersion":
			k.foreign = v.Value != "" && !strings.HasPrefix(v.Value, "kustomize.config.k8s.io/")
		case "resources", "bases":
			for _, n := range strs(v) {
				r := mk(n)
				if r.abs == "" {
					k.remote = append(k.remote, r)
				} else {
					k.resources = append(k.resources, r)
				}
			}
		case "components":
			for _, n := range strs(v) {
				r := mk(n)
				if r.abs == "" {
					k.remote = append(k.remote, r)
				} else {
					k.components = append(k.components, r)
				}
			}
		case "patchesStrategicMerge":
			for _, n := range strs(v) {
				if strings.Contains(n.Value, "\n") || strings.Contains(n.Value, ":") {
					k.patches = append(k.patches, patchRef{inline: n})
					continue
				}
				r := mk(n)
				k.consumed = append(k.consumed, r)
				k.patches = append(k.patches, patchRef{file: r.abs})
			}
		case "patches", "patchesJson6902":
			if v.Kind != yaml.SequenceNode {
				continue
			}
			for _, it := range v.Content {
				kind, name := target(it)
				if p := get(it, "path"); p != nil && p.Value != "" {
					r := mk(p)
					k.consumed = append(k.consumed, r)
					k.patches = append(k.patches, patchRef{file: r.abs, kind: kind, name: name})
				} else if p := get(it, "patch"); p != nil {
					k.patches = append(k.patches, patchRef{inline: p, kind: kind, name: name})
				}
			}
		case "configMapGenerator", "secretGenerator":
			if v.Kind != yaml.SequenceNode {
				continue
			}
			for _, it := range v.Content {
				g := generator{name: scalar(get(it, "name")), entry: at(it), files: map[string]ref{}, literals: map[string]parsers.Range{}}
				for _, n := range strs(get(it, "files")) {
					key, file, ok := strings.Cut(n.Value, "=")
					if !ok {
						key, file = path.Base(n.Value), n.Value
					}
					r := ref{value: file, rng: at(n), abs: filepath.Join(k.dir, filepath.FromSlash(file))}
					k.consumed = append(k.consumed, r)
					g.files[key] = r
				}
				for _, n := range strs(get(it, "literals")) {
					key, _, _ := strings.Cut(n.Value, "=")
					g.literals[key] = at(n)
				}
				envs := strs(get(it, "envs"))
				if e := get(it, "env"); e != nil && e.Kind == yaml.ScalarNode {
					envs = append(envs, e)
				}
				for _, n := range envs {
					k.consumed = append(k.consumed, mk(n))
				}
				k.gens = append(k.gens, g)
			}
		case "transformers", "generators", "validators", "configurations", "crds":
			for _, n := range strs(v) {
				if !strings.Contains(n.Value, "\n") && !isRemote(n.Value) {
					k.consumed = append(k.consumed, mk(n))
				}
			}
		case "replacements":
			if v.Kind == yaml.SequenceNode {
				for _, it := range v.Content {
					if p := get(it, "path"); p != nil && p.Value != "" {
						k.consumed = append(k.consumed, mk(p))
					}
				}
			}
		case "openapi":
			k.openapi = true
			if p := get(v, "path"); p != nil && p.Value != "" {
				k.consumed = append(k.consumed, mk(p))
			}
		case "helmCharts":
			if v.Kind == yaml.SequenceNode {
				for _, it := range v.Content {
					n := get(it, "name")
					if n == nil {
						n = it
					}
					k.helm = append(k.helm, ref{value: n.Value, rng: at(n)})
				}
			}
		}
	}
	return k, nil
}

// isRemote recognises what kustomize would fetch over the network (a git
// repository or an http(s) URL) rather than read from the tree: a scheme,
// a user@host, or a bare github.com path.
func isRemote(p string) bool {
	l := strings.ToLower(p)
	if strings.Contains(l, "://") || strings.HasPrefix(l, "git::") || strings.HasPrefix(l, "github.com") ||
		strings.HasPrefix(l, "gitlab.com") || strings.HasPrefix(l, "bitbucket.org") {
		return true
	}
	first, _, _ := strings.Cut(l, "/")
	return strings.Contains(first, "@")
}

// rewriteKustomization is what kustomize reads instead of a kustomization
// file: remote bases and Helm charts removed (hoplint never fetches or
// inflates; each is reported on its own line instead). Objects name the
// file they came from through tagOrigins, not kustomize's buildMetadata.
func rewriteKustomization(data []byte) []byte {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return data // kustomize reports the error itself
	}
	top := doc.Content[0]
	var kept []*yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "helmCharts", "helmGlobals":
			continue
		case "resources", "bases", "components":
			if v.Kind == yaml.SequenceNode {
				var items []*yaml.Node
				for _, it := range v.Content {
					if !isRemote(it.Value) {
						items = append(items, it)
					}
				}
				v.Content = items
			}
		}
		kept = append(kept, k, v)
	}
	top.Content = kept
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return data
	}
	return out
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
