package plan

import (
	"math"
	"sort"
	"time"
)

// maxChanged is the most settings one plan changes on a path; a path that
// needs more is rare and its advice is better given pair by pair.
const maxChanged = 4

// budget bounds the search per path (candidate values tried), so a large
// graph costs work in proportion to its size, never unbounded time.
const budget = 1000000

// Solve plans every group of connected constraints.
func Solve(cs []*Constraint) *Plan {
	p := &Plan{byVar: map[*Var]*Path{}}
	for _, group := range components(cs) {
		pa := solvePath(group)
		p.Paths = append(p.Paths, pa)
		for _, v := range pa.Vars {
			p.byVar[v] = pa
		}
	}
	return p
}

// components groups the constraints that share a setting, in input order.
func components(cs []*Constraint) [][]*Constraint {
	parent := map[*Var]*Var{}
	find := func(v *Var) *Var {
		for parent[v] != nil && parent[v] != v {
			v = parent[v]
		}
		return v
	}
	for _, c := range cs {
		vs := c.Vars()
		for _, v := range vs {
			if parent[v] == nil {
				parent[v] = v
			}
		}
		for _, v := range vs[1:] {
			if a, b := find(vs[0]), find(v); a != b {
				parent[b] = a
			}
		}
	}
	var order []*Var
	groups := map[*Var][]*Constraint{}
	for _, c := range cs {
		r := find(c.Outer)
		if groups[r] == nil {
			order = append(order, r)
		}
		groups[r] = append(groups[r], c)
	}
	out := make([][]*Constraint, 0, len(order))
	for _, r := range order {
		out = append(out, groups[r])
	}
	return out
}

func solvePath(cs []*Constraint) *Path {
	pa := &Path{Constraints: cs}
	seen := map[*Var]bool{}
	subject := map[*Var]bool{}
	for _, c := range cs {
		for _, v := range c.Vars() {
			if !seen[v] {
				seen[v] = true
				pa.Vars = append(pa.Vars, v)
			}
		}
		if !c.Holds() {
			pa.Violated = append(pa.Violated, c)
			if c.Subject != nil {
				subject[c.Subject] = true
			}
		}
	}
	if len(pa.Violated) == 0 {
		return pa
	}
	s := &search{cs: cs, subject: subject, left: budget}
	for _, v := range pa.Vars {
		if v.Fixed == "" {
			s.free = append(s.free, v)
		}
	}
	// Settings a finding is about first: the plan prefers them.
	sort.SliceStable(s.free, func(i, j int) bool { return subject[s.free[i]] && !subject[s.free[j]] })
	s.cands = map[*Var][]time.Duration{}
	for _, v := range s.free {
		s.cands[v] = candidates(v, pa.Vars, true)
	}
	if best, ok := s.run(); ok {
		pa.Changes = best
		return pa
	}
	if s.left <= 0 {
		pa.GaveUp = true
		return pa
	}
	pa.Impossible = impossible(pa, cs)
	pa.GaveUp = pa.Impossible == ""
	return pa
}

type search struct {
	cs      []*Constraint
	free    []*Var
	cands   map[*Var][]time.Duration
	subject map[*Var]bool
	left    int

	best     []Change
	bestCost float64
	found    bool
}

// run tries the fewest changed settings first; among plans of that size it
// keeps the cheapest.
func (s *search) run() ([]Change, bool) {
	n := len(s.free)
	foundAt := 0
	for k := 1; k <= maxChanged && k <= n; k++ {
		idx := make([]int, k)
		var pick func(pos, from int)
		pick = func(pos, from int) {
			if s.left <= 0 {
				return
			}
			if pos == k {
				vars := make([]*Var, k)
				for i, j := range idx {
					vars[i] = s.free[j]
				}
				s.trySubset(vars)
				return
			}
			for j := from; j < n; j++ {
				idx[pos] = j
				pick(pos+1, j+1)
			}
		}
		pick(0, 0)
		if s.found && k > foundAt {
			if foundAt == 0 {
				// One more change may still be the better plan: two
				// moderate values (pool 60s, keep-alive 65s) beat one
				// extreme one (keep-alive above an hour).
				foundAt = k
				continue
			}
			return s.best, true
		}
		if s.left <= 0 {
			break
		}
	}
	return s.best, s.found
}

