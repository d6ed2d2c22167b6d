package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"

	pool "github.com/hoplint/hoplint/internal/workers"
	"github.com/hoplint/hoplint/parsers"
)

// kustomize renders every deployable kustomization among the files.
type kustomizer struct {
	r   *renderer
	all []*kustomization
	// tagged maps the resource files whose objects are served with their
	// origin annotated (see tagOrigins), by their path with symlinks
	// resolved and as written, to the path as written; built before any
	// build starts, read only after.
	tagged map[string]string
	dir    map[string]*kustomization // absolute directory → kustomization
	fs     map[string]*confinedFS    // root → filesystem, shared by builds
	// docs caches parsed source documents by absolute path.
	docs map[string][]*yaml.Node
	// skipCRDs is set when no kustomization of the run can need a
	// CustomResourceDefinition to build (see crdsSkippable).
	skipCRDs bool
	// missing holds the generator inputs that do not exist, which
	// kustomize reads as empty (see standIns).
	missing map[string]bool
	mu      sync.Mutex
}

func (r *renderer) kustomize(files []*parsers.File) {
	kz := &kustomizer{r: r, dir: map[string]*kustomization{}, fs: map[string]*confinedFS{}, docs: map[string][]*yaml.Node{}, missing: map[string]bool{}}
	for _, f := range files {
		k, err := parseKustomization(f)
		if err != nil {
			r.problem(parsers.ProblemParse, headLine(f), "kustomization is not valid YAML: "+strings.TrimPrefix(err.Error(), "yaml: "))
			continue
		}
		if k.foreign {
			// Not kustomize's: an ordinary manifest that happens to have
			// the name (Flux's Kustomization objects often do).
			f.Format = parsers.FormatKubernetes
			continue
		}
		if prev := kz.dir[k.dir]; prev != nil {
			r.problem(parsers.ProblemParse, f.LineRange(1), fmt.Sprintf("kustomize refuses a directory with two kustomization files (%s and %s); keep one", path.Base(prev.file.Path), path.Base(f.Path)))
			continue
		}
		kz.dir[k.dir] = k
		kz.all = append(kz.all, k)
	}
	// used marks the kustomizations another one builds on. A use from
	// inside a cycle (a base that names its own overlay, a kustomization
	// that names itself) does not count, so that kustomize still runs on
	// them and reports the cycle instead of hoplint saying nothing.
	used := map[*kustomization]bool{}
	for _, k := range kz.all {
		r.consume(k.file.Abs)
		for _, ref := range k.remote {
			r.problem(parsers.ProblemUnfollowed, ref.rng, ref.note)
		}
		for _, ref := range k.helm {
			r.problem(parsers.ProblemUnfollowed, ref.rng, fmt.Sprintf("helmCharts entry %q is not inflated (hoplint does not run Helm through kustomize), so its objects are not linted; put the chart in the tree to have hoplint render it", ref.value))
		}
		for _, ref := range append(append([]ref{}, k.resources...), k.components...) {
			if sub := kz.dir[ref.abs]; sub != nil {
				if !kz.reaches(sub, k) {
					used[sub] = true
				}
			} else {
				r.consume(ref.abs)
			}
		}
		for _, ref := range k.consumed {
			r.consume(ref.abs)
		}
	}
	kz.tagged = kz.resourceFiles()
	kz.skipCRDs = kz.crdsSkippable()
	kz.standIns()
	var deploy []*kustomization
	openapi := false
	for _, k := range kz.all {
		openapi = openapi || k.openapi
		if !used[k] && !k.component {
			deploy = append(deploy, k)
			kz.filesystem(k.file.Root)
		}
	}
	outs := make([]*parsers.File, len(deploy))
	probs := make([]*parsers.Problem, len(deploy))
	workers := runtime.GOMAXPROCS(0)
	if openapi {
		// A kustomization's openapi: field swaps kustomize's schema,
		// which is process-wide: build one at a time.
		workers = 1
	}
	kz.budget(deploy, probs)
	defer quiet()()
	pool.Limited(len(deploy), workers, func(i int) {
		if probs[i] == nil {
			outs[i], probs[i] = kz.build(deploy[i])
		}
	})
	kz.oneRoot(deploy, probs)
	for i := range deploy {
		if probs[i] != nil {
			r.problems = append(r.problems, *probs[i])
		}
		if outs[i] != nil {
			r.out = append(r.out, outs[i])
		}
	}
}

