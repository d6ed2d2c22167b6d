package compose

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
	"github.com/hoplint/hoplint/parsers/dockerfile"
	"github.com/hoplint/hoplint/topology"
	"github.com/hoplint/hoplint/topology/appserver"
)

// stateKey is where the preparer leaves its plan in topology.Env.
type stateKey struct{}

// state is the plan the preparer makes for the loaders and the linker.
type state struct {
	projects []*project
	// images are the Dockerfiles that no linted compose project builds.
	images []*image
	// dockerfiles holds every Dockerfile parsed, by absolute path;
	// discovered marks those discovery found (their own loader reports
	// their problems; the others are reported by the project that reads
	// them).
	dockerfiles map[string]*dockerfile.Dockerfile
	discovered  map[string]bool
	built       map[string]bool
	// problems are about the configuration's images: (configimages.go),
	// reported by link.
	problems []parsers.Problem
	// paths are the absolute paths of every linted file, sorted, so that
	// the files under a copied or mounted directory are one range of it
	// (put): a scan of every file per COPY or bind mount of a directory
	// made a tree of many compose projects cost the square of its size.
	paths     []string
	pathsOnce sync.Once
}

type project struct {
	p        *compose.Project
	services []*service
	// readDockerfiles are the Dockerfiles read for this project that
	// discovery did not find.
	readDockerfiles []*dockerfile.Dockerfile
}

// service is one compose service and what its container runs.
type service struct {
	project *compose.Project
	s       *compose.Service
	id      string
	file    string
	df      *dockerfile.Dockerfile
	stage   *dockerfile.Stage
	ct      topology.Container
	// context is the build context as a display path ("" when the tree
	// does not build the image).
	context string
	env     map[string]appserver.Str
	notes   []string
}

// image is a Dockerfile no compose project builds: the image it builds
// runs what its last stage says.
type image struct {
	df    *dockerfile.Dockerfile
	stage *dockerfile.Stage
	id    string
	ct    topology.Container
	env   map[string]appserver.Str
	notes []string
}

func planOf(env *topology.Env) *state {
	st, _ := env.Get(stateKey{}).(*state)
	return st
}

// prepare loads every compose project and Dockerfile, works out what
// each container runs, and claims the files its nginx or httpd reads.
func prepare(files []*parsers.File, env *topology.Env) {
	st := &state{dockerfiles: map[string]*dockerfile.Dockerfile{}, discovered: map[string]bool{}, built: map[string]bool{}}
	var composeFiles []*parsers.File
	for _, f := range files {
		switch f.Format {
		case parsers.FormatCompose:
			composeFiles = append(composeFiles, f)
		case parsers.FormatDockerfile:
			st.dockerfiles[f.Abs] = dockerfile.Parse(f)
			st.discovered[f.Abs] = true
		}
	}
	if len(composeFiles) == 0 && len(st.dockerfiles) == 0 && len(env.Config.ImageRefs()) == 0 {
		return
	}
	env.Put(stateKey{}, st)
	read := map[string]bool{}
	groups := projectFiles(composeFiles)
	loaded := loadProjects(groups, env)
	for i, group := range groups {
		if len(group) == 1 && read[group[0].Abs] {
			continue // included or extended by a project already loaded
		}
		p := loaded[i]
		if p == nil {
			// Its load panicked on another goroutine: load it here, where
			// the preparer's recover turns a panic into a problem.
			p = compose.Load(group, compose.Options{Root: group[0].Root, WorkDir: env.WorkDir})
		}
		for _, f := range p.Files {
			read[f.Abs] = true
		}
		pr := &project{p: p}
		st.projects = append(st.projects, pr)
		for _, s := range p.Services {
			pr.services = append(pr.services, st.service(pr, s, env))
		}
	}
	var dfs []string
	for abs := range st.dockerfiles {
		if st.discovered[abs] && !st.built[abs] {
			dfs = append(dfs, abs)
		}
	}
	sort.Strings(dfs)
	for _, abs := range dfs {
		if im := st.image(st.dockerfiles[abs], env); im != nil {
			st.images = append(st.images, im)
		}
	}
	st.configImages(env)
	st.workflowImages(env)
}

