package topology

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/nginx"
	"github.com/hoplint/hoplint/topology/appserver"
)

// The nginx a pod runs: its configuration is the ConfigMap entries
// mounted under /etc/nginx, put together the way nginx reads them from the
// container's file system. An include names a path in the container, so
// it is resolved against the mounted entries, never against the linted
// tree; what no ConfigMap provides comes from the image.

// Where the images read their configuration (docs/facts/nginx.md, apache.md).
const (
	nginxImageDoc   = "https://hub.docker.com/_/nginx"
	bitnamiConfDir  = "/opt/bitnami/nginx/conf"
	bitnamiBlockDoc = "https://docs.bitnami.com/aws/apps/appsmith/configuration/create-vhost-nginx/"
	openrestyConf   = "/usr/local/openresty/nginx/conf"
)

// nginxLayout is where an nginx image reads its configuration: the main
// file, the directory its stock nginx.conf includes inside http {}, and
// whether that stock file is known (the official image's, with
// keepalive_timeout 65) or not (Bitnami's, OpenResty's, any other image's:
// its http level may set anything, so what the mounted files leave unset
// stays unknown).
type nginxLayout struct {
	dir, main, blocks string
	stockKnown        bool
	image             string
	// assumed says the layout is assumed for an image hoplint does not
	// know by name.
	assumed string
	// versioned: the image tag is the nginx version (the official,
	// unprivileged and Bitnami images). Another image's tag is its own
	// product's version (Harbor's, OpenResty's), never nginx's.
	versioned bool
}

// mountDirs are the container directories whose mounted ConfigMap entries
// nginx may read: the configuration directory and, where the stock file
// includes server blocks from elsewhere (OpenResty's /etc/nginx/conf.d),
// that directory too.
func (l nginxLayout) mountDirs() []string {
	if l.blocks == "" || strings.HasPrefix(l.blocks, l.dir+"/") {
		return []string{l.dir}
	}
	return []string{l.dir, path.Dir(l.blocks)}
}

func officialLayout() nginxLayout {
	return nginxLayout{dir: nginxConfDir, main: nginxConfDir + "/nginx.conf", blocks: nginxConfDir + "/conf.d", stockKnown: true, image: "official nginx", versioned: true}
}

func bitnamiLayout() nginxLayout {
	return nginxLayout{dir: bitnamiConfDir, main: bitnamiConfDir + "/nginx.conf", blocks: bitnamiConfDir + "/server_blocks", image: "Bitnami", versioned: true}
}

// openrestyLayout: the openresty/openresty images read
// /usr/local/openresty/nginx/conf/nginx.conf, whose http {} includes
// /etc/nginx/conf.d/*.conf (docs/facts/nginx-images.md).
func openrestyLayout() nginxLayout {
	return nginxLayout{dir: openrestyConf, main: openrestyConf + "/nginx.conf", blocks: nginxConfDir + "/conf.d", image: "OpenResty"}
}

// otherLayout is an image that runs nginx but is not one of the images
// above: it reads /etc/nginx/nginx.conf (nginx's usual path in packages),
// whose stock content hoplint does not know.
func otherLayout(image, why string) nginxLayout {
	return nginxLayout{dir: nginxConfDir, main: nginxConfDir + "/nginx.conf", blocks: nginxConfDir + "/conf.d", image: image,
		assumed: "assuming " + why + " runs nginx with its configuration in /etc/nginx"}
}

func layoutFor(image string) nginxLayout {
	ref := imageRef(image)
	if strings.HasSuffix(ref, "bitnami/nginx") {
		return bitnamiLayout()
	}
	l := officialLayout()
	if !officialNginx(ref) {
		l.assumed = "assuming " + image + " is built like the official nginx image (configuration in /etc/nginx, its stock nginx.conf)"
	}
	return l
}

