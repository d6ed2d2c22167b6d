package compose

import (
	"crypto/sha1"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
	"github.com/hoplint/hoplint/parsers/nginx"
	"github.com/hoplint/hoplint/topology"
	"github.com/hoplint/hoplint/topology/appserver"
	"github.com/hoplint/hoplint/topology/setting"
)

// nginx-proxy (docs/facts/nginx-proxy.md) watches the Docker containers and
// renders, from its nginx.tmpl, one nginx virtual host per VIRTUAL_HOST a
// container's environment names, with an upstream of the containers
// behind it. hoplint cannot render the template; it knows what the
// template writes (the upstream's keepalive, no keepalive_timeout, no
// client_max_body_size) and reads the files the template includes from
// /etc/nginx/vhost.d and /etc/nginx/conf.d.

const (
	nginxProxyDoc       = "https://github.com/nginx-proxy/nginx-proxy/blob/main/docs/README.md"
	nginxUpstreamKADoc  = "https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive_timeout"
	nginxBodySizeDoc    = "https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size"
	nginxProxyKeepalive = "com.github.nginx-proxy.nginx-proxy.keepalive"
	// nginxProxyLoadbalance's text is written into the upstream block as
	// it is (nginx.tmpl), so it may set the pool's keepalive_timeout.
	nginxProxyLoadbalance = "com.github.nginx-proxy.nginx-proxy.loadbalance"
)

// NginxProxyVHost is the typed object behind a KindNginxProxy hop.
type NginxProxyVHost struct {
	Project *compose.Project
	Proxy   *compose.Service
	Service *compose.Service
	// Hosts are the names VIRTUAL_HOST lists (nil when its value is
	// unknown).
	Hosts []string
}

// nginxProxy is one compose service running nginx-proxy.
type nginxProxy struct {
	sv      *service
	hop     *topology.Hop
	image   string
	version []int
	// latest: the tag names no version (latest, alpine): the newest
	// release, stated as an assumption.
	latest bool
	root   string
	env    *topology.Env
	part   *topology.Graph
	read   map[string]*nginx.File
	// confs caches confD: the same for every virtual host.
	confs   []*nginx.File
	confsOK bool
	confsIn bool
}

// nginxProxyImage tells whether an image reference is nginx-proxy's, and
// whether it is the current repository (nginxproxy/, not jwilder/).
func nginxProxyImage(ref string) (bool, bool) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	parts := strings.Split(ref, "/")
	if len(parts) > 2 && strings.ContainsAny(parts[0], ".:") {
		parts = parts[1:] // a registry host
	}
	switch strings.Join(parts, "/") {
	case "nginxproxy/nginx-proxy":
		return true, true
	case "jwilder/nginx-proxy":
		return true, false
	}
	return false, false
}

func nginxProxyRoutes(part *topology.Graph, pr *project, env *topology.Env) {
	for _, sv := range pr.services {
		ok, current := nginxProxyImage(sv.ct.Image)
		if !ok {
			continue
		}
		h := part.Hop(sv.id)
		if h == nil {
			continue
		}
		_, tag := appserver.ImageName(sv.ct.Image)
		np := &nginxProxy{sv: sv, hop: h, image: sv.ct.Image, root: pr.p.Files[0].Root, env: env, part: part, read: map[string]*nginx.File{}}
		np.version, _ = setting.VersionParts(tag)
		np.latest = tag == "" && current
		if h.Name == "compose service "+sv.s.Name {
			label := "nginx-proxy"
			if tag != "" {
				label += " " + tag
			}
			h.Name = label + " in compose service " + sv.s.Name
		}
		for _, t := range pr.services {
			if t != sv {
				np.route(pr, t)
			}
		}
	}
}

func (np *nginxProxy) route(pr *project, t *service) {
	vh, ok := t.s.Environment["VIRTUAL_HOST"]
	if !ok {
		return
	}
	to := np.part.Hop(t.id)
	if to == nil || !sharesNetwork(np.hop, to) {
		return // nginx-proxy reaches a container only on a network both join
	}
	var hosts []string
	if vh.Known {
		for _, host := range strings.Split(vh.Value, ",") {
			if host = strings.TrimSpace(host); host != "" {
				hosts = append(hosts, host)
			}
		}
		if len(hosts) == 0 {
			return
		}
	}
	_, portWhy := np.port(t)
	name := "nginx-proxy virtual host for compose service " + t.s.Name
	if len(hosts) > 0 {
		name = "nginx-proxy virtual host " + strings.Join(hosts, ", ") + " for compose service " + t.s.Name
	}
	h := &topology.Hop{
		ID: t.id + "/nginx-proxy/" + np.sv.s.Name, Kind: topology.KindNginxProxy, Name: name,
		File: vh.Range.File, Range: vh.Range, Proxy: vh.Range,
		Config: &NginxProxyVHost{Project: pr.p, Proxy: np.sv.s, Service: t.s, Hosts: hosts},
		Pods:   []string{np.hop.ID},
	}
	h.PoolIdle = np.pool(t, vh.Range)
	h.BodyLimit = np.bodyLimit(t, hosts, vh.Range)
	np.part.AddHop(h)
	np.part.Link(&topology.Edge{From: np.hop, To: h, Within: true, Confidence: topology.Reference, Range: vh.Range,
		Why: fmt.Sprintf("the VIRTUAL_HOST of compose service %s makes a virtual host of %s", t.s.Name, np.hop.Name)})
	np.part.Link(&topology.Edge{From: h, To: to, Confidence: topology.Reference, Range: vh.Range,
		Why: fmt.Sprintf("nginx-proxy sends to compose service %s, which sets VIRTUAL_HOST%s", t.s.Name, portWhy)})
}