// loadProjects loads the projects on every core: compose-go's loading is
// most of what a compose-heavy tree costs. Each load reads only its own
// files. A project that another one includes is loaded on its own too and
// then dropped by prepare, as before; a load that panics leaves nil.
func loadProjects(groups [][]*parsers.File, env *topology.Env) []*compose.Project {
	out := make([]*compose.Project, len(groups))
	topology.ParallelEach(groups, func(i int, group []*parsers.File) {
		defer func() { _ = recover() }()
		out[i] = compose.Load(group, compose.Options{Root: group[0].Root, WorkDir: env.WorkDir})
	})
	return out
}

// projectFiles groups the discovered compose files into the projects
// `docker compose` reads: in each directory the default file with its
// override, and every other compose file (docker-compose.prod.yml) on its
// own, as `docker compose -f FILE` reads it. A file another project
// reads through include: or extends: is not a project of its own.
func projectFiles(files []*parsers.File) [][]*parsers.File {
	byAbs := map[string]*parsers.File{}
	dirs := map[string]bool{}
	for _, f := range files {
		byAbs[f.Abs] = f
		dirs[filepath.Dir(f.Abs)] = true
	}
	used := map[string]bool{}
	var out [][]*parsers.File
	var dirList []string
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, d := range dirList {
		var group []*parsers.File
		for _, names := range [][]string{compose.DefaultFileNames, compose.DefaultOverrideFileNames} {
			for _, n := range names {
				if f := byAbs[filepath.Join(d, n)]; f != nil {
					group = append(group, f)
					break
				}
			}
		}
		if len(group) > 0 {
			for _, f := range group {
				used[f.Abs] = true
			}
			out = append(out, group)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Abs < files[j].Abs })
	for _, f := range files {
		if !used[f.Abs] {
			out = append(out, []*parsers.File{f})
		}
	}
	return out
}

func (st *state) service(pr *project, s *compose.Service, env *topology.Env) *service {
	sv := &service{project: pr.p, s: s, env: map[string]appserver.Str{}}
	sv.file = s.Range.File
	if sv.file == "" && len(pr.p.Files) > 0 {
		sv.file = pr.p.Files[0].Path
	}
	sv.id = sv.file + "#services/" + s.Name
	ct := topology.Container{Name: "service " + s.Name, Image: s.Image.Value, ImageRange: s.Image.Range, Files: map[string]*parsers.File{}, Pod: sv.id}
	if !s.Image.Known {
		ct.Image = ""
	}
	if b := s.Build; b != nil {
		switch {
		case b.ContextUnknown:
			sv.notes = append(sv.notes, "its build context comes from a variable with no value here, so hoplint does not know which Dockerfile builds the image")
		case b.Remote:
			sv.notes = append(sv.notes, "the image is built from a remote context ("+b.Context+"), which hoplint does not fetch")
		case b.Outside:
			sv.notes = append(sv.notes, "the image is built from "+b.Context+", outside the linted tree")
		case b.Inline:
			sv.notes = append(sv.notes, "the image is built from an inline Dockerfile, which hoplint does not read")
		case b.ContextDir != "":
			sv.context = parsers.RelPath(env.WorkDir, b.ContextDir)
			st.build(pr, sv, b, env)
		}
		if sv.stage != nil {
			ct.Image, ct.ImageRange = stageImage(sv.stage)
		} else {
			ct.Image = "" // the built image: its base is not known
		}
	}
	// Compose's entrypoint: replaces the image's and drops its CMD;
	// command: replaces the CMD only.
	var ep, cmd []appserver.Str
	if sv.stage != nil {
		ep, cmd = dfCommand(sv.stage.Entrypoint), dfCommand(sv.stage.Cmd)
		for k, v := range sv.stage.EnvMap() {
			if v.Known {
				sv.env[k] = appserver.Str{Value: v.Value, Range: v.Range}
			}
		}
	}
	if s.Entrypoint.Set {
		ep, cmd = composeCommand(s.Entrypoint), nil
	}
	if s.Command.Set {
		cmd = composeCommand(s.Command)
	}
	ct.Command = append(ep, cmd...)
	for k, v := range s.Environment {
		if v.Known {
			sv.env[k] = appserver.Str{Value: v.Value, Range: v.Range}
		} else {
			delete(sv.env, k)
		}
	}
	if sv.stage != nil {
		st.copies(&ct, sv.stage, filepath.Join(env.WorkDir, filepath.FromSlash(sv.context)), env)
		ct.Ports = append(ct.Ports, exposed(sv.stage)...)
		if s.Image.Set && s.Image.Known {
			st.publish(sv, ct, env)
		}
	}
	sv.mounts(st, &ct, env)
	for _, p := range s.Ports {
		if p.Known && p.Target > 0 {
			ct.Ports = append(ct.Ports, int(p.Target))
		}
	}
	for _, e := range s.Expose {
		if n, ok := portNumber(e.Value); ok && e.Known {
			ct.Ports = append(ct.Ports, n)
		}
	}
	sv.ct = ct
	claim(&sv.ct)
	return sv
}

