package compose

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/dockerfile"
	"github.com/hoplint/hoplint/topology"
	"github.com/hoplint/hoplint/topology/appserver"
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
	// One build per Dockerfile and target, whatever number of images name
	// it: a COPY of a large directory is walked once, not once per entry.
	// A Dockerfile or stage that cannot be used is found once too
	// (unusable), and said at every entry that names it.
	builds := map[string]*topology.ImageBuild{}
	unusable := map[string]string{}
	for _, ref := range refs {
		entry := cfg.Images[ref]
		rel := entry.Dockerfile
		abs := filepath.Clean(filepath.Join(dir, filepath.FromSlash(rel)))
		key := abs + "\x00" + strings.ToLower(entry.Target)
		if b := builds[key]; b != nil {
			env.SetImageBuild(ref, b)
			continue
		}
		why, seen := unusable[key]
		var stage *dockerfile.Stage
		df := st.dockerfiles[abs]
		if !seen {
			switch {
			case df == nil || !st.discovered[abs]:
				why = fmt.Sprintf("names the Dockerfile %s, which is not among the linted files", rel)
			default:
				if stage = df.Target(entry.Target); stage == nil && entry.Target != "" {
					why = fmt.Sprintf("names the build target %s, which is no stage of %s", entry.Target, df.File.Path)
				}
			}
		}
		if stage == nil {
			unusable[key] = why
			if why != "" { // else a Dockerfile with no stage: its own problems say why
				st.problems = append(st.problems, parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: configRange(env, "images."+ref),
					Message: fmt.Sprintf("images: %s %s, so containers running %s are linted without it: their command and server are unknown unless they set them", ref, why, ref)})
			}
			continue
		}
		ctxDir := filepath.Dir(abs)
		ctx := parsers.RelPath(env.WorkDir, ctxDir)
		ct := topology.Container{Files: map[string]*parsers.File{}}
		st.copies(&ct, stage, ctxDir, env)
		b := &topology.ImageBuild{
			Dockerfile: df.File.Path, Context: ctx,
			Entrypoint: dfCommand(stage.Entrypoint), Cmd: dfCommand(stage.Cmd),
			Env: map[string]appserver.Str{}, Files: ct.Files,
			Why: fmt.Sprintf("built from %s, as images: in .hoplint.yml says (with %s as its build context)", df.File.Path, ctx),
		}
		if entry.Target != "" {
			b.Why = fmt.Sprintf("built from stage %s of %s, as images: in .hoplint.yml says (with %s as its build context)", stage.Name, df.File.Path, ctx)
		}
		b.From, b.FromRange = stageImage(stage)
		b.Mounts, b.Runs = stageMounts(stage, ctx)
		for k, v := range stage.EnvMap() {
			if v.Known {
				b.Env[k] = appserver.Str{Value: v.Value, Range: v.Range}
			}
		}
		builds[key] = b
		env.SetImageBuild(ref, b)
	}
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
