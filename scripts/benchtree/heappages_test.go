package main

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// keep48 is 48 bytes, a size class of its own.
type keep48 [6]uint64

// TestHeapPages reads a heap dump of this test process: the objects it
// keeps (one of every four of 40,000 same-size ones, the rest dropped)
// are found in their size class, on pages that are about a quarter full.
func TestHeapPages(t *testing.T) {
	var kept []*keep48
	for i := range 40000 {
		k := &keep48{uint64(i)}
		if i%4 == 0 {
			kept = append(kept, k)
		}
	}
	runtime.GC()
	path := filepath.Join(t.TempDir(), "heap.dump")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	debug.WriteHeapDump(f.Fd())
	f.Close()
	runtime.KeepAlive(kept)

	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	classes, err := readHeapDump(bufio.NewReader(r))
	if err != nil {
		t.Fatal(err)
	}
	var c *sizeClass
	for _, x := range classes {
		if x.size == 48 {
			c = x
		}
	}
	if c == nil || c.objects < 10000 {
		t.Fatalf("size class 48: %+v, want the 10,000 objects kept", c)
	}
	if full := float64(c.live) / float64(c.pages()); full > 0.5 {
		t.Errorf("48-byte pages %.0f%% full, want about a quarter: one kept of four", 100*full)
	}
	var out strings.Builder
	if err := heapPages(path, &out); err != nil || !strings.Contains(out.String(), "      48") {
		t.Errorf("report %q, %v", out.String(), err)
	}
	if _, err := readHeapDump(bufio.NewReader(strings.NewReader("not a dump"))); err == nil {
		t.Error("a file that is not a heap dump was read")
	}
}
