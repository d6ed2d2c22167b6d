package rules

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/plan"
	"github.com/hoplint/hoplint/topology"
)

// PathPlan is the planner's view of one graph: every ordering that
// keepalive-order and read-timeout-order check, as constraints over the
// settings they read, and one assignment that satisfies them all
// (package plan). Both rules take their advice from it, so no two findings
// ask for values that contradict each other; hoplint plan prints it.
type PathPlan struct {
	Plan *plan.Plan
	vars map[varKey]*plan.Var
	cons map[consKey]*plan.Constraint
}

type varKey struct {
	name string
	r    parsers.Range
}

type consKey struct {
	rule string
	e    *topology.Edge
	b    *topology.Hop
}

// The plan is computed once per graph: both rules and the plan command
// ask for it. One entry is enough (a run lints one graph), and keeps no
// old graph alive.
var planCache struct {
	sync.Mutex
	g *topology.Graph
	p *PathPlan
}

// PlanFor returns the plan of g, computing it on first use.
func PlanFor(g *topology.Graph) *PathPlan {
	planCache.Lock()
	defer planCache.Unlock()
	if planCache.g == g && planCache.p != nil {
		return planCache.p
	}
	p := buildPlan(g)
	planCache.g, planCache.p = g, p
	return p
}

func buildPlan(g *topology.Graph) *PathPlan {
	pp := &PathPlan{vars: map[varKey]*plan.Var{}, cons: map[consKey]*plan.Constraint{}}
	pass := &Pass{Graph: g}
	var cs []*plan.Constraint
	for _, e := range g.Edges {
		if c := pp.keepaliveConstraint(pass, e); c != nil {
			cs = append(cs, c)
		}
	}
	memo := map[*topology.Hop]*plan.Wait{}
	for _, e := range g.Edges {
		if e.Within {
			continue
		}
		type key struct {
			r    parsers.Range
			name string
		}
		seen := map[key]bool{}
		for _, b := range g.Parts(e.To) {
			k := key{b.UpstreamTimeout.Range, b.UpstreamTimeout.Name}
			if b.UpstreamTimeout.Known() && seen[k] {
				continue
			}
			seen[k] = true
			if c := pp.readConstraint(g, e, b, memo); c != nil {
				pp.cons[consKey{"read-timeout-order", e, b}] = c
				cs = append(cs, c)
			}
		}
	}
	pinNeeds(cs)
	pp.Plan = plan.Solve(cs)
	return pp
}

// pinNeeds keeps the innermost written response timeouts: a wait with
// nothing timed behind it (nginx's proxy_read_timeout in front of an app
// server) says how long the backend is expected to take ("monthly reports
// take three minutes"), as read-timeout-order's doc reads it. Shortening it
// would fail those requests, so the plan fixes the hops in front instead,
// and says so when their limits do not allow it.
func pinNeeds(cs []*plan.Constraint) {
	pin := func(v *plan.Var) {
		if v != nil && v.Written && v.Fixed == "" && v.Current != topology.Forever {
			v.Fixed = fmt.Sprintf("%s waits %s (%s) for a backend with no timeout hoplint knows: the time its responses are expected to take", v.Hop, topology.FormatDuration(v.Current), v.Setting)
			v.Need = true
		}
	}
	seen := map[*plan.Wait]bool{}
	var walk func(w *plan.Wait)
	walk = func(w *plan.Wait) {
		if w == nil || seen[w] {
			return
		}
		seen[w] = true
		if w.Unbounded() {
			pin(w.Var)
		}
		for _, k := range w.Kids {
			walk(k)
		}
	}
	for _, c := range cs {
		if c.Wait == nil {
			continue
		}
		if c.Wait.Var == nil && c.Wait.Unbounded() {
			pin(c.Outer)
		}
		walk(c.Wait)
	}
}

// keepaliveConstraint mirrors runKeepaliveOrder's filters: the pool must
// stay below the keep-alive on every edge the rule compares.
func (pp *PathPlan) keepaliveConstraint(p *Pass, e *topology.Edge) *plan.Constraint {
	if e.Within || e.Passthrough {
		return nil
	}
	a, b := e.From, e.To
	pool, ka := a.PoolIdle, b.KeepAlive
	if !pool.Known() || !ka.Known() || ka.Value == 0 {
		return nil
	}
	if a.Kind == topology.KindNginxUpstream && poolNeverReused(p, a) {
		return nil
	}
	inner := pp.varOf(b, ka)
	c := &plan.Constraint{Rule: "keepalive-order", Outer: pp.varOf(a, pool), Inner: inner, Subject: inner}
	pp.cons[consKey{"keepalive-order", e, nil}] = c
	return c
}

