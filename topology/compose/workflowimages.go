package compose

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/ghactions"
	"github.com/hoplint/hoplint/topology"
)

// Images that a GitHub Actions workflow builds and deploys to ECS (AWS's
// "Deploy to Amazon ECS" starter workflow and its variants): the
// workflow builds the repository's Dockerfile and
// aws-actions/amazon-ecs-render-task-definition writes that image into
// one container of a task-definition JSON file, which then names a stale
// image. The container runs what that Dockerfile says unless the task
// definition overrides it, as with images: in .hoplint.yml, and the hop
// says which workflow step made the link.

// maxWorkflows bounds the workflow files read under one root.
const maxWorkflows = 200

// workflowImages records what the workflows of each linted root build:
// for each ECS container a workflow renders, the build of the Dockerfile
// it built (Env.AddContainerBuild); for each image repository a build
// tags literally, that build (Env.AddImageBuild, as a compose service
// with image: and build: does), unless .hoplint.yml names that image.
// Workflows are read from ROOT/.github/workflows (the workspace they run
// in), only inside the root, and only when the root has a container they
// could apply to.
func (st *state) workflowImages(env *topology.Env) {
	roots := map[string]bool{}
	for _, f := range env.All {
		switch f.Format {
		case parsers.FormatECS, parsers.FormatKubernetes, parsers.FormatCompose, parsers.FormatTerraform:
			if f.Root != "" {
				roots[f.Root] = true
			}
		}
	}
	var sorted []string
	for r := range roots {
		sorted = append(sorted, r)
	}
	sort.Strings(sorted)
	done := map[string]imageOutcome{}
	for _, root := range sorted {
		for _, wf := range workflowFiles(env, root) {
			w, _ := ghactions.Parse(wf)
			for _, r := range w.Renders {
				st.workflowRender(env, root, wf, r, done)
			}
			for _, b := range w.Builds {
				st.workflowBuild(env, root, wf, b)
			}
		}
	}
}

// workflowFiles reads ROOT/.github/workflows/*.yml and *.yaml, confined to
// the root (Env.Open); a file that cannot be read inside it is left out (it
// holds no configuration hoplint lints, so its absence changes no
// finding's truth, only what is known).
func workflowFiles(env *topology.Env, root string) []*parsers.File {
	dir := filepath.Join(root, ".github", "workflows")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []*parsers.File
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if e.IsDir() || !strings.HasSuffix(name, ".yml") && !strings.HasSuffix(name, ".yaml") {
			continue
		}
		if len(out) == maxWorkflows {
			break
		}
		f, err := env.Open(root, filepath.Join(dir, e.Name()), "")
		if err != nil {
			continue
		}
		out = append(out, f)
	}
	return out
}

// workflowRender records one render step's build for its containers.
func (st *state) workflowRender(env *topology.Env, root string, wf *parsers.File, r ghactions.Render, done map[string]imageOutcome) {
	td := filepath.Join(root, filepath.FromSlash(r.TaskDefinition))
	if !parsers.Within(root, td) || env.All[td] == nil || env.All[td].Format != parsers.FormatECS {
		return // a task definition hoplint does not lint: nothing to apply the build to
	}
	dfAbs, ctxAbs, ok := buildPaths(root, r.Build)
	if !ok {
		return
	}
	key := dfAbs + "\x00" + ctxAbs + "\x00" + strings.ToLower(r.Build.Target)
	o, ok := done[key]
	if !ok {
		wfPath := wf.Path
		buildLine, renderLine := r.Build.Range.Start.Line, r.Range.Start.Line
		o = st.dockerfileBuild(env, dfAbs, r.Build.Dockerfile, ctxAbs, r.Build.Target, func(df, ctx string) string {
			return fmt.Sprintf("built from %s (context %s) by %s, line %d, whose amazon-ecs-render-task-definition step at line %d puts it into this container", df, ctx, wfPath, buildLine, renderLine)
		})
		if o.build != nil {
			o.build.Container = true
		}
		done[key] = o
	}
	if o.build == nil {
		return
	}
	file := env.All[td].Path
	for _, c := range r.Containers {
		env.AddContainerBuild(file, c, o.build)
	}
}

// workflowBuild records a tagged build for the repositories it tags: the
// Dockerfile is read and its COPYs walked once, each repository gets its
// own copy of the build, which says which tag names it.
func (st *state) workflowBuild(env *topology.Env, root string, wf *parsers.File, b ghactions.Build) {
	dfAbs, ctxAbs, ok := buildPaths(root, b)
	if !ok {
		return
	}
	o := st.dockerfileBuild(env, dfAbs, b.Dockerfile, ctxAbs, b.Target, func(df, ctx string) string {
		return fmt.Sprintf("built from %s (context %s) by %s, line %d", df, ctx, wf.Path, b.Range.Start.Line)
	})
	if o.build == nil {
		return
	}
	for _, repo := range b.Repos {
		if env.ConfigNamesImage(repo) {
			continue // .hoplint.yml's images: is the user's word
		}
		tagged := *o.build
		tagged.Why += ", which tags it " + repo
		env.AddImageBuild(repo, &tagged)
	}
}

// buildPaths are a workflow build's Dockerfile and context under root,
// ok only when both stay inside it.
func buildPaths(root string, b ghactions.Build) (dockerfile, context string, ok bool) {
	dockerfile = filepath.Join(root, filepath.FromSlash(b.Dockerfile))
	context = filepath.Join(root, filepath.FromSlash(b.Context))
	return dockerfile, context, parsers.Within(root, dockerfile) && parsers.Within(root, context)
}
