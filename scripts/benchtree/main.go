// Command benchtree writes the trees scripts/bench.sh measures, and
// measures the yaml.v3 decoding floor of a tree.
//
//	benchtree write CORPUS DST envs|samedir FILES
//	benchtree floor DIR
package main

import (
	"fmt"
	"os"
	"strconv"

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
	case len(args) == 5 && args[0] == "write":
		n, err := strconv.Atoi(args[4])
		if err != nil {
			return err
		}
		files, err := benchtree.Manifests(args[1])
		if err != nil {
			return err
		}
		written, err := benchtree.Write(args[2], files, benchtree.Shape(args[3]), n)
		if err != nil {
			return err
		}
		fmt.Printf("%d files (%d manifests of the corpus, copied)\n", len(written), len(files))
		return nil
	case len(args) == 2 && args[0] == "floor":
		files, docs, err := benchtree.DecodeFloor(args[1])
		if err != nil {
			return err
		}
		fmt.Printf("decoded %d files, %d documents\n", files, docs)
		return nil
	}
	return fmt.Errorf("usage: benchtree write CORPUS DST envs|samedir FILES | benchtree floor DIR")
}
