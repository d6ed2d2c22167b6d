package terraform

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/hoplint/hoplint/parsers"
)

// Limits that keep hostile input from exhausting memory or time.
const (
	maxInstances   = 256 // count / for_each instances read per resource
	maxModuleDepth = 8   // nested local module calls
)

// Options tune Load.
type Options struct {
	// Open reads a file that a local module call refers to, only when it
	// lies inside root; discovered files are returned as they are.
	Open func(root, abs string) (*parsers.File, error)
	// VarFiles are extra variable files (terraform -var-file), already
	// read, in the order given; they apply to every root module.
	VarFiles []*parsers.File
	// Parse parses a discovered file for LoadFiles (Parse when nil).
	Parse func(*parsers.File) *File
}

// Result is what Load found in a set of Terraform files.
type Result struct {
	Problems      []parsers.Problem
	Comments      map[string][]parsers.Comment
	LoadBalancers []*LoadBalancer
	Listeners     []*Listener
	ListenerRules []*ListenerRule
	TargetGroups  []*TargetGroup
	Attachments   []*Attachment
	ClassicELBs   []*ClassicELB
	Distributions []*Distribution
	// Kubernetes are the objects of kubernetes_* resources (kubernetes.go).
	Kubernetes []*KubeObject
	// ECS task definitions and services (ecs.go).
	ECSTaskDefinitions []*ECSTaskDefinition
	ECSServices        []*ECSService
	// CodeDeploy applications and deployment groups (codedeploy.go).
	CodeDeployApps   []*CodeDeployApp
	CodeDeployGroups []*CodeDeployGroup
}

// load evaluates the modules formed by the files of slots, in their order;
// those already parsed are the files LoadFiles must parse up front (the
// ones that may call modules).
func (l *loader) load(slots []*fileSlot) *Result {
	var order []string
	for _, s := range slots {
		if KindOf(s.raw.Path) == KindVars {
			continue // read only when named as a var file
		}
		d := filepath.Dir(s.raw.Abs)
		e := l.dirs[d]
		if e == nil {
			e = &dirEntry{abs: d, rel: path.Dir(s.raw.Path), root: s.raw.Root}
			l.dirs[d] = e
			order = append(order, d)
		}
		e.slots = append(e.slots, s)
		if s.f != nil && KindOf(s.raw.Path) == KindConfig {
			e.calls = append(e.calls, fileCalls(s.f, d)...)
		}
	}
	sort.Strings(order)
	var varFileProblems []parsers.Problem
	for _, vf := range l.opt.VarFiles {
		p := Parse(vf)
		varFileProblems = append(varFileProblems, p.Problems...)
		l.varFiles = append(l.varFiles, p)
	}
	// A directory called by another discovered directory is a child module.
	called := map[string]bool{}
	for _, d := range order {
		for _, c := range l.dirs[d].calls {
			called[c] = true
		}
	}
	var roots []string
	for _, d := range order {
		if !called[d] {
			roots = append(roots, d)
		}
	}
	l.evalRoots(roots)
	// Directories only reachable through a module call cycle (a module
	// that calls itself, two that call each other) have no root: the
	// first of each is evaluated as one, so that its findings and the
	// cycle show.
	reached := l.reachable(roots)
	for _, d := range order {
		if !reached[d] {
			for r := range l.reachable([]string{d}) {
				reached[r] = true
			}
			l.evalRoot(d)
		}
	}
	// Directories no evaluation read are built for their problems.
	var unbuilt []*dirEntry
	for _, d := range order {
		if e := l.dirs[d]; !e.built {
			unbuilt = append(unbuilt, e)
		}
	}
	parallel(len(unbuilt), func(i int) {
		l.module(unbuilt[i])
		unbuilt[i].release()
	})
	// Problems and comments in the order a load that parsed every file
	// first reports them: the files', the directories', the var files',
	// then evaluation's.
	var probs []parsers.Problem
	for _, s := range slots {
		probs = append(probs, s.problems...)
		if len(s.comments) > 0 {
			l.res.Comments[s.raw.Path] = append(l.res.Comments[s.raw.Path], s.comments...)
		}
	}
	// A var file is often a discovered file too: its comments come
	// second, as its problems do.
	for _, vf := range l.varFiles {
		if len(vf.Comments) > 0 {
			l.res.Comments[vf.File.Path] = append(l.res.Comments[vf.File.Path], vf.Comments...)
		}
	}
	for _, d := range order {
		probs = append(probs, l.dirs[d].problems...)
	}
	probs = append(probs, varFileProblems...)
	l.res.Problems = append(probs, l.res.Problems...)
	return l.res
}

