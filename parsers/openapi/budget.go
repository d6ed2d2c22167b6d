package openapi

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// The loader (kin-openapi) shares an object only when a $ref names it in a
// typed place of an OpenAPI document: "#/components/schemas/Pet" in a spec
// is resolved once and every ref to it walks only its own inline content.
// Anything else is copied afresh for every $ref that names it: a whole
// file ("pet.yaml"), a fragment of a file that is no spec
// ("defs.yaml#/Pet"), a non-standard place ("#/x-defs/Pet"). Copies nest:
// 21 files of 2 KB, each with 20 refs to the next, ask for 20^21 copies
// (the loader ran out of memory after 40 s), and so do refs inside one
// file. So before loading, hoplint counts the nodes the loader will build,
// following the refs as it does, each document read once and each count
// memoised, and refuses a spec over its budget with a finding that names
// the ref, instead of loading it.

// workBase is what any spec may spend beyond workFactor times its own
// nodes. A copied node costs the loader about 40 µs and 1.2 KB (it goes
// through JSON twice), so 50,000 of them take 2 s and 60 MB; the largest
// spec in the corpus (OpenAI's, 110,000 nodes) counts 2.4 times its size.
const (
	workBase   = 50000
	workFactor = 3
	// walkWeight: following a ref to a shared object walks that object's
	// own nodes again (no copy, no JSON), about walkWeight times cheaper.
	walkWeight = 16
)

// typedRe matches a ref fragment that names a shared object in a spec.
var typedRe = regexp.MustCompile(`^/(components/[^/]+|definitions|parameters|responses|securityDefinitions)/[^/]+$|^/paths/[^/]+$`)

// errWorkBudget stops the count once it is over the budget.
var errWorkBudget = errors.New("over budget")

type workCounter struct {
	st     *state
	root   *doc
	limit  int
	memo   map[*yaml.Node]int // nodes the loader builds for a node, refs followed
	inline map[*yaml.Node]int // the node's own nodes, refs not followed
	busy   map[*yaml.Node]bool
	once   map[*yaml.Node]bool // typed targets already counted
	extra  int
	// heavy is the outermost ref that costs the most, for the finding;
	// deep the first ref whose count went over, for its related location.
	heavy     *yaml.Node
	heavyDoc  *doc
	heavyCost int
	deep      *yaml.Node
	deepDoc   *doc
}

// checkWork counts the loader's work for the spec and reports whether it
// is within budget; over it, it adds the finding.
func (st *state) checkWork(root *doc) bool {
	own := 0
	for _, d := range st.docs {
		own += countNodes(d.root, 0)
	}
	w := &workCounter{st: st, root: root, limit: workFactor*own + workBase, memo: map[*yaml.Node]int{}, inline: map[*yaml.Node]int{}, busy: map[*yaml.Node]bool{}, once: map[*yaml.Node]bool{}}
	st.workLimit = w.limit
	total, err := w.cost(root, root.root, 0)
	if err == nil && total+w.extra <= w.limit {
		return true
	}
	p := parsers.Problem{Kind: parsers.ProblemParse, Range: st.spec.Range}
	what := "its $refs"
	if w.heavy != nil {
		p.Range = nodeRange(w.heavyDoc.file, w.heavy)
		what = "$ref " + w.heavy.Value
	}
	if w.deep != nil && w.deep != w.heavy {
		p.Related = append(p.Related, parsers.Related{Range: nodeRange(w.deepDoc.file, w.deep), Message: "the count went over at $ref " + w.deep.Value})
	}
	p.Message = fmt.Sprintf("the spec does not load: %s would make the loader build more than %d objects (each $ref to a whole file, to a fragment of a file that is no spec, or to a place outside components is copied anew for every use, and such copies nest), so hoplint does not load it and its routes are not checked. Move shared definitions under components and refer to them there", what, w.limit)
	st.spec.Problems = append(st.spec.Problems, p)
	return false
}