// standIns gives every generator input that does not exist in the tree
// (a gitignored .env, a file a script copies in before the build) an
// empty stand-in in the confined filesystem, so that kustomize builds the
// rest instead of failing whole, and says so once on the line that names
// it. A files: entry's key is taken out of the built object again (see
// dropStandIns): an empty value would be a value hoplint made up.
func (kz *kustomizer) standIns() {
	for _, k := range kz.all {
		for _, g := range k.gens {
			for _, in := range g.inputs {
				if in.abs == "" || kz.missing[in.abs] || !parsers.Within(k.file.Root, in.abs) {
					continue
				}
				if _, err := os.Lstat(in.abs); !errors.Is(err, os.ErrNotExist) {
					continue
				}
				kz.missing[in.abs] = true
				kz.filesystem(k.file.Root).addStandIn(in.abs)
				name := g.kind
				if g.name != "" {
					name += " " + g.name
				}
				kz.r.problem(parsers.ProblemUnfollowed, in.rng, fmt.Sprintf(
					"%s does not exist in the tree (ignored by git, or made by a script before the build?), so hoplint builds %s with it read as empty: the values it would add are unknown to hoplint and not linted",
					in.value, name))
			}
		}
	}
}

// dropStandIns takes out of a generated object the data keys whose file
// was a stand-in (see standIns).
func (kz *kustomizer) dropStandIns(res *resource.Resource, g *generator) {
	if len(kz.missing) == 0 {
		return
	}
	for _, get := range []struct {
		read  func() map[string]string
		write func(map[string]string)
	}{{res.GetDataMap, res.SetDataMap}, {res.GetBinaryDataMap, res.SetBinaryDataMap}} {
		m := get.read()
		n := len(m)
		for key, ref := range g.files {
			if kz.missing[ref.abs] {
				delete(m, key)
			}
		}
		if len(m) != n {
			get.write(m)
		}
	}
}

// buildFails begins the finding for a kustomization kustomize cannot build.
const buildFails = "kustomize build fails, so nothing of this kustomization is linted: "

// oneRoot reports a build failure whose cause lies in a base (the entry
// it points at is in another kustomization's file) once, at that entry,
// naming the kustomizations it stops as related locations, instead of
// once per overlay with the same long message.
func (kz *kustomizer) oneRoot(deploy []*kustomization, probs []*parsers.Problem) {
	first := map[parsers.Range]*parsers.Problem{}
	for i, k := range deploy {
		p := probs[i]
		if p == nil || p.Kind != parsers.ProblemParse || !strings.HasPrefix(p.Message, buildFails) || p.Range.File == k.file.Path {
			continue
		}
		key := p.Range
		key.Via = nil
		note := parsers.Related{Range: headLine(k.file), Message: fmt.Sprintf("kustomization %s includes it, so nothing of it is linted either", path.Dir(k.file.Path))}
		if f := first[key]; f != nil {
			f.Related = append(f.Related, note)
			probs[i] = nil
			continue
		}
		first[key] = p
		p.Message = fmt.Sprintf("kustomize build fails here, so nothing of %s, which includes it, is linted: %s", path.Dir(k.file.Path), strings.TrimPrefix(p.Message, buildFails))
	}
}

func (kz *kustomizer) filesystem(root string) *confinedFS {
	if c := kz.fs[root]; c != nil {
		return c
	}
	c := newConfinedFS(root, func(abs string, data []byte) []byte {
		switch {
		case isKustomizationName(filepath.Base(abs)):
			out, _ := neutralize(data)
			return out
		}
		// kustomize may name the file with symlinks resolved (a root
		// reached through a link); the tag names it as the kustomization
		// does, which is how hoplint knows the file.
		if logical, ok := kz.tagged[abs]; ok {
			return tagOrigins(logical, kz.withoutCRDs(data))
		}
		if logical, ok := kz.tagged[parsers.RealPath(abs)]; ok {
			return tagOrigins(logical, kz.withoutCRDs(data))
		}
		return data
	})
	kz.fs[root] = c
	return c
}