// evalRoot evaluates directory d as a root module, with a budget of its own.
func (l *loader) evalRoot(d string) {
	// Other root modules, evaluated in parallel, add the directories
	// they read through Open to l.dirs.
	l.mu.Lock()
	e := l.dirs[d]
	l.mu.Unlock()
	md := l.module(e)
	if md == nil || len(md.config) == 0 {
		return // only tfvars here
	}
	l.budget = nil
	l.ensureBudget()
	m := l.newInst(md, "", nil, nil, []string{d})
	m.root = true
	l.needs = l.outputNeeds(d)
	m.setVariables()
	m.run()
}

type loader struct {
	opt      Options
	res      *Result
	varFiles []*File
	noted    map[string]bool
	// keyed gives, for a problem in res.Problems reported once per key
	// (noteOnce), its key: the root modules are evaluated in parallel,
	// each with a loader of its own, and merging their results drops a
	// problem whose key an earlier root module already reported, as one
	// loader evaluating them in order would have.
	keyed map[int]string
	// needs are the outputs each module directory's callers can read
	// while the root module being evaluated is (demand.go).
	needs map[string]*needSet
	// budget and funcs serve the root module being evaluated.
	budget *budget
	funcs  map[string]function.Function
	*modules
}

// modules are the module directories, shared by the loaders of the root
// modules evaluated in parallel.
type modules struct {
	mu   sync.Mutex
	dirs map[string]*dirEntry
	// readErrors holds, per module directory, why a file in it could not
	// be read (a FIFO, a file over the size limit).
	readErrors map[string]string
}

// readError says why a file of module directory abs could not be read,
// or "".
func (ms *modules) readError(abs string) string {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.readErrors[abs]
}

// evalRoots evaluates the root modules, in parallel: they share nothing
// but the module directories they call (read only once evaluation
// starts), and evaluating them one after another left one core idle for
// most of a run over many Terraform roots. The results are merged in the
// order of roots, so the output is the same as in a serial run.
func (l *loader) evalRoots(roots []string) {
	// Each directory's trees are dropped once the last root module that
	// reaches it is evaluated.
	reach := make([][]*dirEntry, len(roots))
	for i, r := range roots {
		for d := range l.reachable([]string{r}) {
			if e := l.dirs[d]; e != nil {
				e.users.Add(1)
				reach[i] = append(reach[i], e)
			}
		}
	}
	parts := make([]*loader, len(roots))
	// A panic in one root is raised again here once all are done, the
	// first in the order of roots (parallel): the caller recovers a panic
	// of the loader (topology reports it as an internal error), which it
	// could not do on a worker goroutine.
	parallel(len(roots), func(i int) {
		parts[i] = &loader{opt: l.opt, res: &Result{}, varFiles: l.varFiles, modules: l.modules}
		parts[i].evalRoot(roots[i])
		for _, e := range reach[i] {
			if e.users.Add(-1) == 0 {
				e.release()
			}
		}
		reach[i] = nil
	})
	for _, p := range parts {
		l.merge(p)
	}
}

// merge appends what p found to l's result, dropping the problems that l
// already reported once (noteOnce).
func (l *loader) merge(p *loader) {
	r, pr := l.res, p.res
	for i, prob := range pr.Problems {
		if k, ok := p.keyed[i]; ok {
			if l.noted[k] {
				continue
			}
			if l.noted == nil {
				l.noted = map[string]bool{}
			}
			l.noted[k] = true
		}
		r.Problems = append(r.Problems, prob)
	}
	r.LoadBalancers = append(r.LoadBalancers, pr.LoadBalancers...)
	r.Listeners = append(r.Listeners, pr.Listeners...)
	r.ListenerRules = append(r.ListenerRules, pr.ListenerRules...)
	r.TargetGroups = append(r.TargetGroups, pr.TargetGroups...)
	r.Attachments = append(r.Attachments, pr.Attachments...)
	r.ClassicELBs = append(r.ClassicELBs, pr.ClassicELBs...)
	r.Distributions = append(r.Distributions, pr.Distributions...)
	r.Kubernetes = append(r.Kubernetes, pr.Kubernetes...)
	r.ECSTaskDefinitions = append(r.ECSTaskDefinitions, pr.ECSTaskDefinitions...)
	r.ECSServices = append(r.ECSServices, pr.ECSServices...)
	r.CodeDeployApps = append(r.CodeDeployApps, pr.CodeDeployApps...)
	r.CodeDeployGroups = append(r.CodeDeployGroups, pr.CodeDeployGroups...)
}

