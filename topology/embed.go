package topology

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/appserver"
)

// Containers outside Kubernetes (a compose service, an image a Dockerfile
// builds) run nginx or httpd from files put into them by a bind mount or a
// COPY, as a pod runs them from ConfigMap entries. This is the API the
// source packages use for that; it shares the pod code's assembly, so an
// include resolves against what is in the container, and the image's
// stock configuration fills the rest, stated as an assumption.

// Container is a container whose server is read from the files put into
// it.
type Container struct {
	// Name words the container for messages ("service web of compose.yaml").
	Name string
	// Image is the image reference, and where it is written.
	Image      string
	ImageRange parsers.Range
	// Command is the entrypoint followed by the command.
	Command []appserver.Str
	// Files maps container paths to the linted files put there.
	Files map[string]*parsers.File
	// Whole are the container directories a directory is mounted onto as
	// a whole: they hide what the image has there.
	Whole []string
	// Ports the container is known to serve on (0 or more).
	Ports []int
	// Pod is the ID every hop running in this container shares
	// (Hop.Pods): its loopback address.
	Pod string
	// Private: the container's ports are reached only from its own
	// network (a compose service): its servers' listen ports are marked
	// so, and the container hop carries the ports a host publishes.
	Private bool
}

// Embedded is the server a container runs.
type Embedded struct {
	// Label names it ("nginx 1.25", "Apache httpd 2.4"); "" when the
	// container runs neither nginx nor httpd.
	Label string
	// Format is parsers.FormatNginx or parsers.FormatApache.
	Format parsers.Format
	// Servers are the servers that receive the container's traffic: the
	// hops a container hop links to Within.
	Servers []*Hop
	// KeepAlive is the container's idle timeout (the first server's).
	KeepAlive Duration
	Notes     []string
	// Read are the linted files the server reads: claimed by the source
	// (File.Consumed) so that they are not linted a second time alone.
	Read []*parsers.File
}

// Embedder builds the servers of containers; one per loader run, so that
// containers running the same files share their hops.
type Embedder struct {
	part *Graph
	env  *Env
	st   *podState
}

// NewEmbedder returns an Embedder writing into part.
func NewEmbedder(part *Graph, env *Env) *Embedder {
	return &Embedder{part: part, env: env, st: newPodState()}
}

// Reads tells, without building anything, which format's server the
// container runs and which of its files that server reads: what a
// preparer claims.
func Reads(c *Container) (parsers.Format, []*parsers.File) {
	format, files, _, _ := plan(c)
	var out []*parsers.File
	for _, p := range sortedPaths(files) {
		out = append(out, files[p])
	}
	return format, out
}

// plan finds the server a container runs and the files it reads, by
// container path.
func plan(c *Container) (parsers.Format, map[string]*parsers.File, nginxLayout, string) {
	name, _ := appserver.ImageName(c.Image)
	if name == "httpd" {
		files := filesUnder(c.Files, []string{apacheConfDir})
		if _, ok := files[apacheConfDir+"/httpd.conf"]; !ok {
			files = nil // the image's own httpd.conf decides what it reads
		}
		return parsers.FormatApache, files, nginxLayout{}, apacheConfDir + "/httpd.conf"
	}
	lay, ok := containerNginx(c)
	if !ok {
		return "", nil, nginxLayout{}, ""
	}
	files := filesUnder(c.Files, lay.mountDirs())
	if !readsAny(files, lay) {
		files = nil // the image's own configuration runs, reading none of them
	}
	return parsers.FormatNginx, files, lay, lay.main
}

// readsAny reports whether nginx reads any of the files: the main file
// is among them, or a server file where the stock main file includes
// them (podState.nginxHops assembles nothing otherwise).
func readsAny(files map[string]*parsers.File, lay nginxLayout) bool {
	if _, ok := files[lay.main]; ok {
		return true
	}
	for p := range files {
		if path.Dir(p) == lay.blocks && strings.HasSuffix(p, ".conf") {
			return true
		}
	}
	return false
}

