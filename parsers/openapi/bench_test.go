package openapi_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
)

// BenchmarkParseLarge loads the corpus's largest spec (openai-openapi,
// about 3 MB of YAML, 288 operations): time and allocations per load.
func BenchmarkParseLarge(b *testing.B) {
	path := filepath.Join(corpusDir(b), "openai__openai-openapi", "openapi.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f := parsers.NewFile("openapi.yaml", path, filepath.Dir(path), parsers.FormatOpenAPI, data)
		sp := openapi.Parse(f, func(string) (*parsers.File, error) { return nil, errors.New("no other files") })
		if !sp.Loaded {
			b.Fatal(sp.Problems)
		}
	}
}
