package topology

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// A panic while reading one file becomes a problem on that file, on every
// GOMAXPROCS, and the other files keep their results.
func TestParallelFilesRecoversPerFile(t *testing.T) {
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		var files []*parsers.File
		for i := 0; i < 8; i++ {
			files = append(files, &parsers.File{Path: fmt.Sprintf("f%d.conf", i)})
		}
		part := &Graph{}
		got := make([]string, len(files))
		ParallelFiles(part, files, func(i int, f *parsers.File) {
			if i == 5 {
				var xs []int
				_ = xs[i] // an index out of range: a runtime panic
			}
			got[i] = "read " + f.Path
		}, func(i int, f *parsers.File) { got[i] = "fallback " + f.Path })
		runtime.GOMAXPROCS(old)
		for i, g := range got {
			want := "read " + files[i].Path
			if i == 5 {
				want = "fallback f5.conf"
			}
			if g != want {
				t.Errorf("GOMAXPROCS %d: slot %d = %q, want %q", procs, i, g, want)
			}
		}
		if len(part.Problems) != 1 || part.Problems[0].Range.File != "f5.conf" || !strings.Contains(part.Problems[0].Message, "internal error") {
			t.Errorf("GOMAXPROCS %d: problems = %v", procs, part.Problems)
		}
	}
}

func TestRunLinkerRecovers(t *testing.T) {
	g := &Graph{}
	runLinker(g, &Env{}, namedLinker{name: "boom", fn: func(*Graph, *Env) { panic("broken") }})
	if len(g.Problems) != 1 || !strings.Contains(g.Problems[0].Message, "linking the files (boom)") {
		t.Errorf("problems = %v", g.Problems)
	}
}

func TestCapProblems(t *testing.T) {
	g := &Graph{}
	for i := 1; i <= 70; i++ {
		g.Problems = append(g.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: parsers.Range{File: "a.tf", Start: parsers.Pos{Line: i, Col: 1}}, Message: fmt.Sprintf("bad %d", i)})
	}
	g.Problems = append(g.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: parsers.Range{File: "b.tf", Start: parsers.Pos{Line: 1, Col: 1}}, Message: "bad"})
	capProblems(g)
	if len(g.Problems) != maxProblemsPerFile+2 {
		t.Fatalf("%d problems left", len(g.Problems))
	}
	last := g.Problems[maxProblemsPerFile]
	if last.Range.Start.Line != maxProblemsPerFile+1 || !strings.HasPrefix(last.Message, "and 20 more problems in this file") {
		t.Errorf("summary = %s %q", last.Range, last.Message)
	}
	if g.Problems[maxProblemsPerFile+1].Range.File != "b.tf" {
		t.Errorf("another file's problem was dropped")
	}
}