// containerNginx tells whether a container runs nginx, as nginxRunner does
// for a pod's container.
func containerNginx(c *Container) (nginxLayout, bool) {
	var mounts []string
	for p := range c.Files {
		mounts = append(mounts, p)
	}
	mounts = append(mounts, c.Whole...)
	sort.Strings(mounts)
	lay, ok := nginxByImageAndMounts(c.Image, mounts, func(m string) string {
		return fmt.Sprintf("%s (image %s), which has a configuration at %s,", c.Name, c.Image, m)
	})
	return nginxCommand(appserver.Words(c.Command), lay, ok, func() nginxLayout {
		return otherLayout(c.Image, fmt.Sprintf("%s (image %s), whose command starts nginx,", c.Name, c.Image))
	})
}

// nginxCommand applies a command that starts nginx to what the image told:
// it makes an unknown image an nginx one, and its "-c FILE" makes FILE
// the main file and its directory the one relative includes start from.
func nginxCommand(words []appserver.Word, lay nginxLayout, ok bool, other func() nginxLayout) (nginxLayout, bool) {
	for i, wd := range words {
		base := path.Base(wd.Text)
		if base != "nginx" && base != "openresty" {
			continue
		}
		if !ok {
			lay, ok = other(), true
			if base == "openresty" {
				lay = openrestyLayout()
			}
		}
		for j := i + 1; j < len(words); j++ {
			if v, _, _, found := appserver.FlagValue(words, j, "", "-c"); found && path.IsAbs(v) {
				// No stock file: nginx reads this one or nothing.
				lay.main, lay.dir, lay.blocks = path.Clean(v), path.Dir(path.Clean(v)), ""
				lay.assumed = ""
				break
			}
		}
		break
	}
	return lay, ok
}

func filesUnder(files map[string]*parsers.File, dirs []string) map[string]*parsers.File {
	out := map[string]*parsers.File{}
	for p, f := range files {
		for _, d := range dirs {
			if under(p, d) {
				out[p] = f
				break
			}
		}
	}
	return out
}

