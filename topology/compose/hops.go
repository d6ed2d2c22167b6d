package compose

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/dockerfile"
	"github.com/hoplint/hoplint/topology"
	"github.com/hoplint/hoplint/topology/appserver"
)

// loadCompose makes a hop of every service of every project the preparer
// loaded.
func loadCompose(part *topology.Graph, _ []*parsers.File, env *topology.Env) {
	st := planOf(env)
	if st == nil {
		return
	}
	emb := topology.NewEmbedder(part, env)
	for _, pr := range st.projects {
		p := pr.p
		part.AddProblems(p.Problems...)
		for file, cs := range p.Comments {
			part.AddComments(file, cs)
		}
		for _, f := range p.EnvFiles {
			part.AddSource(f)
		}
		if p.NotCompose != nil {
			part.AddProblems(parsers.Problem{Kind: parsers.ProblemSkipped, Range: p.NotCompose.Range,
				Message: "this file is named like a docker-compose file but is not one (" + p.NotCompose.Reason + "), so hoplint does not lint it"})
			continue
		}
		for _, df := range pr.readDockerfiles {
			reportDockerfile(part, df)
		}
		for _, sv := range pr.services {
			serviceHop(part, emb, sv, env)
		}
		labelProxies(part, pr, env)
	}
}

// loadDockerfiles reports what is wrong in the discovered Dockerfiles and
// makes a hop of the image each builds that no compose project runs, when
// hoplint can tell what server it runs.
func loadDockerfiles(part *topology.Graph, files []*parsers.File, env *topology.Env) {
	st := planOf(env)
	if st == nil {
		return
	}
	for _, f := range files {
		if df := st.dockerfiles[f.Abs]; df != nil {
			reportDockerfile(part, df)
		}
	}
	emb := topology.NewEmbedder(part, env)
	for _, im := range st.images {
		imageHop(part, emb, im, env)
	}
}

func reportDockerfile(part *topology.Graph, df *dockerfile.Dockerfile) {
	part.AddProblems(df.Problems...)
	part.AddComments(df.File.Path, df.Comments)
	part.AddSource(df.File)
}

// server is what a container runs: the nginx or httpd its files
// configure, else the app server its command line or image names.
type server struct {
	label     string
	keepAlive topology.Duration
	heartbeat topology.Duration
	notes     []string
	within    []*topology.Hop
	// The app server's own limits (topology/appserver.Info).
	bodyLimit      topology.Size
	bodyRefusal    string
	requestTimeout topology.Duration
}

// setApp puts an app server's own limits on its container's hop.
func (s server) setApp(h *topology.Hop) {
	h.BodyLimit, h.BodyRefusal, h.UpstreamTimeout = s.bodyLimit, s.bodyRefusal, s.requestTimeout
}

func run(part *topology.Graph, emb *topology.Embedder, ct *topology.Container, proc appserver.Process) server {
	if e := emb.Embed(ct); e.Label != "" {
		return server{label: e.Label, keepAlive: e.KeepAlive, notes: e.Notes, within: e.Servers}
	}
	info := appserver.Identify(proc)
	if info.Label != "" || len(info.Problems) > 0 {
		topology.RecordApp(part, info)
	}
	return server{label: info.Label, keepAlive: info.KeepAlive, heartbeat: info.Heartbeat, notes: info.Notes,
		bodyLimit: info.BodyLimit, bodyRefusal: info.BodyRefusal, requestTimeout: info.RequestTimeout}
}

