package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/rules"
)

// cmdConfig is `hoplint config check [PATH]`: it checks a configuration
// file as a lint run would read it (keys, rules, params, versions, globs)
// without reading the linted files, so that CI or an editor's save hook
// can check .hoplint.yml on its own. PATH is the file, or a directory to
// look for .hoplint.yml from as a lint of it would (default: .).
func cmdConfig(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		return fail(stderr, errors.New("config: want `hoplint config check [PATH]`"))
	}
	fs := flag.NewFlagSet("config check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	paths, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return fail(stderr, err)
	}
	if len(paths) > 1 {
		return fail(stderr, errors.New("config check: one PATH at most (the file, or the directory to look for .hoplint.yml from)"))
	}
	path := "."
	if len(paths) == 1 {
		path = paths[0]
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fail(stderr, fmt.Errorf("%s: no such file or directory", path))
		}
		return fail(stderr, err)
	}
	var cfg *config.Config
	if st.IsDir() {
		cfg, err = loadConfig("", []string{path})
	} else {
		cfg, err = config.Load(path, true)
	}
	if err != nil {
		return fail(stderr, err)
	}
	if cfg.File == "" {
		fmt.Fprintf(stdout, "no %s in %s or above it up to the repository root: hoplint uses its defaults\n", config.DefaultFile, path)
		return exitClean
	}
	if err := rules.Check(cfg, rules.Options{}); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "%s: ok\n", cfg.File)
	return exitClean
}