// trySubset plans with exactly the settings in vars changed. Settings
// that no constraint ties together are planned on their own, so the work
// is the sum of the parts, not their product.
func (s *search) trySubset(vars []*Var) {
	// Checking a subset reads every constraint: that is work the budget
	// counts, so a path with hundreds of settings gives up in bounded time.
	s.left -= 1 + len(s.cs)/8
	in := map[*Var]bool{}
	for _, v := range vars {
		in[v] = true
	}
	// A broken constraint that reads none of them stays broken.
	parent := map[*Var]*Var{}
	for _, v := range vars {
		parent[v] = v
	}
	find := func(v *Var) *Var {
		for parent[v] != v {
			v = parent[v]
		}
		return v
	}
	groupCons := map[*Var][]*Constraint{}
	var touching []*Constraint
	for _, c := range s.cs {
		var mine []*Var
		for _, v := range c.Vars() {
			if in[v] {
				mine = append(mine, v)
			}
		}
		if len(mine) == 0 {
			if !c.Holds() {
				return
			}
			continue
		}
		touching = append(touching, c)
		for _, v := range mine[1:] {
			if a, b := find(mine[0]), find(v); a != b {
				parent[b] = a
			}
		}
	}
	for _, c := range touching {
		for _, v := range c.Vars() {
			if in[v] {
				r := find(v)
				groupCons[r] = append(groupCons[r], c)
				break
			}
		}
	}
	total := 0.0
	var changes []Change
	for _, r := range vars {
		if find(r) != r {
			continue
		}
		var group []*Var
		for _, v := range vars {
			if find(v) == r {
				group = append(group, v)
			}
		}
		g := newGroupSearch(s, groupCons[r], group)
		g.assign(assignment{}, 0, 0)
		if !g.found {
			return
		}
		total += g.bestCost
		for _, v := range group {
			d := g.best[v]
			changes = append(changes, Change{Var: v, To: d, Quota: v.Limit.Max > 0 && d > v.Limit.Max})
		}
	}
	if s.found && total >= s.bestCost {
		return
	}
	sort.SliceStable(changes, func(i, j int) bool { return indexOf(vars, changes[i].Var) < indexOf(vars, changes[j].Var) })
	s.found, s.bestCost, s.best = true, total, changes
}

func indexOf(vs []*Var, v *Var) int {
	for i, w := range vs {
		if w == v {
			return i
		}
	}
	return -1
}

type groupSearch struct {
	s    *search
	cs   []*Constraint
	vars []*Var
	// last[j] is the index in vars of the last setting of cs[j] that the
	// search assigns (-1 when it reads none of vars): once that one has
	// its value, nothing left can change whether cs[j] holds.
	last     []int
	best     assignment
	bestCost float64
	found    bool
}

// newGroupSearch prepares the search of one group. What each constraint
// reads is worked out here once: consistent runs for every candidate
// value, and asking each constraint for its settings there was most of
// a small run's planning time.
func newGroupSearch(s *search, cs []*Constraint, vars []*Var) *groupSearch {
	pos := make(map[*Var]int, len(vars))
	for i, v := range vars {
		pos[v] = i
	}
	last := make([]int, len(cs))
	for j, c := range cs {
		last[j] = -1
		for _, v := range c.Vars() {
			if i, ok := pos[v]; ok && i > last[j] {
				last[j] = i
			}
		}
	}
	return &groupSearch{s: s, cs: cs, vars: vars, last: last}
}

// assign gives vars[i:] values, pruning on constraints whose settings all
// have their final value.
func (g *groupSearch) assign(a assignment, i int, cost float64) {
	s := g.s
	if s.left <= 0 || g.found && cost >= g.bestCost {
		return
	}
	if i == len(g.vars) {
		for _, c := range g.cs {
			if !c.holds(a) {
				return
			}
		}
		g.found, g.bestCost = true, cost
		g.best = assignment{}
		for k, v := range a {
			g.best[k] = v
		}
		return
	}
	v := g.vars[i]
	for _, d := range s.cands[v] {
		if d == v.Current {
			continue
		}
		s.left--
		a[v] = d
		if g.consistent(a, i) {
			g.assign(a, i+1, cost+s.cost(v, d))
		}
		delete(a, v)
		if s.left <= 0 {
			return
		}
	}
}

