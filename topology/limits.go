package topology

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/hoplint/hoplint/parsers"
)

// maxProblemsPerFile caps the problems listed for one file: a 16 MB file
// of random text would otherwise give half a million findings, which no
// one reads and every reporter chokes on.
const maxProblemsPerFile = 50

// capProblems keeps the first maxProblemsPerFile problems of each file (in
// position order; g.Problems is sorted) and replaces the rest with one that
// says how many were left out.
func capProblems(g *Graph) {
	count := map[string]int{}
	first := map[string]int{} // index in out of the "and N more" problem
	out := g.Problems[:0]
	for _, p := range g.Problems {
		f := p.Range.File
		count[f]++
		switch n := count[f]; {
		case n <= maxProblemsPerFile:
			out = append(out, p)
		case n == maxProblemsPerFile+1:
			first[f] = len(out)
			p.Related = nil
			out = append(out, p)
		}
	}
	for f, i := range first {
		if g.ProblemsCapped == nil {
			g.ProblemsCapped = map[string]int{}
		}
		g.ProblemsCapped[f] = out[i].Range.Start.Line
		more := count[f] - maxProblemsPerFile
		out[i].Message = fmt.Sprintf("and %d more problems in this file, from here on, that hoplint does not list (the first of them: %s)", more, out[i].Message)
	}
	g.Problems = out
}

// internalError is the problem a recovered panic becomes.
func internalError(file, where string, r any) parsers.Problem {
	return parsers.Problem{Kind: parsers.ProblemParse, Range: parsers.Range{File: file},
		Message: fmt.Sprintf("internal error while %s (please report it, with this file if you can): %v; %s", where, r, firstFrame(debug.Stack()))}
}

// firstFrame names the function that panicked, from a stack trace.
func firstFrame(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") && i+2 < len(lines) {
			return "in " + strings.TrimSpace(lines[i+2])
		}
	}
	return ""
}

// ParallelFiles is ParallelEach for a loader's files, with a recover per
// file: a panic while reading one file becomes a problem on that file and
// fallback fills its result slot, so that the format's other files keep
// their findings. A panic in a goroutine cannot be recovered by anything
// outside it, so it must be caught here.
func ParallelFiles(part *Graph, files []*parsers.File, fn func(i int, f *parsers.File), fallback func(i int, f *parsers.File)) {
	var mu sync.Mutex
	ParallelEach(files, func(i int, f *parsers.File) { guardFile(part, &mu, i, f, fn, fallback) })
}

// EachFile is ParallelFiles one file after another, in order: for loaders
// whose files share a budget.
func EachFile(part *Graph, files []*parsers.File, fn func(i int, f *parsers.File), fallback func(i int, f *parsers.File)) {
	var mu sync.Mutex
	for i, f := range files {
		guardFile(part, &mu, i, f, fn, fallback)
	}
}

// guardFile runs fn on one file and turns a panic into an internal-error
// problem on it (mu guards part), then lets fallback stand in for fn.
func guardFile(part *Graph, mu *sync.Mutex, i int, f *parsers.File, fn, fallback func(i int, f *parsers.File)) {
	defer func() {
		if r := recover(); r != nil {
			mu.Lock()
			part.AddProblems(internalError(f.Path, "reading this file", r))
			mu.Unlock()
			fallback(i, f)
		}
	}()
	fn(i, f)
}

// runLinker runs one linker; a panic becomes a problem instead of ending
// the run, and the other linkers still run.
func runLinker(g *Graph, env *Env, l namedLinker) {
	defer func() {
		if r := recover(); r != nil {
			g.AddProblems(internalError("", "linking the files ("+l.name+")", r))
		}
	}()
	l.fn(g, env)
}
