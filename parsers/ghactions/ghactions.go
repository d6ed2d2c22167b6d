// Package ghactions reads, from a GitHub Actions workflow, which
// Dockerfile builds the image that a deploy step puts into an Amazon ECS
// task definition: AWS's "Deploy to Amazon ECS" starter workflow builds
// the repository's image with `docker build` (or docker/build-push-action)
// and hands it to aws-actions/amazon-ecs-render-task-definition, which
// writes it into one container of a task-definition JSON file. The task
// definition in the repository then names a stale image, and only the
// workflow says what that container runs.
//
// Nothing is run: a step's script is parsed with mvdan.cc/sh (the shell
// parser of shfmt) and only literal words are used; an expression other
// than ${{ env.NAME }}, a shell variable in a path, or a script with more
// than one build leaves the build unknown, and the render is dropped.
package ghactions

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// Render is one render step whose image comes from a build hoplint read.
type Render struct {
	// TaskDefinition is the task-definition file as written (after
	// ${{ env }} substitution), relative to the workspace (the
	// repository's root).
	TaskDefinition string
	// Containers are the containers it sets the image of.
	Containers []string
	Build      Build
	// Range is the step's uses: line.
	Range parsers.Range
}

// Build is a `docker build` (or docker/build-push-action) of the
// workspace's files.
type Build struct {
	// Context and Dockerfile are slash paths relative to the workspace;
	// Dockerfile is Context/Dockerfile when the build names none.
	Context, Dockerfile string
	// Target is --target (the stage), "" for the last one.
	Target string
	// Repos are the repositories of the images it tags (-t, tags:) whose
	// repository part is literal, without tag or digest.
	Repos []string
	// Range is the build command's line, or the build step's uses: line.
	Range parsers.Range
}

// renderAction and buildPushAction are the actions read, by the part of
// uses: before the @.
const (
	renderAction    = "aws-actions/amazon-ecs-render-task-definition"
	buildPushAction = "docker/build-push-action"
)

// maxNodes bounds the YAML nodes a workflow may have: a real one has a
// few hundred.
const maxNodes = 200000

// Workflow is what hoplint reads of one workflow file.
type Workflow struct {
	// Renders are the render steps whose image comes from a build
	// hoplint read.
	Renders []Render
	// Builds are the image builds that tag at least one image whose
	// repository is written literally (ghcr.io/acme/api:${{ github.sha }}
	// names ghcr.io/acme/api).
	Builds []Build
}

// Parse reads f's render steps and tagged builds. Problems are only the
// file's own: YAML that does not parse. A render or build hoplint cannot
// follow is left out; the containers then run what their own files say.
func Parse(f *parsers.File) (Workflow, []parsers.Problem) {
	var root yaml.Node
	if err := yaml.Unmarshal(f.Bytes(), &root); err != nil {
		return Workflow{}, []parsers.Problem{{Kind: parsers.ProblemParse, Range: f.LineRange(1),
			Message: "this GitHub Actions workflow is not valid YAML, so hoplint does not read which image it deploys: " + err.Error()}}
	}
	if count(&root, 0) > maxNodes {
		return Workflow{}, []parsers.Problem{{Kind: parsers.ProblemSkipped, Range: f.LineRange(1),
			Message: fmt.Sprintf("this workflow has more than %d YAML values; hoplint did not read it", maxNodes)}}
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	w := &workflow{f: f, env: envOf(get(doc, "env")), wd: workdir(doc)}
	jobs := get(doc, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return Workflow{}, nil
	}
	w.jobs = map[string]*yaml.Node{}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		w.jobs[jobs.Content[i].Value] = jobs.Content[i+1]
	}
	var out Workflow
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		out.Renders = append(out.Renders, w.renders(jobs.Content[i+1])...)
		out.Builds = append(out.Builds, w.job(jobs.Content[i+1]).tagged()...)
	}
	return out, nil
}

// tagged lists the job's builds that tag a literal repository.
func (j *job) tagged() []Build {
	var out []Build
	for _, st := range j.steps {
		found, _ := j.builds(st)
		for _, b := range found {
			if len(b.Repos) > 0 {
				out = append(out, b)
			}
		}
	}
	return out
}

// builds are the image builds step st runs that hoplint can read: its
// docker/build-push-action, or the docker builds of its run: script. bad
// is true when the step is something else, or holds a build hoplint
// cannot read.
func (j *job) builds(st *yaml.Node) (found []Build, bad bool) {
	env := j.stepEnv(st)
	if uses, ok := str(get(st, "uses")); ok {
		if action(uses) != buildPushAction {
			return nil, true
		}
		b, ok := j.w.buildPush(st, env)
		if !ok {
			return nil, true
		}
		return []Build{b}, false
	}
	run, wd, ok := j.script(st, env)
	if !ok {
		return nil, true
	}
	found, bad = dockerBuilds(run, wd)
	for i := range found {
		found[i].Range = j.w.scriptLine(get(st, "run"), found[i].Range.Start.Line)
	}
	return found, bad
}