// port is the container port nginx-proxy sends to: VIRTUAL_PORT, else the
// single port the container exposes, else 80.
func (np *nginxProxy) port(t *service) (int, string) {
	if v, ok := t.s.Environment["VIRTUAL_PORT"]; ok && v.Known {
		if p, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil && p > 0 {
			return p, fmt.Sprintf(", on port %d (VIRTUAL_PORT)", p)
		}
		return 0, ""
	}
	ports := map[int]bool{}
	for _, p := range t.ct.Ports {
		ports[p] = true
	}
	if len(ports) == 1 {
		for p := range ports {
			return p, fmt.Sprintf(", on port %d (the one port it exposes)", p)
		}
	}
	return 0, ""
}

// pool is the idle timeout of the upstream pool nginx-proxy's template
// gives the service: keepalive on by default since 1.7.0 ("auto", twice
// the servers), on with a count from the label since 1.3.0, off with
// "disabled"; the template sets no keepalive_timeout, so nginx's 60 s.
func (np *nginxProxy) pool(t *service, obj parsers.Range) topology.Duration {
	const name = "upstream keepalive_timeout"
	off := topology.Duration{Name: name}
	src := &topology.DefaultSource{Product: "nginx", Version: "1.15.3 and later", URL: nginxUpstreamKADoc}
	label, set := t.s.Labels[nginxProxyKeepalive]
	v := np.version
	var why string
	if _, state := np.file("/etc/nginx/proxy.conf"); state != fileAbsent {
		// It replaces the template's proxy_http_version 1.1 and
		// Connection header, without which the pool stays unused.
		return off
	}
	switch {
	case set && !label.Known:
		return off
	case set && strings.EqualFold(strings.TrimSpace(label.Value), "disabled"):
		return off
	case set && strings.EqualFold(strings.TrimSpace(label.Value), "auto"):
		if len(v) > 0 && !versionAtLeast(v, 1, 5) {
			return off
		}
		obj, why = label.Range, fmt.Sprintf("the label %s: auto keeps twice as many idle connections as the upstream has servers", nginxProxyKeepalive)
	case set:
		n, err := strconv.Atoi(strings.TrimSpace(label.Value))
		if err != nil || n <= 0 || len(v) > 0 && !versionAtLeast(v, 1, 3) {
			return off
		}
		obj, why = label.Range, fmt.Sprintf("the label %s: %d keeps up to %d idle connections", nginxProxyKeepalive, n, n)
	case len(v) > 0 && versionAtLeast(v, 1, 7):
		why = "nginx-proxy " + strings.Join(intsToStrings(v), ".") + " keeps idle upstream connections by default (keepalive auto, twice the servers)"
	case len(v) == 0 && np.latest:
		why = "assuming the image " + np.image + " is nginx-proxy 1.7 or later, which keeps idle upstream connections by default (keepalive auto, twice the servers)"
	default:
		return off // before 1.7.0, or a version hoplint cannot tell: keepalive only when labelled
	}
	if lb, ok := t.s.Labels[nginxProxyLoadbalance]; ok {
		if !lb.Known {
			return off
		}
		for _, stmt := range strings.Split(lb.Value, ";") {
			f := strings.Fields(stmt)
			if len(f) == 0 || f[0] != "keepalive_timeout" {
				continue
			}
			if len(f) != 2 {
				return off
			}
			d, err := nginx.ParseTime(f[1], nginx.Millis)
			if err != nil {
				return off
			}
			s := topology.SetAt("keepalive_timeout (label "+nginxProxyLoadbalance+")", d, lb.Range)
			s.Note = why
			return s
		}
	}
	s := topology.DefaultFor(name, 60*time.Second, obj, src)
	s.Note = why + "; nginx-proxy's template writes no keepalive_timeout in the upstream, so nginx's 60s applies: the label " + nginxProxyLoadbalance + ": \"keepalive_timeout 1s;\" on the service puts one there, and " + nginxProxyKeepalive + ": \"disabled\" turns the pool off"
	return s
}