// readConstraint mirrors checkReadTimeout: the outer hop must wait at
// least as long as part b of the next hop can really take.
func (pp *PathPlan) readConstraint(g *topology.Graph, e *topology.Edge, b *topology.Hop, memo map[*topology.Hop]*plan.Wait) *plan.Constraint {
	if _, _, ok := effectiveWait(g, b); !ok {
		return nil
	}
	a := e.From
	outer := a.UpstreamTimeout
	if !outer.Known() || outer.Value == topology.Forever {
		return nil
	}
	w := pp.waitTree(g, b, memo, map[*topology.Hop]bool{})
	ov := pp.varOf(a, outer)
	return &plan.Constraint{Rule: "read-timeout-order", Outer: ov, Wait: w, Strict: racingKind(a.Kind), Subject: ov}
}

// racingKind: a load balancer's idle timer races the proxy's, so equal is
// already too short (DESIGN.md §4).
func racingKind(k topology.HopKind) bool {
	return k == topology.KindALB || k == topology.KindCLB || k == topology.KindIngressALB || k == topology.KindTargetGroup
}

// waitTree mirrors waitOf as a tree the planner can re-evaluate with new
// values.
func (pp *PathPlan) waitTree(g *topology.Graph, h *topology.Hop, memo map[*topology.Hop]*plan.Wait, visiting map[*topology.Hop]bool) *plan.Wait {
	if visiting[h] {
		return &plan.Wait{} // a loop adds no limit
	}
	if w, ok := memo[h]; ok {
		return w
	}
	visiting[h] = true
	defer delete(visiting, h)
	w := &plan.Wait{}
	if h.UpstreamTimeout.Known() {
		w.Var = pp.varOf(h, h.UpstreamTimeout)
	}
	for _, e := range g.Out(h) {
		if topology.IsSpecKind(e.To.Kind) {
			continue
		}
		w.Kids = append(w.Kids, pp.waitTree(g, e.To, memo, visiting))
	}
	memo[h] = w
	return w
}

// varOf returns the planner's variable for a setting of hop h; hops that
// read the same line share it.
func (pp *PathPlan) varOf(h *topology.Hop, s topology.Duration) *plan.Var {
	k := varKey{s.Name, s.Range}
	if v := pp.vars[k]; v != nil {
		// Hops that share a setting (an ALB and its target group): name
		// it after the shortest, the load balancer itself.
		if len(h.Name) < len(v.Hop) {
			v.Hop = h.Name
		}
		return v
	}
	v := &plan.Var{
		Key: fmt.Sprintf("%s@%s:%d:%d", s.Name, s.Range.File, s.Range.Start.Line, s.Range.Start.Col),
		Hop: h.Name, Setting: s.Name, Current: s.Value, Written: s.Prov == topology.Set,
		Range: s.Range, Edit: s.Range, Limit: limitOf(h.Kind, s.Name),
	}
	switch {
	case s.Prov == topology.Default:
		v.Source = s.Default.String()
	case len(s.Via) > 0:
		// A Terraform attribute that reads a variable: the value is
		// written, and changed, at the variable's default or tfvars line.
		v.Edit = s.Via[0].Range
		v.Source = fmt.Sprintf("%s:%d", v.Edit.File, v.Edit.Start.Line)
	default:
		v.Source = fmt.Sprintf("%s:%d", s.Range.File, s.Range.Start.Line)
	}
	switch {
	case s.Name == "" || s.Range.IsZero():
		v.Fixed = "hoplint does not know where it is set"
	case v.Limit.Min > 0 && v.Limit.Min == v.Limit.Max:
		v.Fixed = v.Limit.Text
	}
	pp.vars[k] = v
	return v
}

