package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/hoplint/hoplint/topology"
)

func cmdGraph(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	configFile := fs.String("config", "", "")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return fail(stderr, err)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	render, ok := topology.Renderers[*format]
	if !ok {
		return fail(stderr, fmt.Errorf("unknown format %q for graph (want text, mermaid or json)", *format))
	}
	cfg, err := loadConfig(*configFile, paths)
	if err != nil {
		return fail(stderr, err)
	}
	g, _, _, err := loadTree(cfg, paths)
	if err != nil {
		return fail(stderr, err)
	}
	if err := render(stdout, g); err != nil {
		return fail(stderr, err)
	}
	return 0
}