// script is a run: step's script with ${{ env }} replaced, and the
// directory it runs in; ok is false when either is not known.
func (j *job) script(st *yaml.Node, env map[string]string) (string, string, bool) {
	run, ok := str(get(st, "run"))
	if !ok {
		return "", "", false
	}
	// GitHub replaces every expression before the shell runs; one hoplint
	// cannot evaluate (${{ github.sha }}) becomes a shell variable, so
	// that a word holding it is not literal, as it would not be known.
	run, _ = expand(run, env, "${HOPLINT_UNKNOWN}")
	wd := j.wd
	if v, set := str(get(st, "working-directory")); set {
		wd = v
	}
	if strings.Contains(wd, "${{") || strings.Contains(wd, "$") {
		return "", "", false
	}
	return run, wd, true
}

type workflow struct {
	f    *parsers.File
	env  map[string]string
	wd   string
	jobs map[string]*yaml.Node
}

// count counts the nodes of n, stopping once over maxNodes. Aliases are
// not followed (get and the readers below never follow them either).
func count(n *yaml.Node, acc int) int {
	acc++
	for _, c := range n.Content {
		if acc > maxNodes {
			return acc
		}
		acc = count(c, acc)
	}
	return acc
}

// get is the value of key in mapping n, nil when there is none.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// str is a scalar's value; ok is false for anything else.
func str(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

// envOf reads an env: mapping of scalars.
func envOf(n *yaml.Node) map[string]string {
	out := map[string]string{}
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v, ok := str(n.Content[i+1]); ok {
			out[n.Content[i].Value] = v
		}
	}
	return out
}

// workdir is defaults.run.working-directory, "" when not set.
func workdir(n *yaml.Node) string {
	v, _ := str(get(get(get(n, "defaults"), "run"), "working-directory"))
	return v
}

// job is one job's steps and what its expressions may read.
type job struct {
	w     *workflow
	node  *yaml.Node
	env   map[string]string
	wd    string
	steps []*yaml.Node
}

func (w *workflow) job(n *yaml.Node) *job {
	j := &job{w: w, node: n, env: map[string]string{}, wd: w.wd}
	for k, v := range w.env {
		j.env[k] = v
	}
	for k, v := range envOf(get(n, "env")) {
		j.env[k] = v
	}
	if wd := workdir(n); wd != "" {
		j.wd = wd
	}
	if steps := get(n, "steps"); steps != nil && steps.Kind == yaml.SequenceNode {
		j.steps = steps.Content
	}
	return j
}

func (w *workflow) renders(n *yaml.Node) []Render {
	j := w.job(n)
	var out []Render
	for i, st := range j.steps {
		uses, _ := str(get(st, "uses"))
		if action(uses) != renderAction {
			continue
		}
		with := get(st, "with")
		// These replace what the image says, or add to it, in ways
		// hoplint does not apply: the container would not run what the
		// Dockerfile says alone.
		if get(with, "command") != nil || get(with, "environment-variables") != nil || get(with, "env-files") != nil {
			continue
		}
		env := j.stepEnv(st)
		td, ok := subst(get(with, "task-definition"), env)
		if !ok || td == "" {
			continue
		}
		names, ok := subst(get(with, "container-name"), env)
		if !ok {
			continue
		}
		var containers []string
		for _, c := range strings.Split(names, ",") {
			if c = strings.TrimSpace(c); c != "" {
				containers = append(containers, c)
			}
		}
		image, _ := str(get(with, "image"))
		b, ok := j.buildOf(image, i)
		if !ok || len(containers) == 0 {
			continue
		}
		out = append(out, Render{TaskDefinition: path.Clean(td), Containers: containers, Build: b, Range: w.at(get(st, "uses"))})
	}
	return out
}

// action is uses: without its version ("owner/repo@v1").
func action(uses string) string {
	a, _, _ := strings.Cut(strings.TrimSpace(uses), "@")
	return strings.ToLower(a)
}

// stepEnv is the env a step's expressions see: the workflow's, the job's,
// then the step's own.
func (j *job) stepEnv(st *yaml.Node) map[string]string {
	out := map[string]string{}
	for k, v := range j.env {
		out[k] = v
	}
	for k, v := range envOf(get(st, "env")) {
		out[k] = v
	}
	return out
}

var (
	envExpr  = regexp.MustCompile(`\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}`)
	stepExpr = regexp.MustCompile(`^\$\{\{\s*steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.[A-Za-z_][A-Za-z0-9_-]*\s*\}\}$`)
	exprAny  = regexp.MustCompile(`\$\{\{.*?\}\}`)
	needExpr = regexp.MustCompile(`^\$\{\{\s*needs\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$`)
)

// subst is a scalar with its ${{ env.NAME }} expressions replaced by
// literal values of env; ok is false when it holds another expression, or
// an env value that is itself one.
func subst(n *yaml.Node, env map[string]string) (string, bool) {
	s, ok := str(n)
	if !ok {
		return "", false
	}
	return expand(s, env, "${{ ? }}")
}