// imageRef is an image reference without tag or digest.
func imageRef(image string) string {
	ref := image
	if i := strings.IndexAny(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return ref
}

// nginxImages are images that run nginx under another name, and how
// they lay out its configuration (docs/facts/nginx-images.md).
var nginxImages = map[string]string{
	"goharbor/nginx-photon":  "Harbor's nginx-photon",
	"goharbor/harbor-portal": "Harbor's portal",
}

// nginxRunner tells whether a container runs nginx, and where it reads its
// configuration: from the image's name (nginx, nginx-unprivileged,
// bitnami/nginx, openresty, Harbor's nginx images), else from a ConfigMap
// mounted where nginx reads its configuration (/etc/nginx,
// /usr/local/openresty/nginx/conf, /opt/bitnami/nginx/conf), else from a
// command that starts nginx ("nginx -g 'daemon off;'"). A command's
// "-c FILE" makes FILE the main file and its directory the one relative
// includes start from, as nginx does.
func (c *k8sCluster) nginxRunner(w *kubernetes.Workload, ct *kubernetes.Container) (nginxLayout, bool) {
	lay, ok := c.nginxByImage(w, ct)
	return nginxCommand(appserver.Words(c.command(ct)), lay, ok, func() nginxLayout {
		return otherLayout(ct.Image.Value, fmt.Sprintf("container %s (image %s), whose command starts nginx,", ct.Name.Value, ct.Image.Value))
	})
}

func (c *k8sCluster) nginxByImage(w *kubernetes.Workload, ct *kubernetes.Container) (nginxLayout, bool) {
	image, mounts := ct.Image.Value, configMapMounts(w, ct)
	if b := c.env.ImageBuild(image); b != nil {
		// The image the tree builds runs its base image's nginx, with
		// the files its Dockerfile copies in.
		image = b.From
		for p := range b.Files {
			mounts = append(mounts, p)
		}
		sort.Strings(mounts)
	}
	return nginxByImageAndMounts(image, mounts, func(m string) string {
		return fmt.Sprintf("container %s (image %s), which mounts a ConfigMap at %s,", ct.Name.Value, ct.Image.Value, m)
	})
}

// nginxByImageAndMounts tells an nginx image by its name, else by a
// configuration mounted where nginx reads it (mounts are container paths;
// mountedBy words the assumption for an unknown image with one there).
func nginxByImageAndMounts(image string, mounts []string, mountedBy func(m string) string) (nginxLayout, bool) {
	ref := imageRef(image)
	name, _ := appserver.ImageName(image)
	trimmed := ref
	if parts := strings.Split(ref, "/"); len(parts) > 2 && strings.ContainsAny(parts[0], ".:") {
		trimmed = strings.Join(parts[1:], "/") // a registry host
	}
	switch {
	case name == "nginx" || name == "nginx-unprivileged":
		return layoutFor(image), true
	case name == "openresty":
		return openrestyLayout(), true
	case nginxImages[trimmed] != "":
		return otherLayout(nginxImages[trimmed]+" image", nginxImages[trimmed]+" image "+image), true
	}
	for _, m := range mounts {
		switch {
		case under(m, bitnamiConfDir):
			return bitnamiLayout(), true
		case under(m, openrestyConf):
			return openrestyLayout(), true
		case under(m, nginxConfDir):
			return otherLayout(image, mountedBy(m)), true
		}
	}
	return nginxLayout{}, false
}

// configMapMounts are the container paths where ct mounts a ConfigMap.
func configMapMounts(w *kubernetes.Workload, ct *kubernetes.Container) []string {
	vols := map[string]bool{}
	for _, v := range w.Pod.Volumes {
		if v.ConfigMap != "" || len(v.Projected) > 0 {
			vols[v.Name] = true
		}
	}
	var out []string
	for _, m := range ct.VolumeMounts {
		if vols[m.Name] {
			out = append(out, path.Clean(m.MountPath))
		}
	}
	return out
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// officialNginx reports an image reference (without tag) of the official
// nginx image or its unprivileged variant, on Docker Hub or a mirror.
func officialNginx(ref string) bool {
	parts := strings.Split(ref, "/")
	if len(parts) > 1 && strings.ContainsAny(parts[0], ".:") {
		parts = parts[1:] // a registry host
	}
	switch strings.Join(parts, "/") {
	case "nginx", "library/nginx", "nginx/nginx", "nginxinc/nginx-unprivileged":
		return true
	}
	return false
}

// podState is what the pod code caches across the workloads of one run.
type podState struct {
	// parsed holds each ConfigMap entry parsed as nginx once.
	parsed map[embeddedKey]*nginx.File
	// assembled holds the hops of each set of mounted entries, so that
	// pods that mount the same ConfigMaps the same way share them.
	assembled map[string]*podAssembly
	// ids numbers the hop IDs of every configuration held in manifests,
	// so that two in one file do not share one.
	ids map[string]int
}

type podAssembly struct {
	servers []*Hop
	version string
}

// imageVersion is the product version a container runs and where hoplint
// read it: .hoplint.yml wins over the image tag; "latest", a tag without a
// version or no tag leave it unknown.
type imageVersion struct {
	Version string
	From    string
	// Image: read from the image tag, not from .hoplint.yml.
	Image bool
}

func (c *k8sCluster) imageVersion(product string, ct *kubernetes.Container) imageVersion {
	if v := c.env.Config.Version(product); v != "" {
		return imageVersion{Version: v, From: "versions." + product + " in .hoplint.yml"}
	}
	if b := c.env.ImageBuild(ct.Image.Value); b != nil {
		if _, tag := appserver.ImageName(b.From); tag != "" {
			return imageVersion{Version: tag, From: fmt.Sprintf("FROM %s in %s, which builds the image %s of container %s", b.From, b.Dockerfile, ct.Image.Value, ct.Name.Value), Image: true}
		}
		return imageVersion{}
	}
	if _, tag := appserver.ImageName(ct.Image.Value); tag != "" {
		return imageVersion{Version: tag, From: fmt.Sprintf("the image tag %s of container %s", ct.Image.Value, ct.Name.Value), Image: true}
	}
	return imageVersion{}
}

func (v imageVersion) words(product string) string {
	return fmt.Sprintf("%s %s (from %s)", product, v.Version, v.From)
}

// wholeMounts returns the directories under dir that a container mounts a
// whole ConfigMap on: they hide what the image has there.
func wholeMounts(w *kubernetes.Workload, ct *kubernetes.Container, dir string) map[string]bool {
	vols := map[string]bool{}
	for _, v := range w.Pod.Volumes {
		if v.ConfigMap != "" || len(v.Projected) > 0 {
			vols[v.Name] = true
		}
	}
	out := map[string]bool{}
	for _, m := range ct.VolumeMounts {
		if vols[m.Name] && m.SubPath == "" && (m.MountPath == dir || strings.HasPrefix(m.MountPath, dir+"/")) {
			out[path.Clean(m.MountPath)] = true
		}
	}
	return out
}

// podNginxHops builds the nginx configuration a container runs from the
// entries mounted under /etc/nginx (files maps container paths to them)
// and returns its servers. The main file is a mounted nginx.conf, or the
// image's stock one when only conf.d is mounted: it includes
// /etc/nginx/conf.d/*.conf inside http {} and sets keepalive_timeout 65.
func (c *k8sCluster) podNginxHops(w *kubernetes.Workload, ct *kubernetes.Container, files map[string]embeddedKey, lay nginxLayout) []*Hop {
	if c.pod == nil {
		c.pod = newPodState()
	}
	whole := map[string]bool{}
	for _, dir := range lay.mountDirs() {
		for d := range wholeMounts(w, ct, dir) {
			whole[d] = true
		}
	}
	return c.pod.nginxHops(c.part, c.imageVersion("nginx", ct), whole, files, lay)
}

// nginxHops builds the nginx configuration a container runs from the
// files put into it (files maps container paths to them; whole are the
// directories mounted as a whole, which hide what the image has there),
// for the version ver, and returns its servers. Each set of files is
// assembled once per run: containers that run the same files share the
// hops.
func (st *podState) nginxHops(part *Graph, ver imageVersion, whole map[string]bool, files map[string]embeddedKey, lay nginxLayout) []*Hop {
	if ver.Image && !lay.versioned {
		ver = imageVersion{} // the tag is another product's version
	}
	key := assemblyKey(files)
	if a, ok := st.assembled[key]; ok {
		if a.version != ver.Version && len(a.servers) > 0 {
			a.servers[0].Notes = appendOnce(a.servers[0].Notes, "workloads that mount this configuration run different nginx versions; "+a.version+" was assumed")
		}
		return a.servers
	}
	a := &podAssembly{version: ver.Version}
	st.assembled[key] = a
	p := &podNginx{part: part, st: st, files: files, whole: whole, lay: lay}
	if lay.assumed != "" {
		p.note(lay.assumed)
	}
	var main *nginx.File
	stock := false
	if e, ok := files[lay.main]; ok {
		pf := p.parse(e)
		main = &nginx.File{Src: pf.Src, Directives: p.splice(pf.Directives, nil), Comments: pf.Comments, Fragment: pf.Fragment}
	} else {
		first := ""
		for fp := range files {
			if path.Dir(fp) == lay.blocks && strings.HasSuffix(fp, ".conf") && (first == "" || fp < first) {
				first = fp
			}
		}
		if first == "" {
			return nil // nothing nginx reads: the image's own configuration runs
		}
		stock = true
		e := files[first]
		pf := p.parse(e)
		at := pf.Src.LineRange(1)
		if e.cm != nil {
			at = e.cm.Data.Get(e.key).Range
		}
		inc := &nginx.Directive{Name: "include", Args: []string{lay.blocks + "/*.conf"}, File: pf.Src, Range: at}
		block := p.splice([]*nginx.Directive{inc}, nil)
		if !lay.stockKnown {
			// The stock file's own http-level settings are not known:
			// stand for them with an include hoplint cannot read.
			stockInc := &nginx.Directive{Name: "include", Args: []string{lay.main}, File: pf.Src, Range: inc.Range, Unresolved: true}
			block = append([]*nginx.Directive{stockInc}, block...)
			p.unread = appendOnce(p.unread, "the "+lay.image+" image's stock "+lay.main+" sets http-level values hoplint does not know")
		}
		http := &nginx.Directive{Name: "http", IsBlock: true, File: pf.Src, Range: inc.Range, Block: block}
		main = &nginx.File{Src: pf.Src, Directives: []*nginx.Directive{http}}
		p.note(fmt.Sprintf("nginx reads the %s files in the container through the %s image's stock %s, which includes %s/*.conf inside http {}", path.Base(lay.blocks), lay.image, lay.main, lay.blocks))
	}
	cfg := nginx.Load(main, func(string) (*nginx.File, error) { return nil, fmt.Errorf("not in the linted tree") })
	var kept []parsers.Problem
	for _, pr := range cfg.Problems {
		if pr.Kind != parsers.ProblemUnfollowed {
			kept = append(kept, pr)
		}
	}
	cfg.Problems = kept
	cfg.Notes = append(cfg.Notes, p.notes...)
	a.servers = addNginxConfigVersion(part, cfg, ver, st.ids)
	if len(a.servers) == 0 && p.empty != nil {
		// Silence would read as "nothing wrong": say that the servers
		// are not in what the container is given.
		part.AddProblems(parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: p.empty.Range,
			Message: fmt.Sprintf("this nginx configuration defines no server, and include %s matched no file put into the container: its servers come from the image or are written when the container starts, so hoplint checked nothing in it. Put the server files into the container from the repository (a mount or COPY) to have them linted with it.", p.empty.Arg(0))})
	}
	for _, h := range configHopsIn(part, a.servers) {
		if sc := nginxScope(h.Config); sc != nil && sc.Opaque() {
			h.Notes = append(h.Notes, p.unread...)
		}
	}
	if stock && lay.stockKnown {
		for _, h := range configHopsIn(part, a.servers) {
			if h.Kind == KindNginxServer && h.KeepAlive.IsDefault() {
				// No level below http sets it: the stock file's value holds.
				src := &DefaultSource{Product: "nginx image (stock /etc/nginx/nginx.conf)", Version: "all versions", URL: nginxImageDoc}
				h.KeepAlive = DefaultFor("keepalive_timeout", 65*time.Second, h.KeepAlive.Range, src)
			}
		}
	}
	return a.servers
}

func assemblyKey(files map[string]embeddedKey) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		fmt.Fprintf(&b, "%s=%p/%s/%p\x00", p, files[p].cm, files[p].key, files[p].file)
	}
	return b.String()
}

