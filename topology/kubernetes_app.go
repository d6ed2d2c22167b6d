package topology

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology/appserver"
)

// KeepAliveAnnotation declares a keep-alive timeout that lives in
// application code (Node's server.keepAliveTimeout, Go's IdleTimeout),
// where hoplint cannot read it: hoplint.dev/keepalive-timeout: "65s".
const KeepAliveAnnotation = "hoplint.dev/keepalive-timeout"

const (
	apacheDoc = "https://httpd.apache.org/docs/2.4/mod/core.html#keepalivetimeout"
)

type appInfo struct {
	label     string
	keepAlive Duration
	heartbeat Duration
	notes     []string
	// The app server's own limits, as appserver.Info has them.
	bodyLimit      Size
	bodyRefusal    string
	requestTimeout Duration
}

// appLimits copies an app server's own limits into an appInfo.
func appLimits(a appInfo, info appserver.Info) appInfo {
	a.bodyLimit, a.bodyRefusal, a.requestTimeout = info.BodyLimit, info.BodyRefusal, info.RequestTimeout
	a.heartbeat = info.Heartbeat
	return a
}

// set puts the app server's limits on its container's hop.
func (a appInfo) set(h *Hop) {
	h.KeepAlive, h.BodyLimit, h.BodyRefusal, h.UpstreamTimeout = a.keepAlive, a.bodyLimit, a.bodyRefusal, a.requestTimeout
	h.Heartbeat = a.heartbeat
}

// appServer works out which HTTP server a container runs and its
// keep-alive timeout: from the keep-alive annotation, the command line,
// the environment, the image.
func (c *k8sCluster) appServer(w *kubernetes.Workload, ct *kubernetes.Container) appInfo {
	if a, ok := w.PodAnnotations.Lookup(KeepAliveAnnotation); ok && a.Set {
		return c.declaredKeepAlive(a)
	}
	if a, ok := w.Annotations.Lookup(KeepAliveAnnotation); ok && a.Set {
		return c.declaredKeepAlive(a)
	}
	env := map[string]appserver.Str{}
	for _, e := range ct.Env {
		if !e.FromRef && e.Value.Set {
			env[e.Name.Value] = appStr(e.Value)
		}
	}
	proc := appserver.Process{Image: appStr(ct.Image), Command: c.command(ct), Env: env, Version: c.env.Config.Version,
		Files: c.env.appFiles(w.File, "")}
	for _, m := range ct.VolumeMounts {
		// ConfigMaps, Secrets and volumes: not read as the app server's
		// own config files (php.ini, server.xml).
		proc.Opaque = append(proc.Opaque, m.MountPath)
	}
	image := ct.Image.Value
	var built []string
	if b := c.env.ImageBuild(ct.Image.Value); b != nil {
		// The tree builds this image: its Dockerfile's FROM, ENTRYPOINT,
		// CMD and ENV hold where the manifest says nothing.
		image = b.From
		proc.FromImage = appserver.Str{Value: b.From, Range: b.FromRange, Unknown: b.From == ""}
		proc.Dockerfile, proc.Context = b.Dockerfile, b.Context
		proc.Mounts, proc.Runs = b.Mounts, b.Runs
		for k, v := range b.Env {
			if _, set := env[k]; !set {
				env[k] = v
			}
		}
		built = []string{"assuming image " + ct.Image.Value + " is the one " + b.Why}
	}
	info := appserver.Identify(proc)
	if info.Label != "" {
		recordApp(c.part, info)
		return appLimits(appInfo{label: info.Label, keepAlive: info.KeepAlive, notes: append(built, info.Notes...)}, info)
	}
	c.part.AddProblems(info.Problems...) // a file too large to read, perhaps
	ai := c.imageServer(w, ct, image)
	if ai.label != "" {
		ai.notes = append(built, ai.notes...)
	}
	return ai
}

// command is what a container runs: its command (else the image's
// ENTRYPOINT) followed by its args (else the image's CMD, unless command
// is set), as Kubernetes combines them with the image's; the image's are
// known only when the tree builds it.
func (c *k8sCluster) command(ct *kubernetes.Container) []appserver.Str {
	b := c.env.ImageBuild(ct.Image.Value)
	if b == nil || len(ct.Command) > 0 {
		return processCommand(ct)
	}
	out := append([]appserver.Str(nil), b.Entrypoint...)
	if len(ct.Args) == 0 {
		return append(out, b.Cmd...)
	}
	for _, s := range ct.Args {
		out = append(out, appStr(s))
	}
	return out
}