// noteOnce reports p unless a problem with the same key was reported.
func (l *loader) noteOnce(key string, p parsers.Problem) {
	if l.noted == nil {
		l.noted = map[string]bool{}
	}
	if l.noted[key] {
		return
	}
	l.noted[key] = true
	if l.keyed == nil {
		l.keyed = map[int]string{}
	}
	l.keyed[len(l.res.Problems)] = key
	l.res.Problems = append(l.res.Problems, p)
}

// unfollowed notes, once per call site, a module hoplint could not read.
func (l *loader) unfollowed(r parsers.Range, msg string) {
	l.noteOnce(r.String(), parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: r, Message: msg})
}

// dir returns the module in directory abs, reading its files when they
// were not discovered (a module directory excluded by an ignore pattern is
// still read when something calls it).
func (l *loader) dir(abs, root, rel string) *moduleDir {
	l.mu.Lock()
	if e, ok := l.dirs[abs]; ok {
		l.mu.Unlock()
		return l.module(e)
	}
	defer l.mu.Unlock()
	e := &dirEntry{abs: abs, rel: rel, root: root, fixed: true}
	l.dirs[abs] = e // a failed read is not retried
	if l.opt.Open == nil || !parsers.Within(root, abs) {
		return nil
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil
	}
	var files []*File
	for _, de := range entries {
		if de.IsDir() || KindOf(de.Name()) != KindConfig {
			continue
		}
		f, err := l.opt.Open(root, filepath.Join(abs, de.Name()))
		if err != nil {
			l.noteReadError(abs, rel+"/"+de.Name(), err)
			continue
		}
		files = append(files, Parse(f))
	}
	if len(files) == 0 {
		return nil
	}
	md := newModuleDir(abs, rel, root, files)
	e.md = md
	for _, c := range md.modules {
		if localSource(c.source) {
			e.calls = append(e.calls, filepath.Clean(filepath.Join(abs, filepath.FromSlash(c.source))))
		}
	}
	return md
}

// modInst is one instance of a module: a directory evaluated with its
// inputs. Symbols (locals, module calls, resources) are evaluated on demand
// and memoised; a cycle leaves the symbol unknown.
type modInst struct {
	l      *loader
	dir    *moduleDir
	path   string // "" for a root module, else "module.a" or "module.a.module.b[\"k\"]"
	inputs map[string]cty.Value
	stack  []string
	root   bool
	// rootRel is the directory of the root module this instance descends
	// from (Object.Root).
	rootRel string

	// given are the values setVariables found for the variables; vars
	// are those converted, as read.
	given   map[string]cty.Value
	vars    map[string]cty.Value
	locals  map[string]cty.Value
	mods    map[string]cty.Value
	shapes  map[string]cty.Value // TYPE.NAME → the resource as referenced
	state   map[string]uint8     // symbol → 1 computing, 2 done
	outputs map[string]cty.Value
	ctx     *hcl.EvalContext
	// shared counts, per module call, the instances whose inputs matched
	// an instance already evaluated.
	shared map[string]int
}

func (l *loader) newInst(md *moduleDir, modPath string, inputs map[string]cty.Value, parent *modInst, stack []string) *modInst {
	rootRel := md.rel
	if parent != nil {
		rootRel = parent.rootRel
	}
	return &modInst{
		l: l, dir: md, path: modPath, inputs: inputs, stack: stack, rootRel: rootRel,
		vars: map[string]cty.Value{}, locals: map[string]cty.Value{}, mods: map[string]cty.Value{},
		shapes: map[string]cty.Value{}, state: map[string]uint8{}, outputs: map[string]cty.Value{},
		shared: map[string]int{},
	}
}

// setVariables gathers what each declared variable is given: module
// inputs, or, for a root module, tfvars files and var files (later ones
// winning). Each variable gets its value when first read (variable).
func (m *modInst) setVariables() {
	if !m.root {
		m.given = m.inputs
		return
	}
	given := map[string]cty.Value{}
	for _, f := range append(append([]*File(nil), m.dir.autoVars...), m.l.varFiles...) {
		if f.Body == nil {
			continue
		}
		attrs, _ := f.Body.JustAttributes()
		for name, a := range attrs {
			if m.dir.variables[name] == nil {
				continue
			}
			v, d := a.Expr.Value(literalCtx)
			if d.HasErrors() {
				v = cty.DynamicVal
			}
			r := rangeOf(f.File, a.Range)
			given[name] = v.Mark(originAt(r, fmt.Sprintf("%s sets %s = %s", baseName(f.File.Path), name, render(v))))
		}
	}
	m.given = given
}

