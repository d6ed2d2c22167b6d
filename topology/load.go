package topology

import (
	"os"
	"sort"
	"sync"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/workers"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/render"
)

// Loader turns the discovered files of one format into hops, edges,
// problems and typed configs, all written into part (a graph of its own,
// merged with the other formats' afterwards, so loaders never share state).
type Loader func(part *Graph, files []*parsers.File, env *Env)

// Linker runs after every loader, over the merged graph: it draws the edges
// between formats.
type Linker func(g *Graph, env *Env)

// Env is what loaders and linkers may consult besides their files.
type Env struct {
	Config *config.Config
	// WorkDir is the directory file paths are relative to.
	WorkDir string
	// All maps absolute path → discovered file, so that an include or module
	// call reuses the file already read instead of reading it again.
	All map[string]*parsers.File

	// reported holds the files (slash paths) discovery already reported
	// it could not read, so that a loader that reads one again does not
	// report it twice.
	reported map[string]bool

	mu    sync.Mutex
	extra map[string]*parsers.File
	// shared holds what a source's preparer worked out for its loader
	// and linkers (Put, Get).
	shared sync.Map

	// apps holds the read-only views of the linted roots that app servers'
	// files are read through (appFiles), one per root.
	apps appFilesCache
}

// Put stores v under key for the rest of the run: a preparer hands its
// plan to the loader and linkers of its source. Keys are the source's own
// unexported types, as with context.Context values.
func (env *Env) Put(key, v any) { env.shared.Store(key, v) }

// Get returns what Put stored under key, or nil.
func (env *Env) Get(key any) any {
	v, _ := env.shared.Load(key)
	return v
}

// Preparer runs before every loader, on all the discovered files, one
// after another in name order. A source whose files put other files into
// a server (a compose bind mount, a Dockerfile's COPY) claims them there
// by setting File.Consumed, so that their own format's loader does not
// also lint them as a stand-alone server with nothing in front of it.
type Preparer func(files []*parsers.File, env *Env)

var preparers []namedPreparer

type namedPreparer struct {
	name string
	fn   Preparer
}

// RegisterPreparer installs a preparer; preparers run in name order.
func RegisterPreparer(name string, p Preparer) {
	preparers = append(preparers, namedPreparer{name, p})
	sort.Slice(preparers, func(i, j int) bool { return preparers[i].name < preparers[j].name })
}

var (
	loaders = map[parsers.Format]Loader{}
	linkers []namedLinker
)

type namedLinker struct {
	name string
	fn   Linker
}

// RegisterLoader installs the loader of a format. Each topology/<format>.go
// calls it from init.
func RegisterLoader(f parsers.Format, l Loader) { loaders[f] = l }

// HasLoader reports whether a loader is registered for format f: false
// for a source whose package was not imported (topology/sources imports
// them all).
func HasLoader(f parsers.Format) bool { return loaders[f] != nil }

// LinkerNames returns the names of the registered linkers, in the order
// they run.
func LinkerNames() []string {
	out := make([]string, len(linkers))
	for i, l := range linkers {
		out[i] = l.name
	}
	return out
}

// RegisterLinker installs a cross-format linker; linkers run in name order.
func RegisterLinker(name string, l Linker) {
	linkers = append(linkers, namedLinker{name, l})
	sort.Slice(linkers, func(i, j int) bool { return linkers[i].name < linkers[j].name })
}

// Load discovers the files under paths, parses them and builds the graph.
// The error is for the caller's usage problems (a path that does not exist,
// a bad ignore pattern); everything wrong inside files is a Problem.
func Load(paths []string, cfg *config.Config, wd string) (*Graph, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, err
		}
	}
	files, problems, err := parsers.Discover(paths, parsers.DiscoverOptions{Ignore: cfg.Ignore, IgnoreBase: cfg.Dir(), WorkDir: wd})
	if err != nil {
		return nil, err
	}
	files, rendered := render.Render(files, render.Options{WorkDir: wd, ChartValues: cfg.ChartValues()})
	problems = append(problems, rendered...)
	return Build(files, problems, cfg, wd), nil
}