func appendOnce(list []string, s string) []string {
	for _, o := range list {
		if o == s {
			return list
		}
	}
	return append(list, s)
}

// podNginx resolves the includes of one container's nginx configuration.
type podNginx struct {
	part  *Graph
	st    *podState
	files map[string]embeddedKey
	whole map[string]bool
	lay   nginxLayout
	stack []embeddedKey
	notes []string
	// unread are the notes of includes not followed, for the hops whose
	// levels hold one.
	unread []string
	// reads counts the files included, so that entries including each
	// other several times cannot multiply without bound.
	reads int
	// empty is the first include that matched no file in the container.
	empty *nginx.Directive
}

// maxPodIncludes caps the files one pod's configuration includes.
const maxPodIncludes = 2000

func (p *podNginx) note(s string) { p.notes = appendOnce(p.notes, s) }

// parse reads a ConfigMap entry as nginx once per run, reporting its
// problems the first time.
func (p *podNginx) parse(e embeddedKey) *nginx.File {
	if pf, ok := p.st.parsed[e]; ok {
		return pf
	}
	pf, ps := nginx.ParseFile(embeddedFile(e, parsers.FormatNginx))
	p.part.AddProblems(append(ps, nginx.Validate(pf)...)...)
	p.st.parsed[e] = pf
	return pf
}