// publish records that the service's image name is built from its
// Dockerfile, for Kubernetes containers that run the same image.
func (st *state) publish(sv *service, ct topology.Container, env *topology.Env) {
	files := make(map[string]*parsers.File, len(ct.Files))
	for p, f := range ct.Files {
		files[p] = f // COPY only: the service's mounts are not added yet
	}
	env.AddImageBuild(sv.s.Image.Value, newImageBuild(sv.df, sv.stage, sv.context, files,
		fmt.Sprintf("compose service %s (%s) builds %s from %s", sv.s.Name, sv.file, sv.s.Image.Value, sv.df.File.Path)))
}

// newImageBuild is what stage of df, built with context ctx (a display
// path), puts into an image: its command, environment, base image, and
// files (the linted files COPY puts in, by path in the image).
func newImageBuild(df *dockerfile.Dockerfile, stage *dockerfile.Stage, ctx string, files map[string]*parsers.File, why string) *topology.ImageBuild {
	b := &topology.ImageBuild{
		Dockerfile: df.File.Path, Context: ctx,
		Entrypoint: dfCommand(stage.Entrypoint), Cmd: dfCommand(stage.Cmd),
		Env: map[string]appserver.Str{}, Files: files, Why: why,
	}
	b.From, b.FromRange = stageImage(stage)
	b.Mounts, b.Runs = stageMounts(stage, ctx)
	for k, v := range stage.EnvMap() {
		if v.Known {
			b.Env[k] = appserver.Str{Value: v.Value, Range: v.Range}
		}
	}
	return b
}

// build reads the Dockerfile a service builds and picks the stage its
// build.target names.
func (st *state) build(pr *project, sv *service, b *compose.Build, env *topology.Env) {
	if b.DockerfilePath == "" {
		sv.notes = append(sv.notes, "its Dockerfile "+b.Dockerfile+" is outside the linted tree")
		return
	}
	df := st.dockerfiles[b.DockerfilePath]
	if df == nil {
		root := pr.p.Files[0].Root
		data, err := parsers.ReadWithin(root, b.DockerfilePath)
		if err != nil {
			sv.notes = append(sv.notes, fmt.Sprintf("hoplint could not read its Dockerfile %s (%v)", parsers.RelPath(env.WorkDir, b.DockerfilePath), err))
			return
		}
		df = dockerfile.Parse(parsers.NewFile(parsers.RelPath(env.WorkDir, b.DockerfilePath), b.DockerfilePath, root, parsers.FormatDockerfile, data))
		st.dockerfiles[b.DockerfilePath] = df
		pr.readDockerfiles = append(pr.readDockerfiles, df)
	}
	st.built[b.DockerfilePath] = true
	sv.df = df
	if b.Target.Set && !b.Target.Known {
		sv.notes = append(sv.notes, "its build target comes from a variable with no value, so which stage of "+df.File.Path+" runs is unknown")
		return
	}
	sv.stage = df.Target(b.Target.Value)
	if sv.stage == nil && b.Target.Value != "" {
		sv.notes = append(sv.notes, "its build target "+b.Target.Value+" is no stage of "+df.File.Path)
	}
}

