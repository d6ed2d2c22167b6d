package main

import (
	"bytes"
	"io"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/json"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	crossplane "github.com/nginxinc/nginx-go-crossplane"
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// floorCounts says what sourceFloor did.
type floorCounts struct {
	files  int // files discovered (each read once)
	parsed int // files handed to a parser
}

// sourceFloor is benchtree source-floor DIR, the floor of the compose and
// ECS trees (bench.sh part 1b): the least a linter of the same files
// does. It discovers the files with parsers.Discover, so the same set is
// read (and classified) as hoplint reads, then parses each once with the
// bare library for its format, on GOMAXPROCS workers (topology.ParallelEach,
// as hoplint spreads its own parsing): yaml.v3 for the
// YAML and JSON formats (compose, ECS, Kubernetes, OpenAPI, kustomization,
// Chart.yaml), hclsyntax for Terraform (hcl's JSON parser for .tf.json),
// crossplane for nginx, BuildKit's parser for Dockerfiles. Apache files,
// which hoplint reads with its own parser and no library, are read and not
// parsed. No linking, no evaluation, no rules, no output.
func sourceFloor(dir string) (floorCounts, error) {
	files, _, err := parsers.Discover([]string{dir}, parsers.DiscoverOptions{})
	if err != nil {
		return floorCounts{}, err
	}
	var parsed atomic.Int64
	topology.ParallelEach(files, func(_ int, f *parsers.File) {
		if parseBare(f) {
			parsed.Add(1)
		}
	})
	return floorCounts{files: len(files), parsed: int(parsed.Load())}, nil
}

// parseBare parses f with its format's library and says whether it did.
// Errors are ignored: a broken file still cost its parsing.
func parseBare(f *parsers.File) bool {
	switch f.Format {
	case parsers.FormatNginx:
		data := f.Bytes()
		_, _ = crossplane.Parse(f.Path, &crossplane.ParseOptions{
			SingleFile:                true,
			ParseComments:             true,
			SkipDirectiveContextCheck: true,
			Open: func(string) (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(data)), nil
			},
		})
	case parsers.FormatTerraform:
		start := hcl.Pos{Line: 1, Column: 1}
		if strings.HasSuffix(strings.ToLower(f.Path), ".json") {
			_, _ = json.ParseWithStartPos(f.Bytes(), f.Path, start)
		} else {
			_, _ = hclsyntax.ParseConfig(f.Bytes(), f.Path, start)
		}
	case parsers.FormatDockerfile:
		_, _ = parser.Parse(bytes.NewReader(f.Bytes()))
	case parsers.FormatApache:
		return false
	default: // compose, ECS, Kubernetes, OpenAPI, kustomization, Chart.yaml
		dec := yaml.NewDecoder(bytes.NewReader(f.Bytes()))
		for {
			var n yaml.Node
			if dec.Decode(&n) != nil {
				break // io.EOF, or a broken document that still cost its decoding
			}
		}
	}
	return true
}
