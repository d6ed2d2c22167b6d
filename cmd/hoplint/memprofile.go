package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

// writeHeapProfile writes a heap profile of what is live at the moment
// it is called to the file named by HOPLINT_MEMPROFILE, for measuring the
// memory of a large run (scripts/bench.sh, issue 24). It is a developer's
// tool, not part of the command-line contract: it is undocumented, and
// does nothing without the variable.
func writeHeapProfile() {
	writeHeapDump()
	f := createFromEnv("HOPLINT_MEMPROFILE")
	if f == nil {
		return
	}
	defer f.Close()
	memstats()
	runtime.GC() // the profile shows what is live, not what awaits collection
	memstats()
	_ = pprof.WriteHeapProfile(f)
}

// writeHeapDump writes a runtime heap dump of what is live to the file
// named by HOPLINT_HEAPDUMP (undocumented, like HOPLINT_MEMPROFILE), for
// `benchtree heappages`, which tells how full the pages the live objects
// keep in use are: a heap profile counts bytes, not pages.
func writeHeapDump() {
	f := createFromEnv("HOPLINT_HEAPDUMP")
	if f == nil {
		return
	}
	defer f.Close()
	runtime.GC()
	debug.WriteHeapDump(f.Fd())
}

// createFromEnv creates the file a developer's variable names, or returns
// nil when it names none or the file cannot be made (these tools never
// fail a run).
func createFromEnv(name string) *os.File {
	path := os.Getenv(name)
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil
	}
	return f
}

func memstats() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(os.Stderr, "memprofile: sys %d heapSys %d heapInuse %d heapAlloc %d heapReleased %d heapIdle %d stackSys %d other %d gcSys %d MiB; numGC %d\n",
		m.Sys>>20, m.HeapSys>>20, m.HeapInuse>>20, m.HeapAlloc>>20, m.HeapReleased>>20, m.HeapIdle>>20, m.StackSys>>20, m.OtherSys>>20, m.GCSys>>20, m.NumGC)
}

// startCPUProfile profiles the run's CPU into the file named by
// HOPLINT_CPUPROFILE, from loading the configuration to the written
// report of hoplint lint, and returns the function that stops it. Like
// HOPLINT_MEMPROFILE, a developer's tool (finding where a large tree's
// time goes, issue 21), undocumented.
func startCPUProfile() func() {
	f := createFromEnv("HOPLINT_CPUPROFILE")
	if f == nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
