// Package plan finds one set of timeout values that satisfies every
// ordering rule on a request path at once.
//
// Each finding of keepalive-order or read-timeout-order is about one pair of
// hops; fixing one pair the obvious way can break the next (raising an ALB's
// idle_timeout above nginx's proxy_read_timeout pushes it past nginx's
// keep-alive and past what CloudFront may wait). The rules describe their
// orderings as Constraints over Vars (one Var per setting, shared by every
// hop that reads it), each Var with its product's limits; Solve returns, per
// group of connected settings (a path), the fewest changes that satisfy
// every constraint, or the product limit that makes it impossible.
//
// The package knows nothing of the graph or the rules: it checks exactly the
// predicates it is given, so a plan it returns leaves the rules silent.
package plan

import (
	"fmt"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// Forever is a wait or pool without a limit (topology.Forever).
const Forever time.Duration = 1<<63 - 1

// Limit is what a product accepts for a setting.
type Limit struct {
	Min time.Duration
	// Max is the largest value the product accepts; 0 for none.
	Max time.Duration
	// Quota, when above Max, is the largest value a quota increase allows.
	Quota time.Duration
	// Text states the limit in the product's terms, for messages:
	// "CloudFront allows origin_read_timeout 1–60 s, up to 180 s with a quota increase".
	Text string
}

// Var is one setting a plan may change.
type Var struct {
	// Key identifies the setting: two hops that read the same line (an ALB
	// and its target group, an nginx server and the locations that inherit
	// from it) share one Var.
	Key string
	// Hop names the hop the setting belongs to ("ALB aws_lb.shop").
	Hop string
	// Setting is the name the product uses ("idle_timeout").
	Setting string
	// Current is the value in effect.
	Current time.Duration
	// Written is true when the value is written in a file (at Range); false
	// for a product default, when Range is the object relying on it.
	Written bool
	// Source says where Current comes from ("examples/shop/terraform/variables.tf:19", "nginx default").
	Source string
	Range  parsers.Range
	// Edit is where a user changes the value: the variable default behind
	// a Terraform attribute, else Range.
	Edit  parsers.Range
	Limit Limit
	// Fixed, when not empty, says why the plan must not change the value.
	Fixed string
	// Need marks a fixed wait that is the time a backend needs.
	Need bool
}

// Wait is how long a hop can keep the hop before it waiting: its own
// timeout (Var, nil for none), but no longer than the longest of the hops
// behind it (Kids; none: nothing bounds it). It mirrors the rules'
// effective wait.
type Wait struct {
	Var  *Var
	Kids []*Wait
}

// Constraint is one ordering a rule checks on one pair of hops.
type Constraint struct {
	Rule string
	// Outer is the setting of the hop in front: a pool idle time
	// (keepalive-order) or a response timeout (read-timeout-order).
	Outer *Var
	// Inner (keepalive-order): the keep-alive of the hop behind; Outer
	// must stay below it.
	Inner *Var
	// Wait (read-timeout-order): Outer must wait at least as long as Wait,
	// longer when Strict, once the value binding Wait is written in a file.
	Wait   *Wait
	Strict bool
	// Subject is the setting the finding sits on: the plan prefers to
	// change it.
	Subject *Var
}

// Change is one planned value.
type Change struct {
	Var *Var
	To  time.Duration
	// Quota is set when the value needs the product's quota increase.
	Quota bool
}

// Path is the plan for a group of settings connected by constraints.
type Path struct {
	Vars        []*Var
	Constraints []*Constraint
	// Violated lists the constraints broken today.
	Violated []*Constraint
	Changes  []Change
	// Impossible, when not empty, says which product limit leaves no
	// assignment (Changes is then empty).
	Impossible string
	// GaveUp is set when the search budget ran out before a plan was found.
	GaveUp bool
}

// Plan is the result of Solve.
type Plan struct {
	Paths []*Path
	byVar map[*Var]*Path
}

// PathOf returns the path a setting belongs to.
func (p *Plan) PathOf(v *Var) *Path {
	if p == nil {
		return nil
	}
	return p.byVar[v]
}

// Planned returns the value the plan gives v and whether it changes it.
func (pa *Path) Planned(v *Var) (time.Duration, bool) {
	for _, c := range pa.Changes {
		if c.Var == v {
			return c.To, true
		}
	}
	return v.Current, false
}

// ChangeOf returns the change to v, if any.
func (pa *Path) ChangeOf(v *Var) (Change, bool) {
	for _, c := range pa.Changes {
		if c.Var == v {
			return c, true
		}
	}
	return Change{}, false
}

// Vars returns every setting a constraint reads.
func (c *Constraint) Vars() []*Var {
	var out []*Var
	add := func(v *Var) {
		if v != nil {
			out = append(out, v)
		}
	}
	add(c.Outer)
	add(c.Inner)
	var walk func(w *Wait)
	walk = func(w *Wait) {
		if w == nil {
			return
		}
		add(w.Var)
		for _, k := range w.Kids {
			walk(k)
		}
	}
	walk(c.Wait)
	return out
}

// assignment is a view of values: the planned ones over the current ones.
type assignment map[*Var]time.Duration

func (a assignment) value(v *Var) time.Duration {
	if d, ok := a[v]; ok {
		return d
	}
	return v.Current
}

// written: a planned value is written by the user.
func (a assignment) written(v *Var) bool {
	_, ok := a[v]
	return ok || v.Written
}

// Holds reports whether c is satisfied under the current values.
func (c *Constraint) Holds() bool { return c.holds(assignment{}) }

func (c *Constraint) holds(a assignment) bool {
	outer := a.value(c.Outer)
	if c.Inner != nil {
		return outer < a.value(c.Inner)
	}
	if outer == Forever {
		return true
	}
	d, bind := waitOf(c.Wait, a)
	if bind == nil || !a.written(bind) {
		// A default says nothing of how long backends take: the rule is
		// silent, and so is the plan.
		return true
	}
	if outer > d {
		return true
	}
	return outer == d && !c.Strict
}

// Binding returns the setting that bounds the wait under current values.
func (c *Constraint) Binding() *Var {
	if c.Wait == nil {
		return nil
	}
	_, v := waitOf(c.Wait, assignment{})
	return v
}

// waitOf mirrors rules.waitOf: the own timeout, capped by the longest of
// the hops behind.
func waitOf(w *Wait, a assignment) (time.Duration, *Var) {
	own, ownVar := Forever, (*Var)(nil)
	if w.Var != nil {
		own, ownVar = a.value(w.Var), w.Var
	}
	if len(w.Kids) == 0 {
		return own, ownVar
	}
	longest, longestVar := time.Duration(0), (*Var)(nil)
	for _, k := range w.Kids {
		d, v := waitOf(k, a)
		if d > longest || longestVar == nil && d == longest {
			longest, longestVar = d, v
		}
	}
	if longest < own {
		return longest, longestVar
	}
	return own, ownVar
}

// Unbounded reports whether the hops behind w set no limit on how long it
// waits, with today's values: w's own timeout is then the time its backend
// is expected to take.
func (w *Wait) Unbounded() bool {
	for _, k := range w.Kids {
		if d, v := waitOf(k, assignment{}); v != nil && d != Forever {
			return false
		}
	}
	return true
}

// Why lists, for setting v, each ordering it takes part in, with the
// planned values: why the plan gives it its value.
func (pa *Path) Why(v *Var) []string {
	var out []string
	waitAt, longest := -1, time.Duration(0)
	val := func(w *Var) string {
		d, _ := pa.Planned(w)
		return fmtDur(d)
	}
	for _, c := range pa.Constraints {
		switch {
		case c.Inner != nil && c.Outer == v:
			out = append(out, fmt.Sprintf("%s: below %s %s (%s)", c.Rule, c.Inner.Hop, c.Inner.Setting, val(c.Inner)))
		case c.Inner == v:
			out = append(out, fmt.Sprintf("%s: above %s %s (%s)", c.Rule, c.Outer.Hop, c.Outer.Setting, val(c.Outer)))
		case c.Wait != nil && c.Outer == v:
			// Several parts of the next hop (an nginx server's locations):
			// only the longest wait sets the bound.
			a := pa.assignment()
			if d, b := waitOf(c.Wait, a); b != nil && a.written(b) && d != Forever && d >= longest {
				rel := "at least"
				if c.Strict {
					rel = "above"
				}
				line := fmt.Sprintf("%s: %s %s %s (%s), the longest the hops behind wait", c.Rule, rel, b.Hop, b.Setting, fmtDur(d))
				switch {
				case waitAt < 0:
					waitAt = len(out)
					out = append(out, line)
				case d > longest:
					out[waitAt] = line
				}
				longest = d
			}
		case c.Wait != nil:
			if _, b := waitOf(c.Wait, pa.assignment()); b == v {
				out = append(out, fmt.Sprintf("%s: %s waits for it (%s %s)", c.Rule, c.Outer.Hop, c.Outer.Setting, val(c.Outer)))
			}
		}
	}
	return dedupe(out)
}

func (pa *Path) assignment() assignment {
	a := assignment{}
	for _, c := range pa.Changes {
		a[c.Var] = c.To
	}
	return a
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// fmtDur renders seconds the way configuration files write them.
func fmtDur(d time.Duration) string {
	if d == Forever {
		return "no limit"
	}
	if d%time.Second != 0 {
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	return fmt.Sprintf("%ds", d/time.Second)
}

// Broken counts the orderings broken today, one per pair of settings (two
// parts of a hop that wait on the same setting are one ordering).
func (pa *Path) Broken() int {
	type pair struct {
		rule         string
		outer, inner *Var
	}
	seen := map[pair]bool{}
	for _, c := range pa.Violated {
		in := c.Inner
		if in == nil {
			in = c.Binding()
		}
		seen[pair{c.Rule, c.Outer, in}] = true
	}
	return len(seen)
}