// reaches reports whether to is in from's chain.
func (kz *kustomizer) reaches(from, to *kustomization) bool {
	for _, c := range kz.chain(from) {
		if c == to {
			return true
		}
	}
	return false
}

// chain is k and every kustomization it reaches through resources and
// components, outermost first: the order in which their patches win.
func (kz *kustomizer) chain(k *kustomization) []*kustomization {
	var out []*kustomization
	seen := map[*kustomization]bool{}
	var visit func(*kustomization)
	visit = func(k *kustomization) {
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, k)
		for _, ref := range append(append([]ref{}, k.components...), k.resources...) {
			if sub := kz.dir[ref.abs]; sub != nil {
				visit(sub)
			}
		}
	}
	visit(k)
	return out
}

// Bounds on what one build may ask of kustomize, which applies each patch
// to a fresh copy of its targets and merges generator entries one by one:
// 400 patches took 13 s and 100,000 configMapGenerator literals did not
// end in a minute. Kustomizations written by hand hold tens of each.
const (
	maxBuildPatches = 200
	maxBuildEntries = 20000
	// maxPatchWork bounds, summed over the objects patched, the patches
	// on an object times their bytes (patchWork): 199 patches of 16 KB
	// on one Pod took 36 s; 20 patches of 2 KB on one Deployment are
	// 800,000.
	maxPatchWork = 50_000_000
)

// kustomize checks each object it adds against every object it holds
// (resWrangler.Append), so a build costs objects²: a base of 2,000
// ConfigMaps took 4 s, and 300 overlays of it did not end in ten minutes.
// A build is refused over maxBuildObjects objects, and once the builds of
// a run have spent maxRunObjectWork (objects² summed), the rest are.
// Kustomizations written by hand hold tens of objects; a vendored operator
// bundle a few hundred.
const (
	maxBuildObjects  = 3000
	maxRunObjectWork = 25_000_000
)

// runObjectWork is maxRunObjectWork, lowered by a test.
var runObjectWork = maxRunObjectWork

// budget refuses, in the order of deploy (sorted by path, so the same
// tree always gets the same findings), the builds over maxBuildObjects and
// those after the run's builds have spent maxRunObjectWork, filling their
// problems.
func (kz *kustomizer) budget(deploy []*kustomization, probs []*parsers.Problem) {
	spent := 0
	for i, k := range deploy {
		n := kz.objects(k)
		switch {
		case n > maxBuildObjects:
			probs[i] = &parsers.Problem{Kind: parsers.ProblemParse, Range: headLine(k.file), Message: fmt.Sprintf(
				"kustomization %s was not built: with its bases it holds about %d objects, over hoplint's limit of %d (kustomize checks each object it adds against all the others, so its time grows with the square of their number), so nothing of it is linted",
				path.Dir(k.file.Path), n, maxBuildObjects)}
		case spent+n*n > runObjectWork:
			probs[i] = &parsers.Problem{Kind: parsers.ProblemParse, Range: headLine(k.file), Message: fmt.Sprintf(
				"kustomization %s was not built: the kustomizations built before it in this run hold so many objects that hoplint's budget for kustomize is spent (kustomize's time grows with the square of a build's objects), so nothing of it is linted; lint its directory on its own to check it",
				path.Dir(k.file.Path))}
		default:
			spent += n * n
		}
	}
}

// objects estimates how many objects a build holds: the documents of the
// resource files over its chain (a List's items each), and one per
// generator entry.
func (kz *kustomizer) objects(k *kustomization) int {
	n := 0
	for _, c := range kz.chain(k) {
		n += len(c.gens)
		for _, ref := range c.resources {
			if kz.dir[ref.abs] != nil {
				continue // a base, counted as part of the chain
			}
			f := kz.r.source(ref.abs)
			if f == nil {
				continue
			}
			for _, d := range kz.parsed(ref.abs, f.Bytes()) {
				if items := get(d, "items"); items != nil && items.Kind == yaml.SequenceNode && strings.HasSuffix(scalar(get(d, "kind")), "List") {
					n += len(items.Content)
				} else {
					n++
				}
			}
		}
	}
	return n
}