// expand replaces each expression of s: ${{ env.NAME }} by NAME's literal
// value in env, any other (or an env value that is itself an expression)
// by unknown. known is false when unknown was used.
func expand(s string, env map[string]string, unknown string) (out string, known bool) {
	known = true
	out = exprAny.ReplaceAllStringFunc(s, func(m string) string {
		if sm := envExpr.FindStringSubmatch(m); sm != nil && sm[0] == m {
			if v, ok := env[sm[1]]; ok && !strings.Contains(v, "${{") {
				return v
			}
		}
		known = false
		return unknown
	})
	return out, known
}

// buildOf finds the build whose output image is: a step before the
// render in this job (steps.ID.outputs.X), or a step of another job
// through that job's outputs (needs.JOB.outputs.X).
func (j *job) buildOf(image string, before int) (Build, bool) {
	image = strings.TrimSpace(image)
	if m := stepExpr.FindStringSubmatch(image); m != nil {
		return j.stepBuild(m[1], before)
	}
	if m := needExpr.FindStringSubmatch(image); m != nil {
		other := j.w.jobs[m[1]]
		if other == nil || other == j.node {
			return Build{}, false
		}
		out, _ := str(get(get(other, "outputs"), m[2]))
		sm := stepExpr.FindStringSubmatch(strings.TrimSpace(out))
		if sm == nil {
			return Build{}, false
		}
		oj := j.w.job(other)
		return oj.stepBuild(sm[1], len(oj.steps))
	}
	return Build{}, false
}

// stepBuild is the build that step id (before index before) runs.
func (j *job) stepBuild(id string, before int) (Build, bool) {
	for i := 0; i < before && i < len(j.steps); i++ {
		st := j.steps[i]
		if v, _ := str(get(st, "id")); v != id {
			continue
		}
		found, bad := j.builds(st)
		if bad || len(found) != 1 {
			return Build{}, false
		}
		return found[0], true
	}
	return Build{}, false
}

// buildPush reads docker/build-push-action's context, file and target.
// Without context: it builds the repository at the workflow's commit (its
// "Git context"), whose root is the workspace's.
func (w *workflow) buildPush(st *yaml.Node, env map[string]string) (Build, bool) {
	with := get(st, "with")
	b := Build{Context: ".", Range: w.at(get(st, "uses"))}
	if n := get(with, "context"); n != nil {
		v, ok := subst(n, env)
		if !ok || !localPath(v) {
			return Build{}, false
		}
		b.Context = v
	}
	if n := get(with, "file"); n != nil {
		v, ok := subst(n, env)
		if !ok || !localPath(v) {
			return Build{}, false
		}
		b.Dockerfile = v
	}
	if v, ok := str(get(with, "tags")); ok {
		v, _ = expand(v, env, "${{ ? }}")
		for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ',' }) {
			t = strings.TrimSpace(t)
			prefix, complete := t, true
			if i := strings.Index(t, "${{"); i >= 0 {
				prefix, complete = t[:i], false
			}
			if r := repository(prefix, complete); r != "" {
				b.Repos = append(b.Repos, r)
			}
		}
	}
	if n := get(with, "target"); n != nil {
		v, ok := subst(n, env)
		if !ok || strings.Contains(v, "$") {
			return Build{}, false
		}
		b.Target = v
	}
	b.Context = path.Clean(b.Context)
	if b.Dockerfile == "" {
		b.Dockerfile = path.Join(b.Context, "Dockerfile")
	} else {
		b.Dockerfile = path.Clean(b.Dockerfile)
	}
	return b, inWorkspace(b.Context) && inWorkspace(b.Dockerfile)
}

// localPath: a path in the workspace, not a URL, stdin or a variable.
func localPath(p string) bool {
	return p != "" && p != "-" && !strings.Contains(p, "$") && !strings.Contains(p, "://") &&
		!strings.HasPrefix(p, "git@") && !strings.HasPrefix(p, "/")
}

// at is the range of a node's line.
func (w *workflow) at(n *yaml.Node) parsers.Range {
	if n == nil {
		return w.f.LineRange(1)
	}
	return w.f.LineRange(n.Line)
}

// scriptLine is the file's range of line l of a run: script (1-based).
// A block scalar (run: |) starts on the line after the key; a plain or
// quoted one on its own line.
func (w *workflow) scriptLine(n *yaml.Node, l int) parsers.Range {
	if n == nil {
		return w.f.LineRange(1)
	}
	first := n.Line
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		first++
	}
	return w.f.LineRange(first + l - 1)
}

// repository is the repository of an image reference ref, "" when it is
// not known: ref is the whole reference when complete, else only its
// literal beginning (what comes before a variable), which must then hold
// the whole repository and the ":" that starts the tag.
func repository(ref string, complete bool) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, complete = ref[:i], true
	}
	slash := strings.LastIndex(ref, "/")
	colon := strings.LastIndex(ref, ":")
	switch {
	case colon > slash:
		ref = ref[:colon]
	case !complete:
		return ""
	}
	if ref == "" || strings.ContainsAny(ref, "$ \t{}\"'") || strings.HasPrefix(ref, "/") || strings.HasSuffix(ref, "/") {
		return ""
	}
	return strings.ToLower(ref)
}
