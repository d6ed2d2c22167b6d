package terraform

import (
	"bytes"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Demand-driven evaluation. A module instance used to evaluate everything
// it declares: every variable, every local and every output, whether or
// not anything read them. hoplint reads only what the extraction of the
// resources it knows evaluates and the outputs a caller can refer to,
// and whatever those refer to (ensure evaluates references on demand);
// on the ECS-heavy benchmark trees (terraform-aws-modules/ecs, whose
// service module has a hundred variables and dozens of locals and
// outputs for IAM, autoscaling and security groups) the rest was about a
// third of the evaluation.
//
// So a module instance now:
//   - converts a variable to its type when something reads it;
//   - walks its locals in the order the eager evaluation did, without
//     evaluating them (nor the count and for_each of the resources they
//     name), only to call the modules they refer to in the same order as
//     before (module instances are memoised by inputs and the first one
//     evaluated names the findings inside, so their order shows in the
//     output);
//   - evaluates every module call as before, and extracts the resources
//     hoplint knows (what dynamic blocks refer to first: dynblock expands
//     them in the whole context); a resource's shape (its count or
//     for_each) is evaluated when something refers to it;
//   - evaluates only the outputs its callers can read (outputNeeds): a
//     root module's none; a called module's, those its callers'
//     expressions refer to as module.NAME.OUTPUT outside output blocks,
//     plus those the output blocks its own callers can read refer to;
//     every output when a caller uses the module some other way
//     (module.NAME whole, a splat, an index hoplint cannot read, a JSON
//     file). The set is per directory and root module, the same for every
//     caller, so the memo of instances by inputs (childOutputs) still
//     holds what any caller with those inputs reads.
//
// What is no longer evaluated is only what no finding or object depends
// on. What changes is the work charged to the root module's budget (a
// budget that ran out in a local or output nothing reads no longer runs
// out there, and then takes nothing else as unknown), the note that a
// count or for_each makes more instances than hoplint reads on a
// resource hoplint neither reads nor extracts (it checks nothing there
// to begin with), and, for
// configurations Terraform rejects, the value of locals in a reference
// cycle (each is computed from where it is first needed) and of a
// dynamic block's for_each naming an undeclared variable (unknown, where
// it was unknown only if some other evaluated expression named it too).

// dirUses is what a module directory's files refer to, found once per
// directory (its instances, of every root module, share it).
type dirUses struct {
	// localRefs are the references of each local, as ensure finds them.
	localRefs map[string][]hcl.Traversal
	// rest are the module outputs the expressions outside output blocks
	// refer to, by module call name; byOutput those of each output
	// block, by output name then call name. allWhole says every call is
	// taken as used whole (a JSON file, module[…]).
	rest     map[string]*needSet
	byOutput map[string]map[string]*needSet
	allWhole bool
	// dynRefs are, per resource, the references inside its dynamic
	// blocks: dynblock expands them in the module's whole context, which
	// holds only what was evaluated.
	dynRefs map[*resourceDecl][]hcl.Traversal
}

// needSet is a set of a module's outputs; all: every one.
type needSet struct {
	all   bool
	names map[string]bool
}

// add puts o in s and reports whether it was not there.
func (s *needSet) add(o string) bool {
	if s.all || s.names[o] {
		return false
	}
	if s.names == nil {
		s.names = map[string]bool{}
	}
	s.names[o] = true
	return true
}

// merge puts t's outputs in s and reports whether s grew.
func (s *needSet) merge(t *needSet) bool {
	if t == nil || s.all {
		return false
	}
	if t.all {
		s.all, s.names = true, nil
		return true
	}
	grew := false
	for o := range t.names {
		grew = s.add(o) || grew
	}
	return grew
}

// has reports whether output o is in s; a nil s holds every output.
func (s *needSet) has(o string) bool {
	return s == nil || s.all || s.names[o]
}

// usesOf returns md's dirUses, computing them on first use.
func (md *moduleDir) usesOf() *dirUses {
	md.usesOnce.Do(func() { md.uses = md.findUses() })
	return md.uses
}

func (md *moduleDir) findUses() *dirUses {
	u := &dirUses{
		localRefs: make(map[string][]hcl.Traversal, len(md.locals)),
		rest:      map[string]*needSet{},
		byOutput:  map[string]map[string]*needSet{},
		dynRefs:   map[*resourceDecl][]hcl.Traversal{},
	}
	for name, a := range md.locals {
		u.localRefs[name] = a.Expr.Variables()
	}
	for _, f := range md.config {
		if len(md.modules) == 0 {
			break // no module outputs to refer to
		}
		sb, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			// JSON (or no body): references hide in strings; every
			// call is taken as used whole.
			u.allWhole = u.allWhole || f.Body != nil
			continue
		}
		src := f.File.Bytes()
		if len(src) > 0 && !bytes.Contains(src, moduleWord) {
			continue // no reference to a module output here
		}
		u.scanBody(src, sb, true, u.rest)
		for _, blk := range sb.Blocks {
			if blk.Type != "output" || len(blk.Labels) != 1 {
				continue
			}
			into := u.byOutput[blk.Labels[0]]
			if into == nil {
				into = map[string]*needSet{}
				u.byOutput[blk.Labels[0]] = into
			}
			u.scanBody(src, blk.Body, false, into)
		}
	}
	for _, r := range md.resources {
		if sb, ok := r.body.(*hclsyntax.Body); ok {
			var refs []hcl.Traversal
			dynamicRefs(sb, false, &refs)
			if len(refs) > 0 {
				u.dynRefs[r] = refs
			}
		}
	}
	return u
}

