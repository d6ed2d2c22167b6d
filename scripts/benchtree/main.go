// Command benchtree writes the trees scripts/bench.sh measures, and
// measures the yaml.v3 decoding floor of a tree.
//
//	benchtree write CORPUS DST envs|samedir FILES [EXCLUDE]
//	benchtree write-source CORPUS DST envs|samedir FILES compose|ecs
//	benchtree floor DIR
//	benchtree source-floor DIR
//	benchtree compose-floor DIR
//	benchtree write-apps DST FILES
//	benchtree app-floor DIR
//	benchtree time RUNS -- LABEL CMD [ARG...] [-- LABEL CMD [ARG...]]...
//	benchtree binsize BINARY MAINPKG
//	benchtree heappages DUMP
//
// time runs the commands in turn, RUNS rounds (interleaved, so that a
// change in the machine's load falls on all of them alike), and prints
// for each the best and the median CPU time (user+system, with every
// process it waited for) and wall time, in milliseconds, and its exit
// statuses. GNU time reports CPU in hundredths of a second, too coarse
// for a run of 20 ms.
//
// write-source copies whole repositories of one source instead of the
// Kubernetes manifests: those with docker-compose files, or those with ECS
// task definitions (sources.go), every file hoplint reads in them.
//
// source-floor is the floor of those trees: the files hoplint discovers,
// each parsed by its format's library alone (sourcefloor.go).
// compose-floor is what compose-go alone costs on their compose files
// (composefloor.go).
//
// write-apps generates an application-source tree of about FILES
// JavaScript, TypeScript and Go files behind one nginx (apps.go);
// app-floor measures the least a source reader does on it.
//
// heappages says, per size class, how full the pages are that the live
// objects of a Go heap dump keep in use (heappages.go; hoplint writes a
// dump at the end of its rules with HOPLINT_HEAPDUMP=FILE).
//
// FILES 0 writes one copy of each manifest. EXCLUDE names a file listing corpus paths (one a line) to leave out: the
// manifests another linter cannot parse, so that it can be timed on the
// same files as hoplint.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/internal/benchtree"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchtree:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	switch {
	case (len(args) == 5 || len(args) == 6) && args[0] == "write":
		n, err := strconv.Atoi(args[4])
		if err != nil {
			return err
		}
		files, err := benchtree.Manifests(args[1])
		if err != nil {
			return err
		}
		if len(args) == 6 {
			if files, err = exclude(files, args[5]); err != nil {
				return err
			}
		}
		if n == 0 {
			n = len(files) // one copy
		}
		written, err := benchtree.Write(args[2], files, benchtree.Shape(args[3]), n)
		if err != nil {
			return err
		}
		fmt.Printf("%d files (%d manifests of the corpus, copied)\n", len(written), len(files))
		return nil
	case len(args) == 6 && args[0] == "write-source":
		n, err := strconv.Atoi(args[4])
		if err != nil {
			return err
		}
		files, err := sourceFiles(args[1], args[5])
		if err != nil {
			return err
		}
		if n == 0 {
			n = len(files)
		}
		written, err := benchtree.Write(args[2], files, benchtree.Shape(args[3]), n)
		if err != nil {
			return err
		}
		fmt.Printf("%d files (%d files of the corpus's %s repositories, copied)\n", len(written), len(files), args[5])
		return nil
	case len(args) == 3 && args[0] == "write-apps":
		n, err := strconv.Atoi(args[2])
		if err != nil {
			return err
		}
		written, err := writeApps(args[1], n)
		if err != nil {
			return err
		}
		fmt.Printf("%d files (%d applications)\n", written, max(n/appFiles, 1))
		return nil
	case len(args) == 2 && args[0] == "app-floor":
		read, parsed, err := appFloor(args[1])
		if err != nil {
			return err
		}
		fmt.Printf("read %d source files, parsed %d\n", read, parsed)
		return nil
	case len(args) == 2 && args[0] == "floor":
		files, docs, err := benchtree.DecodeFloor(args[1])
		if err != nil {
			return err
		}
		fmt.Printf("decoded %d files, %d documents\n", files, docs)
		return nil
	case len(args) == 2 && args[0] == "source-floor":
		n, err := sourceFloor(args[1])
		if err != nil {
			return err
		}
		fmt.Printf("discovered %d files, parsed %d\n", n.files, n.parsed)
		return nil
	case len(args) == 2 && args[0] == "compose-floor":
		ok, failed, err := composeFloor(args[1])
		if err != nil {
			return err
		}
		fmt.Printf("loaded %d compose projects (%d refused), parsed the other files\n", ok, failed)
		return nil
	case len(args) == 3 && args[0] == "binsize":
		return binSize(args[1], args[2])
	case len(args) == 2 && args[0] == "heappages":
		return heapPages(args[1], os.Stdout)
	case len(args) >= 5 && args[0] == "time" && args[2] == "--":
		runs, err := strconv.Atoi(args[1])
		if err != nil || runs < 1 {
			return fmt.Errorf("time: RUNS %q is not a positive number", args[1])
		}
		return timeCommands(runs, args[3:])
	}
	return fmt.Errorf("usage: benchtree write CORPUS DST envs|samedir FILES [EXCLUDE] | benchtree write-source CORPUS DST envs|samedir FILES compose|ecs | benchtree floor DIR | benchtree source-floor DIR | benchtree compose-floor DIR | benchtree write-apps DST FILES | benchtree app-floor DIR | benchtree time RUNS -- LABEL CMD [ARG...] [-- ...] | benchtree binsize BINARY MAINPKG | benchtree heappages DUMP")
}

func exclude(files []benchtree.File, list string) ([]benchtree.File, error) {
	data, err := os.ReadFile(list)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			skip[l] = true
		}
	}
	kept := files[:0]
	for _, f := range files {
		if !skip[f.Path] {
			kept = append(kept, f)
		}
	}
	return kept, nil
}