func serviceHop(part *topology.Graph, emb *topology.Embedder, sv *service, env *topology.Env) {
	s := sv.s
	sv.ct.Private = true
	df := ""
	if sv.df != nil {
		df = sv.df.File.Path
	}
	proc := appserver.Process{
		Image:   appserver.Str{Value: sv.ct.Image, Range: sv.ct.ImageRange, Unknown: sv.ct.Image == ""},
		Command: sv.ct.Command, Env: sv.env, Version: env.Config.Version,
		Context: sv.context, Dockerfile: df,
	}
	if sv.stage != nil {
		// The image is the repository's own: its name says nothing of
		// the runtime; the Dockerfile's FROM does.
		proc.FromImage = proc.Image
		if s.Image.Set && s.Image.Known {
			proc.Image = appserver.Str{Value: s.Image.Value, Range: s.Image.Range}
		}
	}
	if len(sv.project.Files) > 0 {
		proc.Files = env.AppFiles(sv.project.Files[0], "")
	}
	proc.Mounts, proc.Runs, proc.Opaque = appMounts(sv, env)
	srv := run(part, emb, &sv.ct, proc)
	h := &topology.Hop{
		ID: sv.id, Kind: topology.KindAppServer, File: sv.file, Range: s.Range,
		Config:    &Service{Project: sv.project, Service: s, Stage: sv.stage, Command: sv.ct.Command, Env: sv.env},
		Pods:      []string{sv.id},
		KeepAlive: srv.keepAlive,
		Heartbeat: srv.heartbeat,
		Notes:     append(append([]string(nil), sv.notes...), srv.notes...),
	}
	srv.setApp(h)
	h.Name = "compose service " + s.Name
	if srv.label != "" {
		h.Name = srv.label + " in compose service " + s.Name
	}
	for _, p := range s.Ports {
		if !p.Known || p.Target == 0 {
			continue
		}
		h.Listen = append(h.Listen, topology.Listen{Port: int(p.Target), Range: p.Range, Private: true})
		if n, err := strconv.Atoi(p.Published); err == nil && n > 0 {
			// The host's port: what a load balancer in front of the
			// host, or a proxy on it, reaches.
			h.Listen = append(h.Listen, topology.Listen{Host: p.HostIP, Port: n, Range: p.Range})
		}
	}
	for _, e := range s.Expose {
		if n, ok := portNumber(e.Value); ok && e.Known {
			h.Listen = append(h.Listen, topology.Listen{Port: n, Range: e.Range, Private: true})
		}
	}
	if sv.stage != nil {
		for _, e := range sv.stage.Expose {
			if n, ok := portNumber(e.Value); ok && e.Known {
				h.Listen = append(h.Listen, topology.Listen{Port: n, Range: e.Range, Private: true})
			}
		}
	}
	h.Listen = dedupe(h.Listen)
	part.AddHop(h)
	within(part, h, srv.within)
}