// tooBig refuses a build over maxBuildPatches patches or maxBuildEntries
// generator entries, counted over its whole chain of bases, with a problem
// on the kustomization that has the most.
func (kz *kustomizer) tooBig(k *kustomization) *parsers.Problem {
	patches, entries := 0, 0
	worst, most := k, 0
	chain := kz.chain(k)
	for _, c := range chain {
		n := len(c.patches)
		for _, g := range c.gens {
			n += len(g.files) + len(g.literals)
			entries += len(g.files) + len(g.literals)
		}
		patches += len(c.patches)
		if n > most {
			worst, most = c, n
		}
	}
	if patches > maxBuildPatches || entries > maxBuildEntries {
		return &parsers.Problem{Kind: parsers.ProblemParse, Range: headLine(worst.file), Message: fmt.Sprintf(
			"kustomization %s was not built: with its bases it has %d patches and %d generator entries, over hoplint's limits of %d and %d (kustomize's time grows faster than their number), so nothing of it is linted",
			path.Dir(k.file.Path), patches, entries, maxBuildPatches, maxBuildEntries)}
	}
	if work := kz.patchWork(chain); work > maxPatchWork {
		return &parsers.Problem{Kind: parsers.ProblemParse, Range: headLine(worst.file), Message: fmt.Sprintf(
			"kustomization %s was not built: with its bases it applies many large patches to the same objects, and kustomize encodes an object again for each patch on it, so its time grows with their number times their size (%d, over hoplint's limit of %d), so nothing of it is linted",
			path.Dir(k.file.Path), work, maxPatchWork)}
	}
	return nil
}

// patchWork estimates what the patches of a chain cost kustomize: for
// each target (kind and name, or a kind alone for a selector), the patches
// on it times their bytes. A target's object is encoded again for each patch on it, and
// grows by what each adds; patches on different objects cost little.
func (kz *kustomizer) patchWork(chain []*kustomization) int {
	count, size := map[string]int{}, map[string]int{}
	add := func(key string, n int) {
		count[key]++
		size[key] += n
	}
	for _, c := range chain {
		for _, p := range c.patches {
			var data []byte
			var docs []*yaml.Node
			switch {
			case p.file != "":
				f := kz.r.source(p.file)
				if f == nil {
					continue
				}
				data, docs = f.Bytes(), kz.parsed(p.file, f.Bytes())
			case p.inline != nil:
				data, docs = []byte(p.inline.Value), parseDocs([]byte(p.inline.Value))
			}
			if p.kind != "" || p.name != "" {
				add(p.kind+"/"+p.name, len(data))
				continue
			}
			// A strategic-merge patch names its target itself.
			for _, d := range docs {
				add(scalar(get(d, "kind"))+"/"+scalar(get(get(d, "metadata"), "name")), len(data))
			}
		}
	}
	work := 0
	for key, n := range count {
		work += n * size[key]
	}
	return work
}

