package kubernetes

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
)

// maxNodes caps the YAML nodes hoplint builds for one document, estimated
// before parsing from the bytes that separate nodes. yaml.v3 holds every
// node (about 200 bytes each): a 10 MB flow sequence of 5,000,000 items
// costs a gigabyte. The largest real manifests (CRD bundles) have a few
// hundred thousand.
const maxNodes = 1 << 20

// tooManyNodes returns the problem for a document (after the given number
// of lines) with more than maxNodes separators, or nil.
func tooManyNodes(f *parsers.File, data []byte, before int) *parsers.Problem {
	n := 0
	for _, c := range data {
		switch c {
		case ',', ':', '-', '\n', '[', '{':
			n++
		}
	}
	if n <= maxNodes {
		return nil
	}
	return &parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(before+1, 1, before+1, 1),
		Message: fmt.Sprintf("this YAML document has more than %d values; hoplint did not parse it, since every one is held in memory (no hand-written manifest is this large)", maxNodes)}
}