func sortedPaths(files map[string]*parsers.File) []string {
	out := make([]string, 0, len(files))
	for p := range files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Embed builds the server a container runs from its files, or returns a
// zero Embedded when it runs neither nginx nor httpd.
func (e *Embedder) Embed(c *Container) Embedded {
	format, files, lay, main := plan(c)
	_, tag := appserver.ImageName(c.Image)
	switch format {
	case parsers.FormatApache:
		out := Embedded{Label: strings.TrimSpace("Apache httpd " + tag), Format: format}
		if len(files) == 0 {
			if len(filesUnder(c.Files, []string{apacheConfDir})) > 0 || wholeUnder(c.Whole, apacheConfDir) {
				out.Notes = []string{"files are put under " + apacheConfDir + ", but not httpd.conf: the image's own httpd.conf decides which of them httpd reads, so hoplint read none"}
				return out
			}
			src := &DefaultSource{Product: "Apache httpd", Version: "all versions", URL: apacheDoc}
			out.KeepAlive = DefaultFor("KeepAliveTimeout", 5*time.Second, c.ImageRange, src)
			out.KeepAlive.Note = "assuming the image's stock httpd.conf, which leaves KeepAliveTimeout at its default"
			return out
		}
		keys := map[string]embeddedKey{}
		for p, f := range files {
			keys[p] = embeddedKey{file: f}
		}
		hs := e.st.apacheHops(e.part, e.version("apache", c), keys, main)
		out.Read = readFiles(files)
		return e.pick(c, out, hs)
	case parsers.FormatNginx:
		label := "nginx"
		if lay.versioned && tag != "" {
			label += " " + tag
		} else if !officialNginx(imageRef(c.Image)) {
			label += " (image " + c.Image + ")"
		}
		out := Embedded{Label: label, Format: format}
		if len(files) == 0 {
			return out
		}
		keys := map[string]embeddedKey{}
		for p, f := range files {
			keys[p] = embeddedKey{file: f}
		}
		whole := map[string]bool{}
		for _, d := range c.Whole {
			for _, md := range lay.mountDirs() {
				if under(d, md) {
					whole[path.Clean(d)] = true
				}
			}
		}
		hs := e.st.nginxHops(e.part, e.version("nginx", c), whole, keys, lay)
		out.Read = readFiles(files)
		return e.pick(c, out, hs)
	}
	return Embedded{}
}

func wholeUnder(dirs []string, dir string) bool {
	for _, d := range dirs {
		if under(d, dir) {
			return true
		}
	}
	return false
}

func readFiles(files map[string]*parsers.File) []*parsers.File {
	var out []*parsers.File
	for _, p := range sortedPaths(files) {
		out = append(out, files[p])
	}
	return out
}

// pick marks the hops as running in the container and keeps the servers
// its traffic reaches: every server when it has one, else those listening
// on one of its ports.
func (e *Embedder) pick(c *Container, out Embedded, hops []*Hop) Embedded {
	for _, h := range configHopsIn(e.part, hops) {
		if c.Pod != "" && (len(h.Pods) == 0 || h.Pods[len(h.Pods)-1] != c.Pod) {
			h.Pods = append(h.Pods, c.Pod)
		}
		if c.Private {
			for i := range h.Listen {
				h.Listen[i].Private = true
			}
		}
	}
	var servers []*Hop
	for _, h := range hops {
		if h.Kind == KindNginxServer || h.Kind == KindApacheVHost {
			servers = append(servers, h)
		}
	}
	if len(servers) == 0 {
		return out
	}
	picks := servers[:1]
	if len(servers) > 1 && len(c.Ports) == 0 {
		// No port says which server the traffic reaches: the container
		// runs them all, and its keep-alive is known only when they
		// agree.
		out.Servers = servers
		out.KeepAlive = servers[0].KeepAlive
		for _, s := range servers[1:] {
			if !s.KeepAlive.Known() || s.KeepAlive.Value != out.KeepAlive.Value {
				out.KeepAlive = Duration{}
			}
		}
		return out
	}
	if len(servers) > 1 {
		picks = nil
		for _, s := range servers {
			for _, l := range s.Listen {
				for _, p := range c.Ports {
					if l.Port == p && !containsHop(picks, s) {
						picks = append(picks, s)
					}
				}
			}
		}
	}
	if len(picks) == 0 {
		out.Notes = append(out.Notes, "several servers in the configuration put into the container; none listens on a port it is known to serve on")
		return out
	}
	out.Servers, out.KeepAlive = picks, picks[0].KeepAlive
	return out
}

// version is the product version a container runs: .hoplint.yml wins
// over the image tag.
func (e *Embedder) version(product string, c *Container) imageVersion {
	if v := e.env.Config.Version(product); v != "" {
		return imageVersion{Version: v, From: "versions." + product + " in .hoplint.yml"}
	}
	if _, tag := appserver.ImageName(c.Image); tag != "" {
		return imageVersion{Version: tag, From: fmt.Sprintf("the image tag %s of %s", c.Image, c.Name), Image: true}
	}
	return imageVersion{}
}

// ImageBuild is what a Dockerfile in the tree builds into an image that
// the tree names elsewhere: a compose service with both image: and build:
// says that image is built from that Dockerfile, so a Kubernetes
// container running the same image runs what the Dockerfile says unless
// the manifest overrides it (command replaces ENTRYPOINT, args CMD).
type ImageBuild struct {
	// Dockerfile and Context are display paths.
	Dockerfile, Context string
	// From is the image the Dockerfile's stage starts from, and where.
	From      string
	FromRange parsers.Range
	// Entrypoint and Cmd of the stage (nil when it sets none).
	Entrypoint, Cmd []appserver.Str
	Env             map[string]appserver.Str
	// Files are the linted files COPY puts into the image, by path.
	Files map[string]*parsers.File
	// Mounts and Runs are the stage's COPY and ADD from the build context
	// and its RUN lines, as appserver.Process has them: where the app
	// server's own config files (php.ini, server.xml) come from.
	Mounts []appserver.Mount
	Runs   []appserver.Str
	// Why says how hoplint knows the image is built there.
	Why string
	// Container: the build is a container's (AddContainerBuild), whatever
	// image its file names; Why then says how it gets there.
	Container bool
}

type imageBuildsKey struct{}

type imageBuilds struct {
	mu sync.Mutex
	m  map[string]*ImageBuild
}

// AddImageBuild records that the image named ref (its tag is ignored) is
// built as b. Two different Dockerfiles for one name leave it unknown.
func (env *Env) AddImageBuild(ref string, b *ImageBuild) {
	ib := env.imageBuilds()
	ib.mu.Lock()
	defer ib.mu.Unlock()
	key := imageRef(ref)
	if old, ok := ib.m[key]; ok && (old == nil || old.Dockerfile != b.Dockerfile) {
		ib.m[key] = nil
		return
	}
	ib.m[key] = b
}

// SetImageBuild records that the image named ref is built as b, whatever
// AddImageBuild found: the configuration says so (images: in .hoplint.yml).
func (env *Env) SetImageBuild(ref string, b *ImageBuild) {
	ib := env.imageBuilds()
	ib.mu.Lock()
	defer ib.mu.Unlock()
	ib.m[imageRef(ref)] = b
}

// AddContainerBuild records that container name of the task-definition
// file (a display path) runs an image built as b, whatever image the file
// names: a CI workflow writes the image it built into that container
// (aws-actions/amazon-ecs-render-task-definition). Two different
// Dockerfiles for one container leave it unknown.
func (env *Env) AddContainerBuild(file, name string, b *ImageBuild) {
	ib := env.imageBuilds()
	ib.mu.Lock()
	defer ib.mu.Unlock()
	key := containerKey(file, name)
	if old, ok := ib.m[key]; ok && (old == nil || old.Dockerfile != b.Dockerfile || old.Context != b.Context) {
		ib.m[key] = nil
		return
	}
	ib.m[key] = b
}

// ContainerBuild returns the build AddContainerBuild recorded for the
// container, or nil.
func (env *Env) ContainerBuild(file, name string) *ImageBuild {
	if file == "" || name == "" {
		return nil
	}
	return env.recordedBuild(containerKey(file, name))
}

// ConfigNamesImage reports whether images: in .hoplint.yml names the
// image ref runs (its tag ignored).
func (env *Env) ConfigNamesImage(ref string) bool {
	if env.Config == nil || ref == "" {
		return false
	}
	for _, r := range env.Config.ImageRefs() {
		if imageRef(r) == imageRef(ref) {
			return true
		}
	}
	return false
}

// containerKey cannot be an image reference: those never hold a NUL.
func containerKey(file, name string) string { return "\x00" + file + "\x00" + name }

// imageBuilds is the run's record of image builds, made on first use.
func (env *Env) imageBuilds() *imageBuilds {
	v, _ := env.shared.LoadOrStore(imageBuildsKey{}, &imageBuilds{m: map[string]*ImageBuild{}})
	return v.(*imageBuilds)
}

// ImageBuild returns how the tree builds the image ref runs, or nil.
func (env *Env) ImageBuild(ref string) *ImageBuild {
	if ref == "" {
		return nil
	}
	return env.recordedBuild(imageRef(ref))
}

// recordedBuild is the build recorded under key, nil when none is (or
// before any build is recorded at all).
func (env *Env) recordedBuild(key string) *ImageBuild {
	v, ok := env.shared.Load(imageBuildsKey{})
	if !ok {
		return nil
	}
	ib := v.(*imageBuilds)
	ib.mu.Lock()
	defer ib.mu.Unlock()
	return ib.m[key]
}