// dedupe keeps the first of listens on one port with the same reach (a
// port both exposed and published, or EXPOSEd by the Dockerfile too).
func dedupe(ls []topology.Listen) []topology.Listen {
	type key struct {
		host    string
		port    int
		private bool
	}
	seen := map[key]bool{}
	out := ls[:0]
	for _, l := range ls {
		k := key{l.Host, l.Port, l.Private}
		if !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}

func imageHop(part *topology.Graph, emb *topology.Embedder, im *image, env *topology.Env) {
	from := appserver.Str{Value: im.ct.Image, Range: im.ct.ImageRange, Unknown: im.ct.Image == ""}
	ctx := parsers.RelPath(env.WorkDir, dirOf(im.df.File.Abs))
	mounts, runs := stageMounts(im.stage, ctx)
	srv := run(part, emb, &im.ct, appserver.Process{
		Image: from, FromImage: from,
		Command: im.ct.Command, Env: im.env, Version: env.Config.Version,
		Context: ctx, Dockerfile: im.df.File.Path,
		Files: env.AppFiles(im.df.File, ""), Mounts: mounts, Runs: runs,
	})
	if srv.label == "" {
		return // nothing hoplint can tell about it, and nothing links to it
	}
	h := &topology.Hop{
		ID: im.id, Kind: topology.KindAppServer, File: im.df.File.Path, Range: im.stage.Range,
		Name:      fmt.Sprintf("%s in the image %s builds", srv.label, im.df.File.Path),
		Config:    &Image{Dockerfile: im.df, Stage: im.stage},
		Pods:      []string{im.id},
		KeepAlive: srv.keepAlive,
		Heartbeat: srv.heartbeat,
		Notes:     append(append([]string(nil), im.notes...), srv.notes...),
	}
	srv.setApp(h)
	for _, e := range im.stage.Expose {
		if n, ok := portNumber(e.Value); ok && e.Known {
			h.Listen = append(h.Listen, topology.Listen{Port: n, Range: e.Range, Private: true})
		}
	}
	part.AddHop(h)
	within(part, h, srv.within)
}

// within links a container to the servers its configuration runs: their
// locations' timeouts and limits are the container's.
func within(part *topology.Graph, h *topology.Hop, servers []*topology.Hop) {
	for _, s := range servers {
		part.Link(&topology.Edge{From: h, To: s, Within: true, Confidence: topology.Reference, Range: s.Range,
			Why: s.Name + " is the configuration " + h.Name + " runs"})
	}
}

func dirOf(abs string) string { return filepath.Dir(abs) }

// appMounts lists what a service's container has from the tree, for its
// app server's own config files (php.ini, php-fpm pools): the
// Dockerfile's COPY and ADD from the build context, then the bind mounts
// and file configs; the Dockerfile's RUN lines; and the targets of the
// mounts hoplint does not read (named volumes, tmpfs, binds from outside
// the tree, configs that are no file of the tree). Unlike the files
// put into topology.Container, these need not be files hoplint lints.
func appMounts(sv *service, env *topology.Env) (mounts []appserver.Mount, runs []appserver.Str, opaque []string) {
	if sv.stage != nil && sv.context != "" {
		mounts, runs = stageMounts(sv.stage, sv.context)
	}
	for _, m := range sv.s.Volumes {
		if m.Type != "bind" || m.SourcePath == "" || !m.Known || m.Outside {
			if m.Target != "" {
				opaque = append(opaque, path.Clean(m.Target))
			}
			continue
		}
		mounts = append(mounts, appserver.Mount{Target: path.Clean(m.Target), Source: parsers.RelPath(env.WorkDir, m.SourcePath), Range: m.Range})
	}
	for _, c := range sv.s.Configs {
		if c.Config != nil && c.Config.FilePath != "" && !c.Config.Outside {
			mounts = append(mounts, appserver.Mount{Target: path.Clean(c.Target), Source: parsers.RelPath(env.WorkDir, c.Config.FilePath), Range: c.Range})
		} else if c.Target != "" {
			opaque = append(opaque, path.Clean(c.Target))
		}
	}
	return mounts, runs, opaque
}

// stageMounts lists a stage's COPY and ADD from the build context ctx (a
// slash path like appserver.Process.Context), its base stages' first,
// and its RUN instructions.
func stageMounts(s *dockerfile.Stage, ctx string) ([]appserver.Mount, []appserver.Str) {
	chain := stageChain(s)
	var mounts []appserver.Mount
	var runs []appserver.Str
	stock := stockDirs(s)
	filled := func(dir string) bool {
		for _, m := range mounts {
			if strings.HasPrefix(m.Target, dir+"/") || m.Into && m.Target == dir {
				return true
			}
		}
		return false
	}
	for _, c := range chain {
		workdir := "/"
		if c.Workdir != nil && c.Workdir.Known {
			workdir = c.Workdir.Value
		}
		for _, cp := range c.Copies {
			if cp.Heredoc || cp.From != "" {
				continue
			}
			dest := cp.Dest
			if !cp.Known {
				// A variable the Dockerfile does not set (an image's
				// own, like CATALINA_HOME): the destination as written,
				// which the app server may know; a source with one is
				// not followed.
				dest = rawDest(c, cp)
			}
			if !path.IsAbs(dest) && !strings.HasPrefix(dest, "$") {
				dest = path.Join(workdir, dest)
			}
			intoDir := copiesInto(cp, dest, workdir, stock, filled)
			for _, src := range cp.Sources {
				if strings.ContainsAny(src, "*?[$") || strings.HasPrefix(path.Clean(src), "..") {
					continue
				}
				mounts = append(mounts, appserver.Mount{Target: path.Clean(dest), Source: path.Join(ctx, src), Into: intoDir, Range: cp.Range})
			}
		}
		for _, in := range c.Instructions {
			if in.Cmd == "run" {
				runs = append(runs, appserver.Str{Value: in.Original, Range: in.Range})
			}
		}
	}
	return mounts, runs
}

// rawDest is a COPY's destination as written, variables unexpanded.
func rawDest(s *dockerfile.Stage, cp dockerfile.Copy) string {
	for _, in := range s.Instructions {
		if in.Range == cp.Range {
			ws := appserver.ShellFields(in.Original)
			if len(ws) > 1 {
				return ws[len(ws)-1]
			}
		}
	}
	return "$"
}