// build renders one deployable kustomization. It runs concurrently with
// the other builds: it touches shared state only through r.source and
// kz.parsed, which lock.
func (kz *kustomizer) build(k *kustomization) (*parsers.File, *parsers.Problem) {
	r := kz.r
	if p := kz.tooBig(k); p != nil {
		return nil, p
	}
	opts := krusty.MakeDefaultOptions()
	opts.PluginConfig = types.DisabledPluginConfig()
	opts.LoadRestrictions = types.LoadRestrictionsRootOnly
	opts.Reorder = krusty.ReorderOptionLegacy
	m, err := runKustomize(krusty.MakeKustomizer(opts), kz.filesystem(k.file.Root), k.dir)
	if err != nil {
		raw := err.Error()
		// kustomize names files with symlinks resolved; speak of them
		// under the root as the user gave it.
		if real, e := filepath.EvalSymlinks(k.file.Root); e == nil && real != k.file.Root {
			raw = strings.ReplaceAll(raw, real+string(filepath.Separator), k.file.Root+string(filepath.Separator))
		}
		if p := kz.outside(k); p != nil && strings.Contains(raw, parsers.ErrOutsideRoot.Error()) {
			// kustomize would build it; hoplint only refuses to read the
			// base: no parse error, and kustomize's long message (which
			// names the base twice, by absolute path) would not say so.
			return nil, p
		}
		if strings.Contains(raw, errNoNetwork.Error()) {
			// A URL named inside a file kustomize reads (a transformer's
			// own configuration): the refusing transport stopped it, and
			// kustomize gives up on the whole build.
			what, at := "a URL", kz.errorAt(k, raw)
			if m := fetchedURL().FindStringSubmatch(raw); m != nil {
				what = fmt.Sprintf("%q", m[1])
				if r, ok := kz.naming(k, m[1]); ok {
					at = r
				}
			}
			return nil, &parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: at, Message: fmt.Sprintf(
				"kustomize would fetch %s, named in a file this kustomization reads, and hoplint never goes to the network, so kustomization %s was not built and nothing of it is linted; lint it with a local copy of that file",
				what, path.Dir(k.file.Path))}
		}
		msg := buildFails + kz.relMessage(k, raw)
		return nil, &parsers.Problem{Kind: parsers.ProblemParse, Range: kz.errorAt(k, raw), Message: msg}
	}
	dirRel := path.Dir(k.file.Path)
	word := "kustomization"
	for _, ref := range k.resources {
		if kz.dir[ref.abs] != nil {
			word = "overlay"
		}
	}
	via := &parsers.Via{Range: headLine(k.file), Message: fmt.Sprintf("in %s %s (as kustomize builds it)", word, dirRel)}

	type piece struct {
		res    *resource.Resource
		origin string // absolute path of the resource file, "" when not known
		text   []byte
	}
	var pieces []piece
	total := 0
	chain := kz.chain(k)
	for _, res := range m.Resources() {
		o := takeOrigin(res)
		if o == "" && (res.GetKind() == "ConfigMap" || res.GetKind() == "Secret") {
			if g := kz.generator(chain, res.GetName()); g != nil {
				kz.dropStandIns(res, g)
			}
		}
		_ = res.SetOrigin(nil) // the user's own buildMetadata: originAnnotations
		text, err := res.AsYAML()
		if err != nil {
			continue
		}
		// Replacements copy one value into any number of fields, so a
		// small tree can build to gigabytes of YAML; a file that large is
		// not read either.
		if total += len(text) + len("---\n"); total > parsers.MaxFileSize {
			return nil, &parsers.Problem{Kind: parsers.ProblemParse, Range: headLine(k.file), Message: fmt.Sprintf(
				"kustomize builds %s to more than %d bytes (at %s %s), over hoplint's limit for a file, so nothing of this kustomization is linted",
				dirRel, parsers.MaxFileSize, res.GetKind(), res.GetName())}
		}
		pieces = append(pieces, piece{res, o, text})
	}
	var buf bytes.Buffer
	offs := make([]int, len(pieces))
	line := 0
	for i, p := range pieces {
		if i > 0 {
			buf.WriteString("---\n")
			line++
		}
		offs[i] = line
		buf.Write(p.text)
		line += bytes.Count(p.text, []byte("\n"))
	}
	out := parsers.NewFile(k.file.Path+"#build", k.file.Abs+"#build", k.file.Root, parsers.FormatKubernetes, buf.Bytes())
	lm := newLineMap(out, via, r.fileByPath)
	for i, p := range pieces {
		var doc yaml.Node
		if yaml.Unmarshal(p.text, &doc) != nil || len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		mp := &mapper{m: lm, off: offs[i], render: out, ops: map[string][]cand{}}
		kind, name := p.res.GetKind(), p.res.GetName()
		entry := srcPos{file: k.file.Path, line: 1, col: 1}
		if p.origin == "" {
			// Not tagged as from a resource file: a generator made it (or
			// a patch dropped its annotations, and only the patches can
			// be told apart from the kustomization).
			if g := kz.generator(chain, name); g != nil {
				entry = srcPos{file: g.entry.File, line: g.entry.Start.Line, col: g.entry.Start.Col}
				kz.mapGenerated(mp, root, chain, g.name)
				mp.walk(nil, root, cand{}, nil, entry, "")
				continue
			}
		}
		var base cand
		if f := r.source(p.origin); p.origin != "" && f != nil {
			base = pickDoc(&srcDoc{file: f}, kz.parsed(p.origin, f.Bytes()), kind, name)
			entry = srcPos{file: f.Path, line: 1, col: 1}
		}
		patches := kz.patchCands(chain, kind, name, mp.ops)
		mp.walk(nil, root, base, patches, entry, "")
	}
	out.Map = lm
	return out, nil
}