// splice replaces each include with the directives of the mounted entries
// it names, at every level.
func (p *podNginx) splice(ds []*nginx.Directive, via []*nginx.Directive) []*nginx.Directive {
	out := make([]*nginx.Directive, 0, len(ds))
	for _, d := range ds {
		if d.Name == "include" && len(d.Args) == 1 && !d.IsBlock {
			out = append(out, p.include(d, via)...)
			continue
		}
		cp := *d
		if len(via) > 0 {
			cp.Via = via
		}
		if d.IsBlock {
			cp.Block = p.splice(d.Block, via)
		}
		out = append(out, &cp)
	}
	return out
}

func (p *podNginx) include(d *nginx.Directive, via []*nginx.Directive) []*nginx.Directive {
	pattern := d.Args[0]
	unresolved := func(why string) []*nginx.Directive {
		p.unread = appendOnce(p.unread, "include "+pattern+" "+why+", so the settings it holds are unknown")
		cp := *d
		cp.Via, cp.Unresolved = via, true
		return []*nginx.Directive{&cp}
	}
	if strings.Contains(pattern, "$") {
		return unresolved("uses a variable, which nginx does not expand there")
	}
	abs := path.Clean(pattern)
	if !path.IsAbs(abs) {
		abs = path.Join(p.lay.dir, abs)
	}
	var matches []string
	for fp := range p.files {
		if ok, _ := path.Match(abs, fp); ok {
			matches = append(matches, fp)
		}
	}
	sort.Strings(matches) // nginx reads glob matches in alphabetical order
	if len(matches) == 0 {
		if p.empty == nil && !contentOnlyStock(path.Base(abs)) {
			p.empty = d
		}
		switch {
		case contentOnlyStock(path.Base(abs)):
			return nil // MIME types and CGI parameters from the image
		case strings.ContainsAny(abs, "*?[") && p.whole[path.Dir(abs)]:
			return nil // the mounted directory holds nothing that matches
		case strings.ContainsAny(abs, "*?[") && path.Dir(abs) == p.lay.blocks && p.lay.stockKnown:
			p.note("the image's stock " + p.lay.blocks + "/default.conf (a static server on port 80) is not mounted over and was not read")
			return nil
		}
		return unresolved("names a file that no mounted ConfigMap provides (it comes from the image, or is missing)")
	}
	chain := append(append([]*nginx.Directive(nil), via...), d)
	var out []*nginx.Directive
	for _, m := range matches {
		e := p.files[m]
		cycle := false
		for _, s := range p.stack {
			cycle = cycle || s == e
		}
		if cycle {
			p.part.AddProblems(parsers.Problem{Kind: parsers.ProblemParse, Range: d.Range,
				Message: "include " + pattern + " includes " + m + " again from inside itself; nginx would fail to start"})
			continue
		}
		if p.reads++; p.reads > maxPodIncludes {
			if p.reads == maxPodIncludes+1 {
				p.part.AddProblems(parsers.Problem{Kind: parsers.ProblemParse, Range: d.Range,
					Message: fmt.Sprintf("include %s: more than %d files included in one configuration; hoplint stopped reading includes", pattern, maxPodIncludes)})
			}
			return append(out, unresolved("was not read: more than 2000 files are included")...)
		}
		p.stack = append(p.stack, e)
		out = append(out, p.splice(p.parse(e).Directives, chain)...)
		p.stack = p.stack[:len(p.stack)-1]
	}
	return out
}