func versionAtLeast(v []int, major, minor int) bool {
	if v[0] != major {
		return v[0] > major
	}
	return len(v) < 2 || v[1] >= minor
}

func intsToStrings(v []int) []string {
	out := make([]string, len(v))
	for i, n := range v {
		out[i] = strconv.Itoa(n)
	}
	return out
}

// bodyLimit is the client_max_body_size of the service's virtual hosts
// (hostLimit). Unknown when a level that may set it cannot be read, or
// the hosts disagree.
func (np *nginxProxy) bodyLimit(t *service, hosts []string, obj parsers.Range) topology.Size {
	unknown := topology.Size{Name: "client_max_body_size"}
	if np.sv.stage != nil {
		return unknown // a built image may carry files hoplint does not see
	}
	vpath := "/"
	if v, ok := t.s.Environment["VIRTUAL_PATH"]; ok {
		if !v.Known {
			return unknown
		}
		vpath = v.Value
	}
	if hosts == nil {
		if np.covered("/etc/nginx/vhost.d") {
			return unknown // which vhost.d file applies depends on the unknown host
		}
		hosts = []string{""}
	}
	var out *topology.Size
	for _, host := range hosts {
		s, ok := np.hostLimit(host, vpath, obj)
		if !ok || out != nil && out.Value != s.Value {
			return unknown
		}
		out = &s
	}
	return *out
}

// hostLimit is the client_max_body_size of one virtual host's location,
// from the files nginx-proxy's template includes, the first found of
// each level: vhost.d/<host>_<sha1(path)>_location, <host>_location or
// default_location in the location; vhost.d/<host> or vhost.d/default in
// the server; every conf.d/*.conf at the http level; else nginx's 1m. A
// location_override file replaces the location: unknown.
func (np *nginxProxy) hostLimit(host, vpath string, obj parsers.Range) (topology.Size, bool) {
	const vd = "/etc/nginx/vhost.d/"
	sum := fmt.Sprintf("%x", sha1.Sum([]byte(vpath)))
	if strings.HasPrefix(host, "~") {
		// A regex host's files are named by the SHA-1 of the regex.
		host = fmt.Sprintf("%x", sha1.Sum([]byte(host)))
	}
	var levels [][]string
	if host != "" {
		overrides := []string{vd + host + "_" + sum + "_location_override"}
		if vpath == "/" {
			overrides = append(overrides, vd+host+"_location_override")
		}
		for _, p := range overrides {
			if _, state := np.file(p); state != fileAbsent {
				return topology.Size{}, false
			}
		}
		levels = [][]string{
			{vd + host + "_" + sum + "_location", vd + host + "_location", vd + "default_location"},
			{vd + host, vd + "default"},
		}
	} else {
		levels = [][]string{{vd + "default_location"}, {vd + "default"}}
	}
	for _, level := range levels {
		for _, p := range level {
			f, state := np.file(p)
			if state == fileUnknown {
				return topology.Size{}, false
			}
			if state == fileAbsent {
				continue // the template falls back to the next name
			}
			s, set, ok := bodySizeIn(f)
			if !ok {
				return topology.Size{}, false
			}
			if set {
				return s, true
			}
			break // the file exists: the template includes it, not the next
		}
	}
	// http level: every conf.d/*.conf the image's nginx.conf includes.
	confs, ok := np.confD()
	if !ok {
		return topology.Size{}, false
	}
	var found *topology.Size
	for _, f := range confs {
		s, set, ok := bodySizeIn(f)
		if !ok {
			return topology.Size{}, false
		}
		if set {
			if found != nil {
				return topology.Size{}, false // nginx refuses a duplicate; hoplint does not guess
			}
			found = &s
		}
	}
	if found != nil {
		return *found, true
	}
	where := "client_max_body_size (in nginx-proxy's /etc/nginx/vhost.d/" + host + ")"
	if host == "" {
		where = "client_max_body_size (in nginx-proxy's /etc/nginx/vhost.d/<VIRTUAL_HOST>)"
	}
	return topology.DefaultFor(where, int64(1<<20), obj, &topology.DefaultSource{Product: "nginx", Version: "all versions", URL: nginxBodySizeDoc}), true
}

// bodySizeIn reads the client_max_body_size a fragment sets at its top
// level; ok is false when an include there may set it.
func bodySizeIn(f *nginx.File) (topology.Size, bool, bool) {
	for _, d := range f.Directives {
		switch d.Name {
		case "client_max_body_size":
			n, valid := topology.NginxSize(d.Arg(0))
			if !valid {
				return topology.Size{}, false, false
			}
			return topology.SetAt("client_max_body_size", n, d.Range), true, true
		case "include":
			return topology.Size{}, false, false
		}
	}
	return topology.Size{}, false, true
}