// variable gives variable name its value, in Terraform's order: what
// setVariables found it given, else its default, else unknown; converted
// to the declared type with its optional attributes' defaults, and
// marked with where it came from. A variable not declared is unknown.
// Only the variables something reads are converted (demand.go): most of
// a large module's are not, and conversion was a tenth of evaluation.
func (m *modInst) variable(name string) {
	if _, ok := m.vars[name]; ok {
		return
	}
	m.ctx = nil
	decl := m.dir.variables[name]
	if decl == nil {
		m.vars[name] = cty.DynamicVal
		return
	}
	v, ok := m.given[name]
	if ok && !decl.nullable {
		if un, _ := v.Unmark(); un.IsKnown() && un.IsNull() {
			ok = false
		}
	}
	if !ok {
		switch {
		case decl.def != nil:
			d, diags := decl.def.Value(literalCtx)
			if diags.HasErrors() {
				d = cty.DynamicVal
			}
			r := m.rng(decl.def.Range())
			v = d.Mark(originAt(r, fmt.Sprintf("variable %s defaults to %s here", name, render(d))))
		default:
			v = cty.DynamicVal
		}
	}
	m.vars[name] = convertVar(v, decl)
}

// allVariables gives every declared variable its value, for an
// expression that reads var other than as var.NAME (see allLocals).
func (m *modInst) allVariables() {
	for name := range m.dir.variables {
		m.variable(name)
	}
}

// convertVar applies a variable's type constraint as Terraform does:
// optional attributes' defaults first, then conversion. A value that does
// not convert would be an error in Terraform; hoplint leaves it unknown.
func convertVar(v cty.Value, decl *variableDecl) cty.Value {
	if top, marks := v.Unmark(); top.Type().IsPrimitiveType() || !top.IsKnown() || top.IsNull() || !top.ContainsMarked() {
		// Marks on the value itself only (most inputs): they go back on
		// the converted value as they are, with no path to fit, which
		// is what the general case below does with them, at a fraction
		// of its cost (it rebuilds the value twice).
		return convertUnmarked(top, decl).WithMarks(marks)
	}
	un, pvm := v.UnmarkDeepWithPaths()
	return safeMarkWithPaths(convertUnmarked(un, decl), pvm)
}

// convertUnmarked applies the type constraint of decl to un, which has no
// marks.
func convertUnmarked(un cty.Value, decl *variableDecl) cty.Value {
	if decl.defaults != nil {
		un = applyDefaults(decl, un)
	}
	out, err := convert.Convert(un, decl.ty)
	if err != nil {
		out = cty.UnknownVal(decl.ty)
	}
	return out
}

func applyDefaults(decl *variableDecl, v cty.Value) (out cty.Value) {
	defer func() {
		if recover() != nil {
			out = v
		}
	}()
	return decl.defaults.Apply(v)
}

func safeMarkWithPaths(v cty.Value, pvm []cty.PathValueMarks) (out cty.Value) {
	defer func() {
		if recover() != nil {
			// Marks that no longer fit the converted shape go on the whole value.
			var all []cty.ValueMarks
			for _, pm := range pvm {
				all = append(all, pm.Marks)
			}
			out = v.WithMarks(all...)
		}
	}()
	return v.MarkWithPaths(fitPaths(v, pvm))
}

// fitPaths rewrites the paths of marks taken from a value before its
// conversion so that they address the converted value: converting an
// object to a map (a module input written as { service = {…} } for a
// variable of type map(object(…))) turns attribute steps into index steps,
// and the reverse for a map converted to an object. A mark whose path
// leads nowhere in the converted value (an element of a set, an attribute
// the conversion dropped) goes on the deepest part of the path that still
// exists, so that no reference is lost.
func fitPaths(v cty.Value, pvm []cty.PathValueMarks) []cty.PathValueMarks {
	out := make([]cty.PathValueMarks, 0, len(pvm))
	for _, pm := range pvm {
		out = append(out, cty.PathValueMarks{Path: fitPath(v, pm.Path), Marks: pm.Marks})
	}
	return out
}

