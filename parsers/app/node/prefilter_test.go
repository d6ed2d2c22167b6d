package node

import (
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// TestPrefilterBeforeParse: a file that names nothing this package reads is
// never handed to a parser. Its syntax is broken, so a parse would show as
// a problem; without the byte search first this test fails.
func TestPrefilterBeforeParse(t *testing.T) {
	for _, name := range []string{"util.js", "util.ts"} {
		f := parsers.NewFile(name, "/x/"+name, "/x", "", []byte("const x = = 1;\nfunction f( { return 2 }\n"))
		if r := Parse(f); len(r.Problems) != 0 || len(r.Servers) != 0 {
			t.Errorf("%s: parsed although it names no server setting: %+v", name, r.Problems)
		}
	}
	// The same broken file naming a server setting is parsed, and says so:
	// the check above can fail.
	f := parsers.NewFile("server.js", "/x/server.js", "/x", "", []byte("const x = = 1;\nserver.keepAliveTimeout = 1;\n"))
	if r := Parse(f); len(r.Problems) != 1 || r.Problems[0].Kind != parsers.ProblemParse {
		t.Errorf("a broken server file must give a parse problem: %+v", r.Problems)
	}
}