// runKustomize builds dir and turns a panic inside kustomize (bad input it
// did not expect) into an error, so that one kustomization cannot stop the run.
func runKustomize(k *krusty.Kustomizer, fs *confinedFS, dir string) (m interface {
	Resources() []*resource.Resource
}, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("kustomize stopped on this input: %v", p)
		}
	}()
	res, err := k.Run(fs, dir)
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (kz *kustomizer) parsed(abs string, data []byte) []*yaml.Node {
	kz.mu.Lock()
	defer kz.mu.Unlock()
	if d, ok := kz.docs[abs]; ok {
		return d
	}
	d := parseDocs(data)
	kz.docs[abs] = d
	return d
}

func parseDocs(data []byte) []*yaml.Node {
	var out []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) || err != nil {
			break
		}
		if len(n.Content) > 0 {
			out = append(out, n.Content[0])
		}
	}
	return out
}

// pickDoc finds the source document of a rendered object in its origin
// file: the same kind, whose name the rendered name contains (prefixes and
// suffixes only add to it); the longest such name wins.
func pickDoc(d *srcDoc, docs []*yaml.Node, kind, name string) cand {
	best, bestLen := cand{}, -1
	for _, n := range docs {
		if scalar(get(n, "kind")) != kind {
			continue
		}
		dn := scalar(get(get(n, "metadata"), "name"))
		if !strings.Contains(name, dn) {
			continue
		}
		if len(dn) > bestLen {
			best, bestLen = cand{doc: d, v: n}, len(dn)
		}
	}
	return best
}

// patchCands returns, outermost first, the strategic-merge patches of the
// chain that may apply to an object of this kind and name, and files the
// JSON 6902 operations that may apply under their paths in ops.
func (kz *kustomizer) patchCands(chain []*kustomization, kind, name string, ops map[string][]cand) []cand {
	var out []cand
	for _, k := range chain {
		for _, p := range k.patches {
			var d *srcDoc
			var docs []*yaml.Node
			if p.file == "" && p.inline == nil {
				continue // never built so; a guard against a nil patch
			}
			if p.file != "" {
				f := kz.r.source(p.file)
				if f == nil {
					continue
				}
				d, docs = &srcDoc{file: f}, kz.parsed(p.file, f.Bytes())
			} else {
				d, docs = inlineDoc(k.file, p.inline)
			}
			for _, n := range docs {
				if n.Kind == yaml.SequenceNode {
					if !matches(p.kind, p.name, kind, name) {
						continue
					}
					for _, op := range n.Content {
						o := scalar(get(op, "op"))
						ptr := scalar(get(op, "path"))
						if (o != "add" && o != "replace") || ptr == "" {
							continue
						}
						for i := 0; i+1 < len(op.Content); i += 2 {
							if op.Content[i].Value == "value" {
								ops[ptr] = append(ops[ptr], cand{doc: d, k: op.Content[i], v: op.Content[i+1]})
							}
						}
					}
					continue
				}
				pk, pn := p.kind, p.name
				if pk == "" {
					pk = scalar(get(n, "kind"))
				}
				if pn == "" {
					pn = scalar(get(get(n, "metadata"), "name"))
				}
				if matches(pk, pn, kind, name) {
					out = append(out, cand{doc: d, v: n})
				}
			}
		}
	}
	return out
}

