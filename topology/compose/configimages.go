package compose

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// Images named in .hoplint.yml (images: IMAGE: Dockerfile). A compose
// service with both image: and build: tells hoplint which Dockerfile
// builds an image; a repository whose CI builds the image (docker build -f
// app/Dockerfile app) says it nowhere hoplint reads, so a Kubernetes or
// ECS container running that image would run an unknown command. The
// configuration names the Dockerfile instead, and wins over what compose
// says: it is the user's word.

// configImages records the builds the configuration names, once every
// Dockerfile is parsed, and keeps a problem for each it cannot use (see
// link, which reports them).
func (st *state) configImages(env *topology.Env) {
	cfg := env.Config
	refs := cfg.ImageRefs()
	if len(refs) == 0 {
		return
	}
	dir := cfg.Dir()
	if dir == "" {
		dir = env.WorkDir // a configuration given without its file
	}
	// One outcome per Dockerfile and target, whatever number of images
	// name it: a COPY of a large directory is walked once, not once per
	// entry; a Dockerfile or stage that cannot be used is said at every
	// entry that names it.
	done := map[string]imageOutcome{}
	for _, ref := range refs {
		entry := cfg.Images[ref]
		abs := filepath.Clean(filepath.Join(dir, filepath.FromSlash(entry.Dockerfile)))
		key := abs + "\x00" + strings.ToLower(entry.Target)
		o, ok := done[key]
		if !ok {
			o = st.configBuild(env, abs, entry)
			done[key] = o
		}
		switch {
		case o.build != nil:
			env.SetImageBuild(ref, o.build)
		case o.why != "": // else a Dockerfile with no stage: its own problems say why
			st.problems = append(st.problems, parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: configRange(env, "images."+ref),
				Message: fmt.Sprintf("images: %s %s, so containers running %s are linted without it: their command and server are unknown unless they set them", ref, o.why, ref)})
		}
	}
}

// imageOutcome is what an images: entry gives: the build, else why not.
type imageOutcome struct {
	build *topology.ImageBuild
	why   string
}

// configBuild makes the build of the Dockerfile at abs that entry names,
// with the Dockerfile's directory as its context.
func (st *state) configBuild(env *topology.Env, abs string, entry config.Image) imageOutcome {
	return st.dockerfileBuild(env, abs, entry.Dockerfile, filepath.Dir(abs), entry.Target, func(df, ctx string) string {
		return fmt.Sprintf("built from %s, as images: in .hoplint.yml says (with %s as its build context)", df, ctx)
	})
}

// dockerfileBuild makes the build of the parsed Dockerfile at abs (named
// as written), from build context ctxDir and stage target ("" for the
// last); why words how hoplint knows, given the Dockerfile (or "stage S
// of" it) and the context as display paths.
func (st *state) dockerfileBuild(env *topology.Env, abs, written, ctxDir, target string, why func(df, ctx string) string) imageOutcome {
	df := st.dockerfiles[abs]
	if df == nil || !st.discovered[abs] {
		return imageOutcome{why: fmt.Sprintf("names the Dockerfile %s, which is not among the linted files", written)}
	}
	stage := df.Target(target)
	if stage == nil {
		if target == "" {
			return imageOutcome{}
		}
		return imageOutcome{why: fmt.Sprintf("names the build target %s, which is no stage of %s", target, df.File.Path)}
	}
	ctx := parsers.RelPath(env.WorkDir, ctxDir)
	ct := topology.Container{Files: map[string]*parsers.File{}}
	st.copies(&ct, stage, ctxDir, env)
	dfName := df.File.Path
	if target != "" {
		dfName = "stage " + stage.Name + " of " + df.File.Path
	}
	return imageOutcome{build: newImageBuild(df, stage, ctx, ct.Files, why(dfName, ctx))}
}

// configRange is the line of key in .hoplint.yml, as a display path.
func configRange(env *topology.Env, key string) parsers.Range {
	cfg := env.Config
	abs := filepath.Join(env.WorkDir, ".hoplint.yml") // a configuration given without its file
	if cfg.File != "" {
		if a, err := filepath.Abs(cfg.File); err == nil {
			abs = a
		}
	}
	r := parsers.Range{File: parsers.RelPath(env.WorkDir, abs)}
	if l := cfg.Lines[key]; l > 0 {
		r.Start, r.End = parsers.Pos{Line: l, Col: 1}, parsers.Pos{Line: l, Col: 1}
	}
	return r
}
