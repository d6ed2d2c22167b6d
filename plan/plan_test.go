package plan

import (
	"strings"
	"testing"
	"time"
)

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

func v(name string, cur int, written bool) *Var {
	return &Var{Key: name, Hop: name, Setting: name, Current: sec(cur), Written: written, Limit: Limit{Min: sec(1)}}
}

func TestSolveNothingBroken(t *testing.T) {
	pool, ka := v("pool", 60, true), v("ka", 75, true)
	p := Solve([]*Constraint{{Rule: "keepalive-order", Outer: pool, Inner: ka, Subject: ka}})
	if pa := p.PathOf(pool); pa == nil || len(pa.Changes) != 0 || pa.Broken() != 0 {
		t.Fatalf("want no change, got %+v", pa)
	}
}

// A keep-alive that cannot move (Fixed) leaves the pool to change, though
// the finding is about the keep-alive.
func TestSolveMovesTheOtherSideWhenOneIsFixed(t *testing.T) {
	pool, ka := v("pool", 120, true), v("ka", 75, true)
	ka.Fixed = "cannot change"
	p := Solve([]*Constraint{{Rule: "keepalive-order", Outer: pool, Inner: ka, Subject: ka}})
	pa := p.PathOf(pool)
	to, changed := pa.Planned(pool)
	if !changed || to >= sec(75) || to%sec(5) != 0 {
		t.Fatalf("want the pool lowered to a round value below 75s, got %v (changed %v)", to, changed)
	}
}

// The shop's shape: CloudFront waits for an ALB that waits for nginx's
// kept 180s wait; the ALB must also stay below nginx's keep-alive. The only
// plan raises all three, CloudFront with a quota increase.
func TestSolveChainWithQuota(t *testing.T) {
	cf := v("origin_read_timeout", 60, true)
	cf.Limit = Limit{Min: sec(1), Max: sec(60), Quota: sec(180), Text: "CloudFront max"}
	alb := v("idle_timeout", 120, true)
	alb.Limit = Limit{Min: sec(1), Max: sec(4000)}
	ka := v("keepalive_timeout", 75, false)
	need := v("proxy_read_timeout", 180, true)
	need.Fixed = "the time reports take"
	albWait := &Wait{Var: alb, Kids: []*Wait{{Var: need}}}
	cs := []*Constraint{
		{Rule: "keepalive-order", Outer: alb, Inner: ka, Subject: ka},
		{Rule: "read-timeout-order", Outer: alb, Wait: &Wait{Var: need}, Strict: true, Subject: alb},
		{Rule: "read-timeout-order", Outer: cf, Wait: albWait, Subject: cf},
	}
	pa := Solve(cs).PathOf(alb)
	if pa.Impossible != "" || len(pa.Changes) != 3 {
		t.Fatalf("want 3 changes, got %+v", pa)
	}
	for _, c := range cs {
		if !c.holds(pa.assignment()) {
			t.Errorf("plan leaves %s on %s broken", c.Rule, c.Outer.Setting)
		}
	}
	if ch, _ := pa.ChangeOf(cf); !ch.Quota || ch.To != sec(180) {
		t.Errorf("CloudFront: %+v, want 180s with a quota increase", ch)
	}

	// Reports that need 240s: nothing fits under CloudFront's 180s.
	need.Current = sec(240)
	cf.Current, alb.Current = sec(60), sec(120)
	pa = Solve(cs).PathOf(alb)
	if !strings.Contains(pa.Impossible, "CloudFront max") || !strings.Contains(pa.Impossible, "the time reports take") {
		t.Errorf("impossible = %q, want CloudFront's limit and the kept wait", pa.Impossible)
	}
}

// A path needing more changes than a plan makes gives up within the
// budget, however many settings it has: bounded work, not time.
func TestSolveGivesUpOnHugePaths(t *testing.T) {
	shared := v("shared", 3600, true)
	var cs []*Constraint
	for i := 0; i < 200; i++ {
		pool, ka := v("pool", 120, true), v("ka", 75, true)
		ka.Fixed = "fixed"
		cs = append(cs,
			&Constraint{Rule: "keepalive-order", Outer: pool, Inner: ka, Subject: ka},
			&Constraint{Rule: "keepalive-order", Outer: pool, Inner: shared, Subject: shared})
	}
	pa := Solve(cs).PathOf(shared)
	if !pa.GaveUp || len(pa.Changes) != 0 {
		t.Fatalf("want a path that gives up, got %d changes, impossible %q", len(pa.Changes), pa.Impossible)
	}
}