func fitPath(v cty.Value, p cty.Path) cty.Path {
	var fitted cty.Path
	cur := v
	for _, step := range p {
		cur, _ = cur.Unmark()
		if cur.IsNull() || !cur.IsKnown() {
			return fitted
		}
		var name cty.Value
		switch s := step.(type) {
		case cty.GetAttrStep:
			name = cty.StringVal(s.Name)
		case cty.IndexStep:
			name = s.Key
		default:
			return fitted
		}
		t := cur.Type()
		var next cty.PathStep
		switch {
		case t.IsObjectType() && name.Type() == cty.String && name.IsKnown():
			if !t.HasAttribute(name.AsString()) {
				return fitted
			}
			next = cty.GetAttrStep{Name: name.AsString()}
		case t.IsMapType() && name.Type() == cty.String && name.IsKnown():
			if !cur.HasIndex(name).True() {
				return fitted
			}
			next = cty.IndexStep{Key: name}
		case (t.IsListType() || t.IsTupleType()) && name.Type() == cty.Number && name.IsKnown():
			if !cur.HasIndex(name).True() {
				return fitted
			}
			next = cty.IndexStep{Key: name}
		default:
			return fitted
		}
		nv, err := next.Apply(cur)
		if err != nil {
			return fitted
		}
		fitted = append(fitted, next)
		cur = nv
	}
	return fitted
}

func (m *modInst) rng(r hcl.Range) parsers.Range {
	if f := m.fileOf(r.Filename); f != nil {
		return rangeOf(f, r)
	}
	return parsers.Range{File: r.Filename, Start: parsers.Pos{Line: r.Start.Line, Col: r.Start.Column}, End: parsers.Pos{Line: r.End.Line, Col: r.End.Column}}
}

func (m *modInst) fileOf(name string) *parsers.File {
	for _, f := range m.dir.config {
		if f.File.Path == name {
			return f.File
		}
	}
	for _, f := range m.dir.autoVars {
		if f.File.Path == name {
			return f.File
		}
	}
	return nil
}

// run evaluates what the module's caller and hoplint read (demand.go):
// it calls the modules its locals (and the count and for_each of the
// resources they name) refer to, in the order evaluating every local
// did, then every module call (children first run with their inputs),
// and extracts the AWS objects; resource shapes are evaluated when
// something refers to them. The outputs are evaluated by the caller, those it needs
// (childOutputs); a root module's have no reader.
func (m *modInst) run() {
	names := make([]string, 0, len(m.dir.locals))
	for n := range m.dir.locals {
		names = append(names, n)
	}
	sort.Strings(names)
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		m.walkLocal(n, seen)
	}
	for _, c := range m.dir.modules {
		m.eagerModule(c.name)
	}
	for _, r := range m.dir.resources {
		if relevantType(r.typ) {
			m.extractSafely(r)
		}
	}
}

// extractSafely reads the objects of one resource. A panic there (a bug
// in hoplint on a shape it did not expect) costs that resource only: it
// becomes a finding on the resource, and every other resource of the tree
// is still read and linted.
func (m *modInst) extractSafely(r *resourceDecl) {
	defer func() {
		if p := recover(); p != nil {
			m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: m.rng(r.decl),
				Message: fmt.Sprintf("internal error while reading %s.%s (please report it): %v; this resource is not linted, the others are", r.typ, r.name, p)})
		}
	}()
	m.ensureDynamic(r)
	m.extract(r)
	m.extractKubernetes(r)
	m.extractECS(r)
	m.extractCodeDeploy(r)
}

// ensure evaluates every symbol expr refers to, so that the context holds
// it, and returns expr's references.
func (m *modInst) ensure(expr hcl.Expression) []hcl.Traversal {
	if expr == nil {
		return nil
	}
	refs := expr.Variables()
	m.ensureRefs(refs)
	return refs
}

// ensureRefs evaluates every symbol refs name.
func (m *modInst) ensureRefs(refs []hcl.Traversal) {
	for _, t := range refs {
		attr, ok := hcl.TraverseAttr{}, false
		if len(t) >= 2 {
			attr, ok = t[1].(hcl.TraverseAttr)
		}
		if !ok {
			m.ensureWhole(t.RootName())
			continue
		}
		// A reference to something this module does not declare (a file
		// missing from the linted tree, a typo Terraform would reject) is
		// unknown, so that it does not make the whole surrounding
		// expression fail.
		switch root := t.RootName(); {
		case root == "var":
			m.variable(attr.Name)
		case root == "local":
			if m.dir.locals[attr.Name] != nil {
				m.local(attr.Name)
			} else if _, ok := m.locals[attr.Name]; !ok {
				m.locals[attr.Name] = cty.DynamicVal
				m.ctx = nil
			}
		case root == "module":
			m.module(attr.Name)
			if _, ok := m.mods[attr.Name]; !ok && m.state["module."+attr.Name] == 0 {
				m.mods[attr.Name] = cty.DynamicVal
				m.ctx = nil
			}
		case reservedRoots[root]:
		case m.dir.types[root]:
			m.resource(root + "." + attr.Name)
		default:
			addr := root + "." + attr.Name
			if _, ok := m.shapes[addr]; !ok {
				m.shapes[addr] = cty.DynamicVal
				m.ctx = nil
			}
		}
	}
}