// imageServer is the nginx or httpd an image runs, from its name and the
// files put into it.
func (c *k8sCluster) imageServer(w *kubernetes.Workload, ct *kubernetes.Container, image string) appInfo {
	name, tag := appserver.ImageName(image)
	switch name {
	case "httpd":
		label := strings.TrimSpace("Apache httpd " + tag)
		if ka, notes, ok := c.embeddedServer(w, ct, parsers.FormatApache, nginxLayout{}); ok {
			return appInfo{label: label, keepAlive: ka, notes: notes}
		}
		for _, m := range ct.VolumeMounts {
			if strings.HasPrefix(m.MountPath, apacheConfDir) {
				return appInfo{label: label} // configured from elsewhere
			}
		}
		src := &DefaultSource{Product: "Apache httpd", Version: "all versions", URL: apacheDoc}
		ka := DefaultFor("KeepAliveTimeout", 5*time.Second, ct.Image.Range, src)
		ka.Note = "assuming the image's stock httpd.conf, which leaves KeepAliveTimeout at its default"
		return appInfo{label: label, keepAlive: ka}
	}
	if lay, ok := c.nginxRunner(w, ct); ok {
		label := "nginx"
		if lay.versioned && tag != "" {
			label += " " + tag
		} else if !officialNginx(imageRef(image)) {
			label += " (image " + image + ")"
		}
		if ka, notes, ok := c.embeddedServer(w, ct, parsers.FormatNginx, lay); ok {
			return appInfo{label: label, keepAlive: ka, notes: notes}
		}
		return appInfo{label: label}
	}
	return appInfo{}
}

func (c *k8sCluster) declaredKeepAlive(a kubernetes.Str) appInfo {
	v := strings.TrimSpace(a.Value)
	d, err := time.ParseDuration(v)
	if err != nil {
		if n, e := strconv.Atoi(v); e == nil {
			d, err = time.Duration(n)*time.Second, nil
		}
	}
	if err != nil || d < 0 {
		c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: a.Range,
			Message: fmt.Sprintf("%s %q is not a duration; write it like \"65s\" or \"1m30s\"", KeepAliveAnnotation, a.Value)})
		return appInfo{}
	}
	return appInfo{label: "app server", keepAlive: SetAt(KeepAliveAnnotation, d, a.Range)}
}

func processCommand(ct *kubernetes.Container) []appserver.Str {
	items := make([]appserver.Str, 0, len(ct.Command)+len(ct.Args))
	for _, s := range append(append([]kubernetes.Str{}, ct.Command...), ct.Args...) {
		items = append(items, appStr(s))
	}
	return items
}

func appStr(s kubernetes.Str) appserver.Str {
	return appserver.Str{Value: s.Value, Range: s.Range, Unknown: s.Unknown}
}

// appFilesCache holds one appserver.Files view per linted root, so that
// the files an application's containers share are read and parsed once.
type appFilesCache struct {
	mu    sync.Mutex
	views map[string]*appserver.Files
}

// appFiles returns the view of the root that the file declaring a process
// (f, else the discovered file at slash path rel) was found under; nil
// when there is no root on disk.
func (env *Env) appFiles(f *parsers.File, rel string) *appserver.Files {
	if f == nil && rel != "" {
		f = env.All[filepath.Join(env.WorkDir, filepath.FromSlash(rel))]
	}
	root := env.WorkDir
	if f != nil && f.Root != "" {
		root = f.Root
	}
	if root == "" {
		return nil
	}
	env.apps.mu.Lock()
	defer env.apps.mu.Unlock()
	if env.apps.views == nil {
		env.apps.views = map[string]*appserver.Files{}
	}
	v := env.apps.views[root]
	if v == nil {
		v = appserver.NewFiles(root, env.WorkDir)
		env.apps.views[root] = v
	}
	return v
}

// recordApp puts what Identify read into the graph: the files findings
// may point into, their problems, and the server for the rules that look
// at the application itself.
func recordApp(g *Graph, info appserver.Info) {
	for _, f := range info.Sources {
		g.AddSource(f)
	}
	g.AddProblems(info.Problems...)
	if info.Node != nil {
		g.AddConfig(appserver.ConfigFormat, info.Node)
	}
}

// NodeServer is a Node.js server read from an application's code, as
// rules find it in Graph.Configs[AppServerFormat].
type NodeServer = appserver.NodeServer

// AppServerFormat keys the app servers read from code in Graph.Configs.
const AppServerFormat = appserver.ConfigFormat