// limitOf is what a product accepts for a timeout (docs/facts/aws.md,
// docs/facts/plan.md). Products with no documented maximum get none; every
// timeout the plan writes is at least one second.
func limitOf(k topology.HopKind, name string) plan.Limit {
	sec := func(n int) time.Duration { return time.Duration(n) * time.Second }
	switch {
	case k == topology.KindCloudFrontOrigin && name == "origin_read_timeout":
		return plan.Limit{Min: sec(1), Max: sec(60), Quota: sec(180),
			Text: "CloudFront allows origin_read_timeout up to 60s, or 180s with a service-quota increase"}
	case k == topology.KindCloudFrontOrigin && name == "origin_keepalive_timeout":
		return plan.Limit{Min: sec(1), Max: sec(60), Quota: sec(180),
			Text: "CloudFront allows origin_keepalive_timeout up to 60s, or 180s with a service-quota increase"}
	case (k == topology.KindALB || k == topology.KindTargetGroup || k == topology.KindIngressALB) && strings.Contains(name, "idle_timeout"):
		return plan.Limit{Min: sec(1), Max: sec(4000), Text: "an ALB's idle timeout is 1–4000s"}
	case k == topology.KindCLB && strings.Contains(name, "idle_timeout"):
		return plan.Limit{Min: sec(1), Max: sec(4000), Text: "a Classic ELB's idle timeout is 1–4000s"}
	case k == topology.KindNLB && strings.Contains(name, "idle"):
		return plan.Limit{Min: sec(60), Max: sec(6000), Text: "an NLB's TCP idle timeout is 60–6000s"}
	}
	return plan.Limit{Min: sec(1)}
}

// advice is the fix sentence of a finding on constraint c: the values the
// path's plan gives the settings c reads, or, with no plan, the pairwise
// advice (fallback) and why no plan exists.
func (pp *PathPlan) advice(c *plan.Constraint, fallback string) string {
	if c == nil {
		return fallback
	}
	pa := pp.Plan.PathOf(c.Outer)
	if pa == nil || pa.GaveUp {
		return fallback
	}
	if pa.Impossible != "" {
		return fallback + " But no values satisfy every timeout order on this path at once: " + pa.Impossible + ". Shorten that wait, or send those requests on a path without that limit."
	}
	mine := map[*plan.Var]bool{}
	for _, v := range c.Vars() {
		mine[v] = true
	}
	var parts, others []string
	quota := ""
	for _, ch := range pa.Changes {
		if ch.Quota {
			quota = " " + ch.Var.Limit.Text + ": ask AWS for the increase first."
		}
		if mine[ch.Var] {
			parts = append(parts, changeWords(ch, c))
		} else {
			others = append(others, changeWords(ch, c))
		}
	}
	if len(parts) == 0 {
		return fallback
	}
	s := joinWords(parts) + "."
	switch {
	case len(others) > 0 && len(others) <= 3:
		// The other changes of the plan keep the orderings this one would
		// break (raising an ALB's idle_timeout past nginx's keep-alive).
		s += " In the same change, " + strings.ToLower(joinWords(others)[:1]) + joinWords(others)[1:] + ": one plan for the whole path, so that fixing this pair breaks no other (hoplint plan shows it)."
	case len(others) > 3:
		s += fmt.Sprintf(" These values are part of one plan for the whole path that also changes %d other settings, so that fixing this pair breaks no other; hoplint plan lists them.", len(others))
	}
	return s + quota
}

func changeWords(ch plan.Change, c *plan.Constraint) string {
	v := ch.Var
	name := v.Setting
	if v != c.Subject {
		name += " of " + v.Hop
	}
	to := plannedWords(v.Setting, ch.To)
	switch {
	case v.Current == topology.Forever:
		return fmt.Sprintf("give %s a limit of %s", name, to)
	case !v.Written:
		return fmt.Sprintf("set %s to %s", name, to)
	case ch.To > v.Current:
		return fmt.Sprintf("raise %s to %s", name, to)
	}
	return fmt.Sprintf("lower %s to %s", name, to)
}

// plannedWords writes a value in the unit the setting takes: Node's
// keepAliveTimeout is in milliseconds ("120000 (120s)").
func plannedWords(setting string, d time.Duration) string {
	if strings.HasSuffix(setting, "keepAliveTimeout") || strings.HasSuffix(setting, "headersTimeout") {
		return fmt.Sprintf("%d (%s)", d/time.Millisecond, topology.FormatDuration(d))
	}
	return topology.FormatDuration(d)
}

func joinWords(parts []string) string {
	s := strings.Join(parts, " and ")
	if len(parts) > 2 {
		s = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