var reservedRoots = map[string]bool{
	"each": true, "count": true, "self": true, "path": true, "terraform": true, "data": true,
}

func (m *modInst) begin(key string) bool {
	if m.state[key] != 0 {
		return false
	}
	m.state[key] = 1
	return true
}

func (m *modInst) done(key string) {
	m.state[key] = 2
	m.ctx = nil
}

func (m *modInst) local(name string) {
	a := m.dir.locals[name]
	if a == nil || !m.begin("local."+name) {
		return
	}
	refs := m.dir.usesOf().localRefs[name]
	m.ensureRefs(refs)
	m.locals[name] = m.evalEnsured(a.Expr, refs, true, nil)
	m.done("local." + name)
}

// eval evaluates an expression in the module's context (plus extra
// variables such as each and count). An expression that fails to
// evaluate is unknown: Terraform would fail or need more information.
func (m *modInst) eval(expr hcl.Expression, extra map[string]cty.Value) cty.Value {
	return m.evalEnsured(expr, nil, false, extra)
}

// evalEnsured is eval; when ensured, the caller has just ensured expr
// (refs is what ensure returned), and ensuring it again would find every
// symbol it names already begun: only expr.Variables() would run again,
// which was a third of ensure's cost.
func (m *modInst) evalEnsured(expr hcl.Expression, refs []hcl.Traversal, ensured bool, extra map[string]cty.Value) (v cty.Value) {
	defer func() {
		// go-cty panics on some misuse of marked or odd values deep inside
		// functions; a value hoplint cannot compute is unknown, never fatal.
		if recover() != nil {
			v = cty.DynamicVal
		}
	}()
	m.l.ensureBudget()
	if !ensured {
		refs = m.ensure(expr)
	}
	ctx := m.scopeFor(expr, refs, extra)
	v, diags := expr.Value(ctx)
	if fe, ok := expr.(*hclsyntax.ForExpr); ok && !diags.HasErrors() && !v.IsKnown() {
		if pv, ok := m.partialFor(fe, ctx); ok {
			v = pv
		}
	}
	if oc, ok := expr.(*hclsyntax.ObjectConsExpr); ok && diags.HasErrors() {
		if pv, ok := partialObject(oc, ctx, 0); ok {
			v, diags = pv, nil
		}
	}
	if !m.checkBudget(expr, v) || diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

func (m *modInst) evalContext() *hcl.EvalContext {
	if m.ctx != nil {
		return m.ctx
	}
	vars := map[string]cty.Value{
		"var":       cty.ObjectVal(m.vars),
		"local":     cty.ObjectVal(m.locals),
		"module":    cty.ObjectVal(m.mods),
		"path":      m.fixedRoot("path"),
		"terraform": m.fixedRoot("terraform"),
		"data":      m.fixedRoot("data"),
	}
	byType := map[string]map[string]cty.Value{}
	for addr, v := range m.shapes {
		typ, name := splitAddr(addr)
		if byType[typ] == nil {
			byType[typ] = map[string]cty.Value{}
		}
		byType[typ][name] = v
	}
	for typ, names := range byType {
		if _, reserved := vars[typ]; !reserved {
			vars[typ] = cty.ObjectVal(names)
		}
	}
	m.ctx = &hcl.EvalContext{Variables: vars, Functions: m.l.funcs}
	return m.ctx
}

// wholeContext makes scopeFor give the whole context, for tests that
// compare the two.
var wholeContext = false

// scopeFor is the context to evaluate expr in: the module's symbols that
// refs (expr's references, all evaluated by ensure) name, plus extra. A
// reference finds in it the same value as in the whole context
// (evalContext), and one to a symbol the whole context lacks (a local in
// a cycle) fails in both. The whole context is rebuilt after every new
// symbol, so evaluating each of a module's n locals in it cost n² in all;
// this one costs what expr refers to. Expressions whose references do not
// all name one symbol (local alone, var["x"]) and expressions not in
// native syntax (JSON, where references are found by parsing strings)
// use the whole context, as do all while it is up to date (built for
// one of those and nothing evaluated since).
func (m *modInst) scopeFor(expr hcl.Expression, refs []hcl.Traversal, extra map[string]cty.Value) *hcl.EvalContext {
	if _, ok := expr.(hclsyntax.Expression); !ok || wholeContext || m.ctx != nil {
		return m.contextWith(extra)
	}
	var picked map[string]map[string]cty.Value // root → name → value
	vars := map[string]cty.Value{}
	for _, t := range refs {
		if len(t) < 2 {
			return m.contextWith(extra)
		}
		attr, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return m.contextWith(extra)
		}
		root := t.RootName()
		var v cty.Value
		switch root {
		case "var":
			v, ok = m.vars[attr.Name]
		case "local":
			v, ok = m.locals[attr.Name]
		case "module":
			v, ok = m.mods[attr.Name]
		case "path", "terraform", "data":
			vars[root] = m.fixedRoot(root)
			continue
		default:
			v, ok = m.shapes[root+"."+attr.Name]
		}
		if !ok {
			continue // absent from the whole context too
		}
		if picked == nil {
			picked = map[string]map[string]cty.Value{}
		}
		if picked[root] == nil {
			picked[root] = map[string]cty.Value{}
		}
		picked[root][attr.Name] = v
	}
	for root, names := range picked {
		vars[root] = cty.ObjectVal(names)
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: m.l.funcs}
	if len(extra) > 0 {
		ctx = ctx.NewChild()
		ctx.Variables = extra
	}
	return ctx
}