// add saturates at limit+1, so that the count never overflows.
func (w *workCounter) add(a, b int) (int, error) {
	if a+b > w.limit {
		return w.limit + 1, errWorkBudget
	}
	return a + b, nil
}

// cost is the number of nodes the loader builds for n (in d), following
// the refs it follows.
func (w *workCounter) cost(d *doc, n *yaml.Node, depth int) (int, error) {
	n = deref(n)
	if n == nil {
		return 1, nil
	}
	if c, ok := w.memo[n]; ok {
		return c, nil
	}
	if w.busy[n] || depth > 10000 {
		return 1, nil // a cycle: the loader stops there too
	}
	w.busy[n] = true
	defer delete(w.busy, n)
	c := 1
	var err error
	if _, rv := get(n, "$ref"); n.Kind == yaml.MappingNode && rv != nil && rv.Kind == yaml.ScalarNode {
		var rc int
		if rc, err = w.ref(d, rv, depth); err == nil {
			c, err = w.add(c, rc)
		}
		if rc >= w.heavyCost {
			w.heavy, w.heavyDoc, w.heavyCost = rv, d, rc
		}
		if err != nil && w.deep == nil {
			w.deep, w.deepDoc = rv, d
		}
	} else {
		for _, k := range n.Content {
			var kc int
			if kc, err = w.cost(d, k, depth+1); err != nil {
				break
			}
			if c, err = w.add(c, kc); err != nil {
				break
			}
		}
	}
	if err != nil {
		return w.limit + 1, err
	}
	w.memo[n] = c
	return c, nil
}

// ref is what one $ref costs: a walk over the own nodes of a shared target
// (and its full cost once per spec), or the full cost of anything else.
func (w *workCounter) ref(d *doc, rv *yaml.Node, depth int) (int, error) {
	ref := rv.Value
	fate, target := classifyRef(ref, d.file.Abs, d.file.Root)
	td := d
	switch fate {
	case refLocal:
	case refFile:
		// A file that cannot be read costs nothing: the loader fails on
		// it, and says so.
		if td = w.st.docOrNil(target); td == nil {
			return 1, nil
		}
	default:
		return 1, nil // blanked: never loaded
	}
	frag := ""
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		frag = ref[i+1:]
	}
	m := td.root
	for _, tok := range pointer(frag) {
		if m = child(deref(m), tok); m == nil {
			return 1, nil
		}
	}
	if isSpec(td) && typedRe.MatchString(frag) {
		// The root file's components are counted where they are written;
		// another spec's, once, when first named.
		if td != w.root && !w.once[deref(m)] {
			w.once[deref(m)] = true
			full, err := w.cost(td, m, depth+1)
			if err != nil {
				return full, err
			}
			if w.extra, err = w.add(w.extra, full); err != nil {
				return w.limit + 1, err
			}
		}
		return 1 + w.inlineSize(m, 0)/walkWeight, nil
	}
	return w.cost(td, m, depth+1)
}

// inlineSize counts n's own nodes, not following refs.
func (w *workCounter) inlineSize(n *yaml.Node, depth int) int {
	n = deref(n)
	if n == nil || depth > 10000 {
		return 1
	}
	if c, ok := w.inline[n]; ok {
		return c
	}
	c := 1
	for _, k := range n.Content {
		c += w.inlineSize(k, depth+1)
		if c > w.limit {
			c = w.limit + 1
			break
		}
	}
	w.inline[n] = c
	return c
}

// isSpec reports whether d is a spec (typed places exist in it), not a
// file of fragments.
func isSpec(d *doc) bool {
	if _, v := get(d.root, "openapi"); v != nil {
		return true
	}
	_, v := get(d.root, "swagger")
	return v != nil
}

// docOrNil is docAt without the error.
func (st *state) docOrNil(abs string) *doc {
	d, err := st.docAt(abs)
	if err != nil {
		return nil
	}
	return d
}