// contentOnlyStock names the files every nginx image ships in /etc/nginx
// that hold only MIME types, CGI parameters or charset maps.
func contentOnlyStock(base string) bool {
	switch base {
	case "mime.types", "fastcgi_params", "fastcgi.conf", "uwsgi_params", "scgi_params", "koi-utf", "koi-win", "win-utf":
		return true
	}
	return false
}

// markPod records that the hops of a configuration (and every hop inside
// them) run in w's pod, whose loopback address they share.
func (c *k8sCluster) markPod(w *kubernetes.Workload, servers []*Hop) {
	pod := hopID(&w.Object, "")
	for _, h := range c.configHops(servers) {
		if len(h.Pods) == 0 || h.Pods[len(h.Pods)-1] != pod {
			h.Pods = append(h.Pods, pod)
		}
	}
}

// podApacheHops reads the httpd.conf a container mounts, with its
// Includes resolved against the other mounted entries, for the httpd
// version of its image, and returns its servers. Without a mounted
// httpd.conf the image's own runs: hoplint does not know which of the
// mounted files it includes, so it reads none (the container says so).
func (c *k8sCluster) podApacheHops(w *kubernetes.Workload, ct *kubernetes.Container, files map[string]embeddedKey, main string) ([]*Hop, []string) {
	_, ok := files[main]
	if !ok {
		return nil, []string{"files are mounted under " + apacheConfDir + ", but not httpd.conf: the image's own httpd.conf decides which of them httpd reads, so hoplint read none"}
	}
	if c.pod == nil {
		c.pod = newPodState()
	}
	hs := c.pod.apacheHops(c.part, c.imageVersion("apache", ct), files, main)
	c.markPod(w, hs)
	return hs, nil
}

