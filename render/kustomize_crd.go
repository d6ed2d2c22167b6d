package render

import (
	"bytes"
	"path/filepath"

	"github.com/hoplint/hoplint/parsers"
)

// No rule reads a CustomResourceDefinition, and a monitoring stack's CRDs
// are most of what kustomize would build: 4.4 MB of them, in a base two
// overlays include, took kustomize and hoplint tens of seconds and 600 MB.
// They are left out of the resource files kustomize reads when that
// cannot change the other objects: when no kustomization of the run, nor
// a file one consumes (a patch, a transformer's configuration), names the
// kind, and none has replacements or vars (which select their source by
// any field). Without its target, a patch or replacement would fail the
// build; a patch that selects by target simply matches fewer objects.

// crdsSkippable reports whether the CRDs of this run can be left out.
func (kz *kustomizer) crdsSkippable() bool {
	kind := []byte("CustomResourceDefinition")
	for _, k := range kz.all {
		if k.selects || bytes.Contains(k.file.Bytes(), kind) {
			return false
		}
		for _, ref := range k.consumed {
			if bytes.Contains(kz.peek(k.file.Root, ref.abs), kind) {
				return false
			}
		}
		for _, p := range k.patches {
			if p.file != "" && bytes.Contains(kz.peek(k.file.Root, p.file), kind) {
				return false
			}
		}
	}
	return true
}

// plainCRD reports whether doc is, plainly, a CustomResourceDefinition:
// its top-level kind and apiVersion say so, and every line that starts at
// column 0 is one of the top-level keys a CRD has, each once, so that
// neither line can be the continuation of a quoted value in some other
// object.
func plainCRD(doc []byte) bool {
	if !crdKind().Match(doc) || !crdVersion().Match(doc) {
		return false
	}
	seen := map[string]bool{}
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(seen) == 0 && len(bytes.TrimSpace(line)) > 0 && bytes.TrimSpace(line)[0] != '#' {
				return false // the document itself is indented
			}
			continue
		}
		key, _, ok := bytes.Cut(line, []byte(":"))
		switch k := string(key); {
		case !ok || seen[k]:
			return false
		case k == "apiVersion" || k == "kind" || k == "metadata" || k == "spec" || k == "status":
			seen[k] = true
		default:
			return false
		}
	}
	return true
}

// peek is the text of a file of the tree, without making it one of the
// files of the run as r.source does (nil when it cannot be read).
func (kz *kustomizer) peek(root, abs string) []byte {
	kz.r.mu.RLock()
	f := kz.r.byAbs[filepath.Clean(abs)]
	kz.r.mu.RUnlock()
	if f != nil {
		return f.Bytes()
	}
	data, err := parsers.ReadWithin(root, abs)
	if err != nil {
		return nil
	}
	return data
}

var (
	crdKind    = lazyRegexp(`(?m)^kind:[ \t]*["']?CustomResourceDefinition["']?[ \t]*(#.*)?$`)
	crdVersion = lazyRegexp(`(?m)^apiVersion:[ \t]*["']?apiextensions\.k8s\.io/`)
	docMarker  = lazyRegexp(`(?m)^---[ \t]*(\n|$)`)
	// otherMarker is a document marker followed by content, or a
	// document end: the text is not split on those, and left whole.
	otherMarker = lazyRegexp(`(?m)^(---[ \t]*[^ \t\n#]|\.\.\.)`)
)

// withoutCRDs is a resource file's text without its CustomResourceDefinition
// documents, when the run allows it (crdsSkippable). It works on the text,
// before any YAML is parsed, since parsing them is most of the cost: a
// document is one between lines that hold only "---", whose top-level
// kind and apiVersion (at the start of a line) say it is a CRD. Anything
// less plain (a document marker followed by content, a document end
// marker, flow or JSON style) is left as it is.
func (kz *kustomizer) withoutCRDs(data []byte) []byte {
	if !kz.skipCRDs || !crdKind().Match(data) || otherMarker().Match(data) {
		return data
	}
	cuts := docMarker().FindAllIndex(data, -1)
	var out bytes.Buffer
	start, dropped := 0, false
	keep := func(doc []byte, sep []byte) {
		if plainCRD(doc) {
			dropped = true
			return
		}
		out.Write(doc)
		out.Write(sep)
	}
	for _, c := range cuts {
		keep(data[start:c[0]], data[c[0]:c[1]])
		start = c[1]
	}
	keep(data[start:], nil)
	if !dropped {
		return data
	}
	return out.Bytes()
}
