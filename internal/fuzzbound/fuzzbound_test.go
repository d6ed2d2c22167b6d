package fuzzbound

import (
	"testing"
	"time"
)

// recorder stands in for the fuzz input's testing.T and keeps what Check
// reports.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = format
}

func TestCheck(t *testing.T) {
	var r recorder
	Check(&r, func() {})
	if r.failed != "" {
		t.Errorf("a quick input failed: %s", r.failed)
	}
	r = recorder{}
	Check(&r, func() { panic("boom") })
	if r.failed != "panic: %v\n%s" {
		t.Errorf("a panic was reported as %q", r.failed)
	}
	r = recorder{}
	Check(&r, func() {
		b := make([][]byte, 0, 40)
		for i := 0; i < 40; i++ {
			b = append(b, make([]byte, 64<<20))
		}
		_ = b
	})
	if r.failed != "this input allocated %d MiB" {
		t.Errorf("2.5 GiB of allocation was reported as %q", r.failed)
	}
	deadline = 50 * time.Millisecond
	defer func() { deadline = Deadline }()
	r = recorder{}
	release := make(chan struct{})
	defer close(release)
	Check(&r, func() { <-release })
	if r.failed != "this input took longer than %s" {
		t.Errorf("a hang was reported as %q", r.failed)
	}
}