// apacheHops builds the httpd configuration a container runs from the
// files put into it, main among them, once per set of files.
func (st *podState) apacheHops(part *Graph, ver imageVersion, files map[string]embeddedKey, main string) []*Hop {
	key := "apache\x00" + assemblyKey(files)
	if a, ok := st.assembled[key]; ok {
		return a.servers
	}
	mounted := map[string]*parsers.File{}
	for p, k := range files {
		f := embeddedFile(k, parsers.FormatApache)
		// Entries of one manifest share its path; the container path
		// tells them apart for include cycles.
		f.Abs += "#" + p
		mounted[p] = f
	}
	cfg := apache.Parse(mounted[main], apache.Options{Version: ver.Version, Mounted: mounted, MountRoot: path.Dir(apacheConfDir)})
	addApacheConfig(part, cfg, map[string]bool{})
	hs := buildApacheHops(part, cfg, ver.Version, st.ids)
	if ver.Version != "" {
		for _, h := range configHopsIn(part, hs) {
			h.Notes = appendOnce(h.Notes, "assuming "+ver.words("httpd"))
		}
	}
	st.assembled[key] = &podAssembly{servers: hs, version: ver.Version}
	return hs
}

// nginxScope is the configuration level behind an nginx hop.
func nginxScope(c any) *nginx.Scope {
	switch c := c.(type) {
	case *nginx.Server:
		return c.Scope
	case *nginx.Location:
		return c.Scope
	case *nginx.Upstream:
		return c.Scope
	}
	return nil
}

// podHops says which hops run inside which container, for `hoplint graph`:
// the servers of the configuration a container runs, their locations, and
// the upstreams and proxy pools those reach. under names the first
// container (in graph order) each is shown under.
type podHops struct {
	parts map[*Hop][]*Hop
	under map[*Hop]*Hop
}

func podInner(g *Graph) podHops {
	out := podHops{parts: map[*Hop][]*Hop{}, under: map[*Hop]*Hop{}}
	for _, c := range g.Hops {
		// A container: a pod's, a compose service's, an image's.
		if c.Kind != KindAppServer {
			continue
		}
		var servers []*Hop
		for _, e := range g.Out(c) {
			if e.Within {
				servers = append(servers, e.To)
			}
		}
		if len(servers) == 0 {
			continue
		}
		seen := map[*Hop]bool{c: true}
		var list []*Hop
		// Every server of the configuration runs in the container, not
		// only the one its port reaches: start from all hops sharing the
		// configuration's pods and file with the reached server.
		for _, s := range servers {
			for _, h := range g.Hops {
				if h.File == s.File && h.SharesPod(c) && !seen[h] && configKind(h.Kind) {
					seen[h] = true
					list = append(list, h)
				}
			}
		}
		out.parts[c] = list
		for _, h := range list {
			if out.under[h] == nil {
				out.under[h] = c
			}
		}
	}
	return out
}

func configKind(k HopKind) bool {
	switch k {
	case KindNginxServer, KindNginxLocation, KindNginxUpstream, KindApacheVHost, KindApacheBackend:
		return true
	}
	return false
}

func newPodState() *podState {
	return &podState{parsed: map[embeddedKey]*nginx.File{}, assembled: map[string]*podAssembly{}, ids: map[string]int{}}
}