// image plans the container of an image a Dockerfile builds on its own.
// Its build context is taken to be the Dockerfile's directory, as
// `docker build DIR` reads DIR/Dockerfile; the hop says so.
func (st *state) image(df *dockerfile.Dockerfile, env *topology.Env) *image {
	stage := df.Final()
	if stage == nil {
		return nil
	}
	im := &image{df: df, stage: stage, id: df.File.Path + "#image", env: map[string]appserver.Str{}}
	ct := topology.Container{Name: "the image " + df.File.Path + " builds", Files: map[string]*parsers.File{}, Pod: im.id}
	ct.Image, ct.ImageRange = stageImage(stage)
	ct.Command = append(dfCommand(stage.Entrypoint), dfCommand(stage.Cmd)...)
	for k, v := range stage.EnvMap() {
		if v.Known {
			im.env[k] = appserver.Str{Value: v.Value, Range: v.Range}
		}
	}
	ctxDir := filepath.Dir(df.File.Abs)
	if st.copies(&ct, stage, ctxDir, env) {
		im.notes = append(im.notes, "assuming the image is built with "+parsers.RelPath(env.WorkDir, ctxDir)+" as its context, which COPY reads from")
	}
	ct.Ports = exposed(stage)
	im.ct = ct
	claim(&im.ct)
	return im
}

// claim marks the files a container's server reads, so that they are
// linted as that server and not again alone.
func claim(ct *topology.Container) {
	_, read := topology.Reads(ct)
	for _, f := range read {
		f.Consumed = true
	}
}

// stageImage follows a stage to the image it starts from.
func stageImage(s *dockerfile.Stage) (string, parsers.Range) {
	for i := 0; s.Base != nil && i < 1000; i++ {
		s = s.Base
	}
	if s.Base != nil || !s.ImageKnown {
		return "", s.Range
	}
	return s.ImageResolved, s.Range
}

func dfCommand(c *dockerfile.Command) []appserver.Str {
	if c == nil {
		return nil
	}
	out := make([]appserver.Str, 0, len(c.Args))
	for _, a := range c.Args {
		out = append(out, appserver.Str{Value: a, Range: c.Range})
	}
	return out
}

func composeCommand(c compose.Command) []appserver.Str {
	out := make([]appserver.Str, 0, len(c.Args))
	for _, a := range c.Args {
		out = append(out, appserver.Str{Value: a, Range: c.Range, Unknown: !c.Known})
	}
	return out
}

func exposed(s *dockerfile.Stage) []int {
	var out []int
	for _, e := range s.Expose {
		if n, ok := portNumber(e.Value); ok && e.Known {
			out = append(out, n)
		}
	}
	return out
}

// portNumber reads "8080" or "8080/tcp".
func portNumber(s string) (int, bool) {
	s, _, _ = strings.Cut(s, "/")
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && n < 65536
}

// copies puts the files a stage's COPY and ADD instructions (its base
// stages' first) copy from the build context into the container, and
// reports whether any did.
func (st *state) copies(ct *topology.Container, s *dockerfile.Stage, ctxDir string, env *topology.Env) bool {
	chain := stageChain(s)
	found := false
	stock := stockDirs(s)
	filled := func(dir string) bool {
		for p := range ct.Files {
			if strings.HasPrefix(p, dir+"/") {
				return true
			}
		}
		return false
	}
	for _, c := range chain {
		workdir := "/"
		for _, cp := range c.Copies {
			if c.Workdir != nil && c.Workdir.Known {
				workdir = c.Workdir.Value
			}
			if !cp.Known || cp.Heredoc || cp.From != "" {
				continue
			}
			dest := cp.Dest
			if !path.IsAbs(dest) {
				dest = path.Join(workdir, dest)
			}
			intoDir := copiesInto(cp, dest, workdir, stock, filled)
			for _, src := range cp.Sources {
				if st.put(ct, env, filepath.Join(ctxDir, filepath.FromSlash(src)), dest, intoDir) {
					found = true
				}
			}
		}
	}
	return found
}