// Build runs every format's loader on its files, in parallel, merges the
// parts in a fixed order and runs the linkers.
func Build(files []*parsers.File, problems []parsers.Problem, cfg *config.Config, wd string) *Graph {
	if cfg == nil {
		cfg = &config.Config{}
	}
	env := &Env{Config: cfg, WorkDir: wd, All: make(map[string]*parsers.File, len(files)), reported: map[string]bool{}}
	for _, p := range problems {
		if p.Kind == parsers.ProblemParse && p.Range.File != "" {
			env.reported[p.Range.File] = true
		}
	}
	for _, f := range files {
		env.All[f.Abs] = f
	}
	for _, p := range preparers {
		problems = append(problems, runPreparer(files, env, p)...)
	}
	byFormat := map[parsers.Format][]*parsers.File{}
	for _, f := range files {
		if f.Consumed && f.Format != parsers.FormatKubernetes {
			// An nginx.conf a kustomization generates a ConfigMap from is
			// linted inside that ConfigMap, where it is deployed. (The
			// Kubernetes loader reads consumed files for their comments.)
			continue
		}
		byFormat[f.Format] = append(byFormat[f.Format], f)
	}
	var formats []parsers.Format
	for f := range byFormat {
		if loaders[f] != nil {
			formats = append(formats, f)
		}
	}
	sort.Slice(formats, func(i, j int) bool { return formats[i] < formats[j] })

	parts := make([]*Graph, len(formats))
	var wg sync.WaitGroup
	for i, f := range formats {
		parts[i] = &Graph{}
		wg.Add(1)
		go func(part *Graph, fs []*parsers.File, load Loader) {
			defer wg.Done()
			defer recoverInto(part, fs)
			load(part, fs, env)
		}(parts[i], byFormat[f], loaders[f])
	}
	wg.Wait()

	g := &Graph{Files: files, Problems: problems}
	for _, p := range parts {
		g.merge(p)
	}
	for _, l := range linkers {
		runLinker(g, env, l)
	}
	for _, f := range env.extra {
		g.AddSource(f)
	}
	g.sortAll()
	capProblems(g)
	return g
}

// runPreparer runs one preparer; a panic in it costs only what it would
// have claimed (every file is then linted on its own), and is reported.
func runPreparer(files []*parsers.File, env *Env, p namedPreparer) (probs []parsers.Problem) {
	defer func() {
		if r := recover(); r != nil {
			probs = append(probs, internalError("", "preparing the files ("+p.name+")", r))
		}
	}()
	p.fn(files, env)
	return nil
}

func (g *Graph) merge(p *Graph) {
	for _, h := range p.Hops {
		g.AddHop(h)
	}
	for _, e := range p.Edges {
		g.Link(e)
	}
	g.Problems = append(g.Problems, p.Problems...)
	g.Suppressions = append(g.Suppressions, p.Suppressions...)
	for file, cs := range p.Comments {
		g.AddComments(file, cs)
	}
	for _, f := range p.Sources {
		g.AddSource(f)
	}
	for f, cs := range p.Configs {
		for _, c := range cs {
			g.AddConfig(f, c)
		}
	}
}

// recoverInto turns a loader's panic into a problem, so that one bad file
// never takes the run down. It should never fire: each parser handles bad
// input itself; this is the last line of defence.
func recoverInto(part *Graph, files []*parsers.File) {
	if r := recover(); r != nil {
		// Panics while reading one file are caught per file (ParallelFiles);
		// this one happened while the format's files were combined, so no
		// single file is to blame: it is reported on the first, saying so.
		file, format := "", ""
		if len(files) > 0 {
			file, format = files[0].Path, string(files[0].Format)+" "
		}
		part.AddProblems(parsers.Problem{
			Kind:    parsers.ProblemParse,
			Range:   parsers.Range{File: file},
			Message: "internal error while linking the " + format + "files together (please report it), reported on the first of them; the findings of these files are missing: " + sprint(r),
		})
	}
}

// ParallelEach calls fn for every item using all cores; results are
// written by fn into slots the caller owns (index i), so no locking is needed.
func ParallelEach[T any](items []T, fn func(i int, item T)) {
	workers.Each(len(items), func(i int) { fn(i, items[i]) })
}

// Open returns the file at abs for an include or module call made from a
// file under root: the discovered file when there is one (so that nothing
// is read twice), else the file read from disk, only when it lies inside
// root. Safe for concurrent use.
func (env *Env) Open(root, abs string, format parsers.Format) (*parsers.File, error) {
	if f := env.All[abs]; f != nil {
		return f, nil
	}
	env.mu.Lock()
	defer env.mu.Unlock()
	if env.extra == nil {
		env.extra = map[string]*parsers.File{}
	}
	if f := env.extra[abs]; f != nil {
		return f, nil
	}
	data, err := parsers.ReadWithin(root, abs)
	if err != nil {
		return nil, err
	}
	f := parsers.NewFile(parsers.RelPath(env.WorkDir, abs), abs, root, format, data)
	env.extra[abs] = f
	return f, nil
}

// FileCount is the number of files the summary reports: those read from
// disk. The output of kustomize build or helm template is held as a file
// too (kustomization.yaml#build, Chart.yaml#template), but it is no file
// of the user's, and counting it made a kustomize tree seem larger.
func FileCount(g *Graph) int {
	n := 0
	for _, f := range g.Files {
		if f.Map == nil {
			n++
		}
	}
	return n
}