// fixedRoot is the value of path, terraform or data, the roots whose
// value does not depend on what the module evaluated.
func (m *modInst) fixedRoot(root string) cty.Value {
	switch root {
	case "path":
		return cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal(m.dir.rel),
			"root":   cty.UnknownVal(cty.String),
			"cwd":    cty.UnknownVal(cty.String),
		})
	case "terraform":
		return cty.ObjectVal(map[string]cty.Value{"workspace": cty.UnknownVal(cty.String)})
	}
	return cty.DynamicVal
}

func splitAddr(addr string) (string, string) {
	for i := 0; i < len(addr); i++ {
		if addr[i] == '.' {
			return addr[:i], addr[i+1:]
		}
	}
	return addr, ""
}

// instance is one of the copies count or for_each makes.
type instance struct {
	key     string // "" without count/for_each; "0"; "\"blue\""
	keyed   bool
	unknown bool // count/for_each not known: one representative instance
	vars    map[string]cty.Value
}

// instances expands count or for_each. When the value is unknown, one
// instance stands for all of them.
func (m *modInst) instances(count, forEach hcl.Expression) []instance {
	// Built only when needed: most resources have neither count nor
	// for_each, and the two objects were a tenth of what evaluating
	// resources allocated.
	unknownInst := func() []instance {
		return []instance{{keyed: true, unknown: true, vars: map[string]cty.Value{
			"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)}),
			"each":  cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal}),
		}}}
	}
	switch {
	case count != nil:
		v := m.eval(count, nil)
		v, _ = v.UnmarkDeep()
		n, err := convert.Convert(v, cty.Number)
		if err != nil || !n.IsKnown() || n.IsNull() {
			return unknownInst()
		}
		c, acc := n.AsBigFloat().Int64()
		if acc != 0 || c < 0 {
			return unknownInst()
		}
		if c > maxInstances {
			m.countNote(count, fmt.Sprintf("count = %d", c))
			c = maxInstances
		}
		out := make([]instance, 0, c)
		for i := int64(0); i < c; i++ {
			out = append(out, instance{key: strconv.FormatInt(i, 10), keyed: true, vars: map[string]cty.Value{
				"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(i)}),
			}})
		}
		return out
	case forEach != nil:
		v := m.eval(forEach, nil)
		v, marks := v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return unknownInst()
		}
		ty := v.Type()
		if !ty.IsMapType() && !ty.IsObjectType() && !ty.IsSetType() {
			return unknownInst()
		}
		if ty.IsSetType() && !v.IsWhollyKnown() {
			return unknownInst()
		}
		var out []instance
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			k, _ = k.Unmark()
			if ty.IsSetType() {
				k, _ = k.UnmarkDeep()
				ks, err := convert.Convert(k, cty.String)
				if err != nil || ks.IsNull() || !ks.IsKnown() {
					return unknownInst()
				}
				k = ks
			}
			if len(out) >= maxInstances {
				m.countNote(forEach, "for_each")
				break
			}
			out = append(out, instance{key: strconv.Quote(k.AsString()), keyed: true, vars: map[string]cty.Value{
				"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": ev.WithMarks(marks)}),
			}})
		}
		return out
	}
	return []instance{{}}
}