// scanBody records in into the module outputs the expressions of body
// refer to, but for the output blocks of a file's body (top, scanned on
// their own). depends_on only orders Terraform's work; hoplint never
// evaluates it. An expression whose source (in src, the file's) does not
// hold the word module has no such reference, and its references are
// not listed (that was most of the scan's cost).
func (u *dirUses) scanBody(src []byte, b *hclsyntax.Body, top bool, into map[string]*needSet) {
	for name, a := range b.Attributes {
		if name == "depends_on" {
			continue
		}
		if r := a.Expr.Range(); r.Start.Byte <= r.End.Byte && r.End.Byte <= len(src) && !bytes.Contains(src[r.Start.Byte:r.End.Byte], moduleWord) {
			continue
		}
		for _, t := range a.Expr.Variables() {
			if t.RootName() == "module" {
				u.moduleRef(t, into)
			}
		}
	}
	for _, blk := range b.Blocks {
		if top && blk.Type == "output" && len(blk.Labels) == 1 {
			continue
		}
		u.scanBody(src, blk.Body, false, into)
	}
}

// moduleRef records one reference that starts with module.
func (u *dirUses) moduleRef(t hcl.Traversal, into map[string]*needSet) {
	if len(t) < 2 {
		u.allWhole = true
		return
	}
	call, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		u.allWhole = true
		return
	}
	s := into[call.Name]
	if s == nil {
		s = &needSet{}
		into[call.Name] = s
	}
	if len(t) >= 3 {
		switch s3 := t[2].(type) {
		case hcl.TraverseAttr:
			s.add(s3.Name)
			return
		case hcl.TraverseIndex:
			// module.NAME[KEY].OUTPUT for an instance of count or
			// for_each; module.NAME["OUTPUT"] for a single one.
			if name, ok := stringKey(s3.Key); ok {
				s.add(name)
			}
			if len(t) >= 4 {
				switch s4 := t[3].(type) {
				case hcl.TraverseAttr:
					s.add(s4.Name)
					return
				case hcl.TraverseIndex:
					if name, ok := stringKey(s4.Key); ok {
						s.add(name)
						return
					}
				}
			}
		}
	}
	s.all, s.names = true, nil
}

func stringKey(k cty.Value) (string, bool) {
	if k.Type() == cty.String && k.IsKnown() && !k.IsNull() && !k.IsMarked() {
		return k.AsString(), true
	}
	return "", false
}

// dynamicRefs appends the references of the attributes inside the
// dynamic blocks of b (in, when b is inside one).
func dynamicRefs(b *hclsyntax.Body, in bool, refs *[]hcl.Traversal) {
	if in {
		names := make([]string, 0, len(b.Attributes))
		for n := range b.Attributes {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			*refs = append(*refs, b.Attributes[n].Expr.Variables()...)
		}
	}
	for _, blk := range b.Blocks {
		dynamicRefs(blk.Body, in || blk.Type == "dynamic", refs)
	}
}