// consistent checks the constraints that no setting after vars[i] can
// change.
func (g *groupSearch) consistent(a assignment, i int) bool {
	for j, c := range g.cs {
		if g.last[j] <= i && !c.holds(a) {
			return false
		}
	}
	return true
}

// cost prefers the setting a finding is about, written lines over new
// ones, values near today's, and values a user would write (60s, 75s).
func (s *search) cost(v *Var, d time.Duration) float64 {
	c := 4.0 // each changed setting is a line to review
	if !s.subject[v] {
		c += 2
	}
	if !v.Written {
		c += 0.5
	}
	if v.Limit.Max > 0 && d > v.Limit.Max {
		c += 5 // a quota increase is a support ticket
	}
	cur := v.Current
	if cur <= 0 || cur == Forever {
		cur = d
	}
	c += math.Abs(math.Log(float64(d) / float64(cur)))
	// Values nobody would choose: a keep-alive above a quarter of an
	// hour, a pool or wait of a few seconds.
	switch {
	case d > 900*time.Second && cur < 900*time.Second:
		c += 10
	case d < 5*time.Second && cur >= 5*time.Second:
		c += 5
	}
	sec := int64(d / time.Second)
	switch {
	case sec%30 == 0:
	case sec%5 == 0:
		c += 0.3
	default:
		c += 1.5
	}
	return c
}

// round values users write, in seconds.
var round = []int64{1, 2, 5, 10, 15, 20, 25, 30, 45, 50, 55, 60, 65, 70, 75, 90, 100, 110, 120, 150, 175, 180, 240, 300, 360, 600, 900, 1200, 1800, 3600}

// candidates are the values worth trying for v: round values, and each
// other setting's value and its neighbours (an order only needs to cross
// them), within v's limits.
func candidates(v *Var, all []*Var, quota bool) []time.Duration {
	set := map[int64]bool{}
	for _, r := range round {
		set[r] = true
	}
	for _, o := range all {
		if o.Current == Forever || o.Current <= 0 {
			continue
		}
		sec := int64(o.Current / time.Second)
		down := sec - sec%5
		if down == sec {
			down -= 5
		}
		for _, d := range []int64{sec - 1, sec, sec + 1, sec + 5 - sec%5, down} {
			if d > 0 {
				set[d] = true
			}
		}
	}
	lo, hi := v.Limit.Min, v.Limit.Max
	if quota && v.Limit.Quota > hi {
		hi = v.Limit.Quota
	}
	var out []time.Duration
	for sec := range set {
		d := time.Duration(sec) * time.Second
		if d < lo || lo == 0 && d < time.Second || hi > 0 && d > hi {
			continue
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// impossible names the limit that leaves no assignment: the product
// maximum whose lifting lets a plan exist, and the kept value (a backend's
// needed time) it collides with.
func impossible(pa *Path, cs []*Constraint) string {
	feasibleWithout := func(v *Var) bool {
		saved := *v
		v.Fixed = ""
		v.Limit.Max, v.Limit.Quota = 0, 0
		s := &search{cs: cs, subject: map[*Var]bool{}, left: budget, cands: map[*Var][]time.Duration{}}
		for _, w := range pa.Vars {
			if w.Fixed == "" {
				s.free = append(s.free, w)
				s.cands[w] = candidates(w, pa.Vars, true)
			}
		}
		_, ok := s.run()
		*v = saved
		return ok
	}
	var limit, need string
	for _, v := range pa.Vars {
		if v.Limit.Max > 0 && v.Fixed == "" && feasibleWithout(v) {
			limit = v.Limit.Text
			break
		}
	}
	for _, v := range pa.Vars {
		if v.Fixed != "" && feasibleWithout(v) {
			need = v.Fixed
			break
		}
	}
	switch {
	case limit != "" && need != "":
		return limit + ", but " + need
	case limit != "":
		return limit
	case need != "":
		return need
	}
	// No single limit or kept value explains it: more settings would
	// have to change than a plan changes, which is not impossibility.
	return ""
}
