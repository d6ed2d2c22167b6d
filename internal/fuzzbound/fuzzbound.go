// Package fuzzbound bounds the time and memory one fuzz input may cost.
// Go's fuzzer checks neither (a worker that never returns is waited for
// until -timeout, and its input is not reported as the cause), so each
// fuzz target wraps the work of one input in Check.
package fuzzbound

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The bounds of one input: far above what any input of a target's size
// needs, so that only a blow-up reaches them.
const (
	Deadline = 10 * time.Second
	MaxAlloc = 2 << 30 // bytes allocated
)

// deadline is Deadline, shortened by this package's test.
var deadline = Deadline

// Check runs fn and fails the input when it takes longer than Deadline or
// allocates more than MaxAlloc. A hang is reported while it hangs: the
// goroutine cannot be stopped, but the failure and its input are recorded.
// Allocation is counted for the process: each fuzz worker is a process
// of its own that runs one input at a time, so the count is the input's.
func Check(t testing.TB, fn func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	done := make(chan struct{})
	var panicked any
	var stack []byte
	go func() {
		defer close(done)
		// A panic here would kill the worker process; it is reported in
		// the test's goroutine instead, as the fuzzer reports its own.
		defer func() {
			if panicked = recover(); panicked != nil {
				stack = debug.Stack()
			}
		}()
		fn()
	}()
	timer := time.NewTimer(deadline)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		t.Fatalf("this input took longer than %s", deadline)
	}
	if panicked != nil {
		t.Fatalf("panic: %v\n%s", panicked, stack)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > MaxAlloc {
		t.Fatalf("this input allocated %d MiB", n>>20)
	}
}