// put places the linted file at abs, or every linted file under the
// directory abs, at dest in the container, as COPY and a bind mount do:
// a file onto dest (or into it when intoDir), a directory's contents
// under dest.
func (st *state) put(ct *topology.Container, env *topology.Env, abs, dest string, intoDir bool) bool {
	if f := env.All[abs]; f != nil {
		if intoDir {
			dest = path.Join(dest, filepath.Base(abs))
		}
		ct.Files[path.Clean(dest)] = f
		return true
	}
	st.pathsOnce.Do(func() {
		st.paths = make([]string, 0, len(env.All))
		for p := range env.All {
			st.paths = append(st.paths, p)
		}
		sort.Strings(st.paths)
	})
	prefix := abs + string(filepath.Separator)
	found := false
	for i := sort.SearchStrings(st.paths, prefix); i < len(st.paths) && strings.HasPrefix(st.paths[i], prefix); i++ {
		p := st.paths[i]
		ct.Files[path.Join(dest, filepath.ToSlash(strings.TrimPrefix(p, prefix)))] = env.All[p]
		found = true
	}
	return found
}

// mounts puts the bind-mounted files and configs into the container;
// they hide what the image has at the same paths.
func (sv *service) mounts(st *state, ct *topology.Container, env *topology.Env) {
	for _, m := range sv.s.Volumes {
		if m.Type != "bind" || m.SourcePath == "" || !m.Known {
			continue
		}
		target := path.Clean(m.Target)
		if env.All[m.SourcePath] == nil {
			ct.Whole = append(ct.Whole, target)
			// A directory mounted over one of the image's hides it.
			for p := range ct.Files {
				if p == target || strings.HasPrefix(p, target+"/") {
					delete(ct.Files, p)
				}
			}
		}
		st.put(ct, env, m.SourcePath, target, false)
	}
	for _, c := range sv.s.Configs {
		if c.Config != nil && c.Config.FilePath != "" {
			st.put(ct, env, c.Config.FilePath, path.Clean(c.Target), false)
		}
	}
}

// stageChain is s and the stages it starts FROM, the first base first
// (at most 1,000).
func stageChain(s *dockerfile.Stage) []*dockerfile.Stage {
	var chain []*dockerfile.Stage
	for c := s; c != nil && len(chain) < 1000; c = c.Base {
		chain = append([]*dockerfile.Stage{c}, chain...)
	}
	return chain
}

// stockDirs are the directories the image s starts from is known to have
// (topology.StockDirs), for copiesInto.
func stockDirs(s *dockerfile.Stage) []string {
	image, _ := stageImage(s)
	return topology.StockDirs(image)
}

// copiesInto reports whether a COPY puts a file source inside dest (its
// absolute destination) rather than at dest. Docker copies a file into a
// destination that exists as a directory, trailing slash or not
// (docs/facts/docker.md); hoplint takes dest as one when it is written
// with a trailing slash or as ".", when there are several sources, when
// it is the stage's WORKDIR, when an earlier COPY put files under it
// (filled), or when the base image is known to have it (stock,
// topology.StockDirs). Otherwise the file is copied to dest itself, as
// Docker does when dest does not exist.
func copiesInto(cp dockerfile.Copy, dest, workdir string, stock []string, filled func(dir string) bool) bool {
	raw := cp.Dest
	switch {
	case strings.HasSuffix(raw, "/"), raw == ".", strings.HasSuffix(raw, "/."), len(cp.Sources) > 1:
		return true
	}
	dest = path.Clean(dest)
	return dest == path.Clean(workdir) || slices.Contains(stock, dest) || filled(dest)
}
