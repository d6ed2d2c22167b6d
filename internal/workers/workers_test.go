package workers

import (
	"sync/atomic"
	"testing"
)

// Every index runs exactly once, on no more goroutines than allowed.
func TestLimitedRunsEachOnce(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 4}, {1, 4}, {7, 1}, {100, 2}, {1000, 8}, {3, 0}} {
		seen := make([]atomic.Int32, tc.n)
		var running, most atomic.Int32
		Limited(tc.n, tc.workers, func(i int) {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			seen[i].Add(1)
			running.Add(-1)
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d workers=%d: index %d ran %d times", tc.n, tc.workers, i, c)
			}
		}
		if limit := max(tc.workers, 1); int(most.Load()) > limit {
			t.Fatalf("n=%d workers=%d: %d ran at once", tc.n, tc.workers, most.Load())
		}
	}
}

// With one worker the pieces run in order on the caller's goroutine: a
// run on one core is a plain loop.
func TestLimitedOneWorkerInOrder(t *testing.T) {
	var order []int
	Limited(5, 1, func(i int) { order = append(order, i) })
	for i, v := range order {
		if v != i {
			t.Fatalf("order %v", order)
		}
	}
	if len(order) != 5 {
		t.Fatalf("order %v", order)
	}
}