// outputNeeds finds, for the evaluation of root module dir root, which
// outputs of each module directory it reaches its callers can read: a
// root module's outputs are read by nothing; a called module's, by what
// its callers' expressions outside output blocks refer to, and by the
// output blocks of the caller that its own callers can read. A directory
// absent from the result (read through a module call only, not
// discovered) has every output read.
func (l *loader) outputNeeds(root string) map[string]*needSet {
	l.mu.Lock()
	var order []*dirEntry
	for d := range l.reachable([]string{root}) {
		if e := l.dirs[d]; e != nil {
			order = append(order, e)
		}
	}
	l.mu.Unlock()
	mds := make(map[string]*moduleDir, len(order))
	for _, e := range order {
		if md := l.module(e); md != nil {
			mds[e.abs] = md
		}
	}
	needs := map[string]*needSet{root: {}}
	queue := []string{root}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		md := mds[d]
		if md == nil {
			continue
		}
		u, own := md.usesOf(), needs[d]
		for _, c := range md.modules {
			if registryKind(c.source) != "" || !localSource(c.source) {
				continue
			}
			t := filepath.Clean(filepath.Join(md.abs, filepath.FromSlash(c.source)))
			add := &needSet{all: u.allWhole}
			add.merge(u.rest[c.name])
			for o, calls := range u.byOutput {
				if own.has(o) {
					add.merge(calls[c.name])
				}
			}
			cur := needs[t]
			if cur == nil {
				needs[t] = add
				queue = append(queue, t)
			} else if cur.merge(add) {
				queue = append(queue, t)
			}
		}
	}
	return needs
}

// walkLocal follows local name's references the way evaluating it did
// (ensure, depth first, in the order of its references), calling the
// modules they reach, but evaluates no local and no resource: those
// something reads are evaluated then. seen holds the locals ("local.X")
// and resources (TYPE.NAME) already walked.
func (m *modInst) walkLocal(name string, seen map[string]bool) {
	key := "local." + name
	if seen[key] || m.state[key] != 0 || m.dir.locals[name] == nil {
		return
	}
	seen[key] = true
	m.walkRefs(m.dir.usesOf().localRefs[name], seen)
}

// walkResource follows the references of a resource's count and
// for_each, which evaluating its shape did.
func (m *modInst) walkResource(addr string, seen map[string]bool) {
	r := m.dir.byAddr[addr]
	if r == nil || seen[addr] || m.state[addr] != 0 {
		return
	}
	seen[addr] = true
	for _, e := range []hcl.Expression{r.count, r.forEach} {
		if e != nil {
			m.walkRefs(e.Variables(), seen)
		}
	}
}

func (m *modInst) walkRefs(refs []hcl.Traversal, seen map[string]bool) {
	for _, t := range refs {
		if len(t) < 2 {
			continue
		}
		attr, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		switch root := t.RootName(); {
		case root == "local":
			m.walkLocal(attr.Name, seen)
		case root == "module":
			m.eagerModule(attr.Name)
		case reservedRoots[root] || root == "var":
		case m.dir.types[root]:
			m.walkResource(root+"."+attr.Name, seen)
		}
	}
}

// ensureDynamic evaluates what the dynamic blocks of r refer to, before
// dynblock expands them in the module's whole context. Unknown roots (a
// dynamic block's iterator) are left alone.
func (m *modInst) ensureDynamic(r *resourceDecl) {
	refs := m.dir.usesOf().dynRefs[r]
	if len(refs) == 0 {
		return
	}
	known := refs[:0:0]
	for _, t := range refs {
		switch root := t.RootName(); {
		case root == "var", root == "local", root == "module", m.dir.types[root]:
			known = append(known, t)
		}
	}
	m.ensureRefs(known)
}

// ensureWhole readies root for an expression that reads it other than as
// root.NAME (local alone, var["x"]: Terraform rejects them; hoplint
// evaluates them in the whole context, which then must hold every local
// and variable, as it did when all were evaluated first).
func (m *modInst) ensureWhole(root string) {
	switch root {
	case "local":
		m.allLocals()
	case "var":
		m.allVariables()
	}
}

// allLocals evaluates every local (see ensureWhole).
func (m *modInst) allLocals() {
	names := make([]string, 0, len(m.dir.locals))
	for n := range m.dir.locals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		m.local(n)
	}
}

// output evaluates output name of a module instance, once.
func (m *modInst) output(name string) {
	if _, ok := m.outputs[name]; ok {
		return
	}
	if a := m.dir.outputs[name]; a != nil {
		m.outputs[name] = m.eval(a.Expr, nil)
	}
}

// outputsObject is the instance's outputs as its callers see them: those
// in need evaluated (all when need is nil), the others unknown.
func (m *modInst) outputsObject(need *needSet) cty.Value {
	names := make([]string, 0, len(m.dir.outputs))
	for n := range m.dir.outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	vals := make(map[string]cty.Value, len(names))
	for _, n := range names {
		if need.has(n) {
			m.output(n)
			vals[n] = m.outputs[n]
		} else {
			vals[n] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(vals)
}