type fileState int

const (
	fileAbsent fileState = iota
	fileFound
	fileUnknown
)

// covered reports whether a mount reaches dir or a path below it.
func (np *nginxProxy) covered(dir string) bool {
	for _, m := range np.sv.s.Volumes {
		if m.Type == "bind" && (underDir(path.Clean(m.Target), dir) || underDir(dir, path.Clean(m.Target))) {
			return true
		}
	}
	return false
}

// file finds what the proxy's container has at p: a bind-mounted file,
// or one in a bind-mounted directory. Unknown when the mount's source
// cannot be read, or another service of the project writes into it.
func (np *nginxProxy) file(p string) (*nginx.File, fileState) {
	var mount *compose.Mount
	for i := range np.sv.s.Volumes {
		m := &np.sv.s.Volumes[i]
		if underDir(p, path.Clean(m.Target)) && (mount == nil || len(path.Clean(m.Target)) >= len(path.Clean(mount.Target))) {
			mount = m // the deepest mount hides the ones above it
		}
	}
	if mount == nil {
		return nil, fileAbsent
	}
	if mount.Type != "bind" || !mount.Known || mount.SourcePath == "" || np.writtenByOthers(mount) {
		return nil, fileUnknown
	}
	abs := mount.SourcePath
	if t := path.Clean(mount.Target); t != p {
		abs = filepath.Join(abs, filepath.FromSlash(strings.TrimPrefix(p, t+"/")))
	}
	if _, err := os.Lstat(abs); err != nil {
		if os.IsNotExist(err) {
			return nil, fileAbsent
		}
		return nil, fileUnknown
	}
	f := np.parse(abs)
	if f == nil {
		return nil, fileUnknown
	}
	return f, fileFound
}

// confD lists the conf.d/*.conf files nginx includes at the http level,
// but default.conf, which nginx-proxy renders itself.
func (np *nginxProxy) confD() ([]*nginx.File, bool) {
	if !np.confsIn {
		np.confs, np.confsOK = np.listConfD()
		np.confsIn = true
	}
	return np.confs, np.confsOK
}

func (np *nginxProxy) listConfD() ([]*nginx.File, bool) {
	const dir = "/etc/nginx/conf.d"
	var out []*nginx.File
	for _, m := range np.sv.s.Volumes {
		t := path.Clean(m.Target)
		if !underDir(t, dir) && !underDir(dir, t) {
			continue
		}
		if m.Type != "bind" || !m.Known || m.SourcePath == "" || np.writtenByOthers(&m) {
			return nil, false
		}
		if t != dir && !underDir(dir, t) {
			// One file mounted into conf.d.
			if path.Dir(t) == dir && strings.HasSuffix(t, ".conf") && path.Base(t) != "default.conf" {
				f := np.parse(m.SourcePath)
				if f == nil {
					return nil, false
				}
				out = append(out, f)
			}
			continue
		}
		src := m.SourcePath
		if t != dir {
			src = filepath.Join(src, filepath.FromSlash(strings.TrimPrefix(dir, t+"/")))
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, false
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".conf") && e.Name() != "default.conf" && !e.IsDir() {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			f := np.parse(filepath.Join(src, n))
			if f == nil {
				return nil, false
			}
			out = append(out, f)
		}
	}
	return out, true
}

// writtenByOthers reports a bind mount whose source another service of
// the project mounts writable: what is there is written at run time.
func (np *nginxProxy) writtenByOthers(m *compose.Mount) bool {
	if !m.Known || m.SourcePath == "" {
		return true
	}
	for _, sv := range np.sv.project.Services {
		if sv == np.sv.s {
			continue
		}
		for _, o := range sv.Volumes {
			if o.Type == "bind" && !o.ReadOnly && o.SourcePath != "" && (underDir(m.SourcePath, o.SourcePath) || underDir(o.SourcePath, m.SourcePath)) {
				return true
			}
		}
	}
	return false
}

// parse reads an nginx fragment within the root, once per run; its parse
// problems are reported, as for any file hoplint reads.
func (np *nginxProxy) parse(abs string) *nginx.File {
	if f, ok := np.read[abs]; ok {
		return f
	}
	var src *parsers.File
	if f := np.env.All[abs]; f != nil {
		src = f
	} else {
		data, err := parsers.ReadWithin(np.root, abs)
		if err != nil {
			np.read[abs] = nil
			return nil
		}
		src = parsers.NewFile(parsers.RelPath(np.env.WorkDir, abs), abs, np.root, parsers.FormatNginx, data)
	}
	pf, problems := nginx.ParseFile(src)
	if np.env.All[abs] == nil {
		np.part.AddSource(src)
		np.part.AddProblems(problems...)
	}
	if len(problems) > 0 && len(pf.Directives) == 0 {
		pf = nil
	}
	np.read[abs] = pf
	return pf
}