// resource computes what a reference to TYPE.NAME evaluates to: unknown
// values (every attribute of a resource is known only after apply, for
// hoplint's purposes) marked with the instance they stand for, in the
// shape count or for_each gives them.
func (m *modInst) resource(addr string) {
	r := m.dir.byAddr[addr]
	if r == nil || !m.begin(addr) {
		return
	}
	insts := m.instances(r.count, r.forEach)
	ref := Ref{Module: m.path, Type: r.typ, Name: r.name}
	switch {
	case len(insts) == 1 && insts[0].unknown:
		ref.AnyKey = true
		m.shapes[addr] = cty.DynamicVal.Mark(ref)
	case r.count != nil:
		vals := make([]cty.Value, len(insts))
		for i, in := range insts {
			rr := ref
			rr.Key = in.key
			vals[i] = cty.DynamicVal.Mark(rr)
		}
		m.shapes[addr] = cty.TupleVal(vals)
	case r.forEach != nil:
		vals := map[string]cty.Value{}
		for _, in := range insts {
			rr := ref
			rr.Key = in.key
			k, _ := strconv.Unquote(in.key)
			vals[k] = cty.DynamicVal.Mark(rr)
		}
		m.shapes[addr] = cty.ObjectVal(vals)
	default:
		m.shapes[addr] = cty.DynamicVal.Mark(ref)
	}
	m.done(addr)
}

// module evaluates a module call: a local module is run with its inputs;
// a registry module hoplint knows is modelled from its inputs; anything
// else is unknown.
func (m *modInst) module(name string) {
	var c *moduleCall
	for _, mc := range m.dir.modules {
		if mc.name == name {
			c = mc
			break
		}
	}
	if c == nil || !m.begin("module."+name) {
		return
	}
	defer m.done("module." + name)
	refs := make(map[string][]hcl.Traversal, len(c.inputs))
	for an, a := range c.inputs {
		refs[an] = m.ensure(a.Expr)
	}
	kind := registryKind(c.source)
	var childDir *moduleDir
	if kind == "" && localSource(c.source) && len(m.stack) >= maxModuleDepth {
		m.depthNote(c)
	}
	if kind == "" && localSource(c.source) && len(m.stack) < maxModuleDepth {
		abs := filepath.Clean(filepath.Join(m.dir.abs, filepath.FromSlash(c.source)))
		for _, s := range m.stack {
			if s == abs {
				m.cycleNote(c)
				m.mods[name] = cty.DynamicVal // a module calling itself
				return
			}
		}
		childDir = m.l.dir(abs, m.dir.root, path.Clean(path.Join(m.dir.rel, c.source)))
		if childDir == nil {
			why := "has no Terraform files in the linted tree"
			if e := m.l.readError(abs); e != "" {
				why = "could not be read (" + e + ")"
			}
			if !parsers.Within(m.dir.root, abs) {
				why = "lies outside the linted directory"
			}
			m.l.unfollowed(m.rng(c.srcExpr.Range()), fmt.Sprintf(
				"module %q: source %q %s, so hoplint did not read it; whatever that module creates is unknown to hoplint", c.name, c.source, why))
		}
	}
	if kind == "" && childDir == nil {
		if _, ok := remotePathModule(c.source); ok {
			m.l.unfollowed(m.rng(c.srcExpr.Range()), remoteModuleNote(c.name, c.source))
		}
		m.mods[name] = cty.DynamicVal
		return
	}
	insts := m.instances(c.count, c.forEach)
	vals := map[string]cty.Value{}
	var list []cty.Value
	for _, in := range insts {
		modPath := "module." + name
		if in.keyed {
			if in.unknown {
				modPath += "[*]"
			} else {
				modPath += "[" + in.key + "]"
			}
		}
		if m.path != "" {
			modPath = m.path + "." + modPath
		}
		inputs := map[string]cty.Value{}
		for an, a := range c.inputs {
			v := m.evalEnsured(a.Expr, refs[an], true, in.vars)
			if kind == "" {
				v = m.markWritten(v, a.Expr)
				v = v.Mark(originAt(m.rng(a.Range), fmt.Sprintf("%s passes %s = %s", modPath, an, render(v))))
			}
			inputs[an] = v
		}
		var out cty.Value
		if kind != "" {
			out = m.registry(kind, c, in, modPath, inputs)
		} else {
			out = m.childOutputs(c, childDir, modPath, inputs)
		}
		list = append(list, out)
		if k, err := strconv.Unquote(in.key); err == nil {
			vals[k] = out
		}
	}
	m.sharedNote(c, len(insts))
	switch {
	case len(insts) == 1 && insts[0].unknown:
		m.mods[name] = cty.DynamicVal
	case c.count != nil:
		m.mods[name] = cty.TupleVal(list)
	case c.forEach != nil:
		m.mods[name] = cty.ObjectVal(vals)
	default:
		m.mods[name] = list[0]
	}
}