func matches(wantKind, wantName, kind, name string) bool {
	return (wantKind == "" || wantKind == kind) && strings.Contains(name, wantName)
}

// inlineDoc reads a patch written inside the kustomization, shifted to
// where its text sits there.
func inlineDoc(f *parsers.File, n *yaml.Node) (*srcDoc, []*yaml.Node) {
	d := &srcDoc{file: f, lineOff: n.Line - 1, colOff: n.Column - 1}
	if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
		d.lineOff = n.Line
		d.colOff = 0
		for l := n.Line + 1; l <= f.NumLines(); l++ {
			if t := f.Line(l); strings.TrimSpace(t) != "" {
				d.colOff = indentOf(t)
				break
			}
		}
	}
	return d, parseDocs([]byte(n.Value))
}

// generator finds the generator entry that made an object of this
// rendered name (its name plus prefixes, suffixes and the content hash;
// kustomize records no generator name in the origin), outermost first,
// the longest name winning.
func (kz *kustomizer) generator(chain []*kustomization, rendered string) *generator {
	var best *generator
	for _, k := range chain {
		for i := range k.gens {
			g := &k.gens[i]
			if g.name != "" && strings.Contains(rendered, g.name) && (best == nil || len(g.name) > len(best.name)) {
				best = g
			}
		}
	}
	return best
}

// mapGenerated maps a generated ConfigMap's data entries: a file entry to
// the file itself, line for line (so an nginx.conf in it is linted at its
// own lines), a literal to its line in the kustomization.
func (kz *kustomizer) mapGenerated(mp *mapper, root *yaml.Node, chain []*kustomization, name string) {
	for _, field := range []string{"data", "binaryData"} {
		data := get(root, field)
		if data == nil || data.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(data.Content); i += 2 {
			key, val := data.Content[i], data.Content[i+1]
			for _, k := range chain {
				var hit bool
				for _, g := range k.gens {
					if g.name != name {
						continue
					}
					if ref, ok := g.files[key.Value]; ok {
						mp.m.set(key.Line+mp.off, lineSrc{file: ref.rng.File, line: ref.rng.Start.Line, keyDelta: ref.rng.Start.Col - key.Column})
						if f := kz.r.source(ref.abs); f != nil && (val.Style == yaml.LiteralStyle || val.Style == yaml.FoldedStyle) {
							n := strings.Count(strings.TrimRight(val.Value, "\n"), "\n") + 1
							for j := 1; j <= n; j++ {
								line := val.Line + mp.off + j
								mp.m.set(line, lineSrc{file: f.Path, line: j, keyDelta: -indentOf(mp.render.Line(line))})
							}
						}
						hit = true
					} else if lit, ok := g.literals[key.Value]; ok {
						mp.m.set(key.Line+mp.off, lineSrc{file: lit.File, line: lit.Start.Line, keyDelta: lit.Start.Col - key.Column})
						hit = true
					}
				}
				if hit {
					break
				}
			}
		}
	}
}

var quietState struct {
	sync.Mutex
	depth  int
	stderr *os.File
	log    io.Writer
	null   *os.File
}

// quiet silences kustomize and Helm while they render: kustomize prints
// deprecation warnings straight to os.Stderr and both log notes through the
// standard logger, which would mix with hoplint's own output. Rendering
// runs before the loaders start, so nothing of hoplint writes there
// meanwhile. Calls may overlap (tests render in parallel): the first
// silences, the last restores. It returns the undo.
func quiet() func() {
	q := &quietState
	q.Lock()
	if q.depth == 0 {
		q.stderr, q.log = os.Stderr, log.Writer()
		if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
			q.null = null
			os.Stderr = null
		}
		log.SetOutput(io.Discard)
	}
	q.depth++
	q.Unlock()
	return func() {
		q.Lock()
		defer q.Unlock()
		q.depth--
		if q.depth == 0 {
			os.Stderr = q.stderr
			log.SetOutput(q.log)
			if q.null != nil {
				_ = q.null.Close()
				q.null = nil
			}
		}
	}
}

// relMessage rewrites the absolute paths kustomize puts in its errors
// relative to the working directory, as every hoplint message is.
func (kz *kustomizer) relMessage(k *kustomization, msg string) string {
	rel := parsers.RelPath(kz.r.opt.WorkDir, k.file.Root)
	prefix := rel + "/"
	if rel == "." {
		prefix = ""
	}
	msg = strings.ReplaceAll(msg, k.file.Root+string(filepath.Separator), prefix)
	return strings.Join(strings.Fields(msg), " ")
}

// errorAt points a build error at the entry that names the file kustomize
// complains about, when one of the kustomizations involved names it, else
// at the kustomization built.
func (kz *kustomizer) errorAt(k *kustomization, msg string) parsers.Range {
	// Innermost kustomization first: a base that fails makes every
	// overlay's build fail with a message that also quotes the overlay's
	// own entry for the base, and the base's entry is the root cause.
	chain := kz.chain(k)
	refsOf := func(c *kustomization) []ref {
		return append(append(append([]ref{}, c.resources...), c.components...), c.consumed...)
	}
	// An entry whose path kustomize names, or that it quotes as written.
	for i := len(chain) - 1; i >= 0; i-- {
		for _, ref := range refsOf(chain[i]) {
			if strings.Contains(msg, "'"+ref.value+"'") || strings.Contains(msg, "\""+ref.value+"\"") || strings.Contains(msg, "("+ref.value+")") {
				return ref.rng
			}
			if ref.abs == "" {
				continue
			}
			if rel, err := filepath.Rel(k.file.Root, ref.abs); err == nil && (strings.Contains(msg, ref.abs+"'") || strings.Contains(msg, ref.abs+"/") || strings.Contains(msg, ref.abs+":") || strings.Contains(msg, "'"+rel+"'")) {
				return ref.rng
			}
		}
	}
	return headLine(k.file)
}

// naming finds where the chain of k names url: the line of a
// kustomization that holds it (an inline configuration), else the entry
// of the file that holds it.
func (kz *kustomizer) naming(k *kustomization, url string) (parsers.Range, bool) {
	for _, c := range kz.chain(k) {
		if i := bytes.Index(c.file.Bytes(), []byte(url)); i >= 0 {
			return c.file.LineRange(1 + bytes.Count(c.file.Bytes()[:i], []byte("\n"))), true
		}
	}
	for _, c := range kz.chain(k) {
		for _, ref := range append(append([]ref{}, c.resources...), c.consumed...) {
			if f := kz.r.source(ref.abs); f != nil && bytes.Contains(f.Bytes(), []byte(url)) {
				return ref.rng, true
			}
		}
	}
	return parsers.Range{}, false
}

// outside reports the first entry of k (or of a kustomization it builds
// on) that resolves outside the linted root, as an include hoplint did not
// follow; nil when there is none.
func (kz *kustomizer) outside(k *kustomization) *parsers.Problem {
	for _, c := range kz.chain(k) {
		for _, rf := range append(append(append([]ref{}, c.resources...), c.components...), c.consumed...) {
			if rf.abs == "" || parsers.Within(c.file.Root, rf.abs) || filepath.IsAbs(rf.value) {
				continue
			}
			// Only a base directory: kustomize itself refuses a file
			// outside the kustomization's root, which stays a parse error.
			// (Whether it is a directory is all that is read.)
			if st, err := os.Stat(rf.abs); err != nil || !st.IsDir() {
				continue
			}
			// The nearest directory holding both is the one to lint.
			both := c.dir
			for !parsers.Within(both, rf.abs) && filepath.Dir(both) != both {
				both = filepath.Dir(both)
			}
			return &parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: rf.rng,
				Message: fmt.Sprintf("%s lies outside the linted directory, so hoplint did not read it and did not build this kustomization; what it deploys is unknown to hoplint. Lint a directory that holds both (hoplint %s)",
					rf.value, lintPath(kz.r.opt.WorkDir, both))}
		}
	}
	return nil
}

// lintPath is dir as the user would type it from wd: relative, with ".."
// when dir is above wd.
func lintPath(wd, dir string) string {
	if rel, err := filepath.Rel(wd, dir); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(dir)
}
