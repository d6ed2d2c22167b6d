package topology

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/nginx"
)

func init() { RegisterLoader(parsers.FormatNginx, loadNginx) }

// NginxConfig is what the nginx loader leaves for single-hop rules: the
// expanded configuration, its model, and the nginx version assumed.
type NginxConfig struct {
	*nginx.Config
	Model *nginx.Model
	// Version is the nginx version from .hoplint.yml or an image tag; "" when unknown.
	Version string
	// VersionFrom says where Version was read: "versions.nginx in
	// .hoplint.yml", or the image tag of the container that runs it.
	VersionFrom string
	// VersionFromImage: Version came from an image tag.
	VersionFromImage bool
	// Hops maps the model's servers, locations and upstreams to their hops.
	ServerHops   map[*nginx.Server]*Hop
	LocationHops map[*nginx.Location]*Hop
	UpstreamHops map[*nginx.Upstream]*Hop
}

const (
	nginxCoreDoc     = "https://nginx.org/en/docs/http/ngx_http_core_module.html"
	nginxProxyDoc    = "https://nginx.org/en/docs/http/ngx_http_proxy_module.html"
	nginxGRPCDoc     = "https://nginx.org/en/docs/http/ngx_http_grpc_module.html"
	nginxUpstreamDoc = "https://nginx.org/en/docs/http/ngx_http_upstream_module.html"
	nginxMainDoc     = "https://nginx.org/en/docs/ngx_core_module.html"
)

// NginxDefault documents an nginx default that holds for every version.
// There are a handful, shared by every hop that relies on one (a server
// with 100,000 locations asks 200,000 times); nothing changes a
// DefaultSource once made.
func NginxDefault(directive, doc string) *DefaultSource {
	key := nginxDefaultKey{directive, doc}
	if d, ok := nginxDefaults.Load(key); ok {
		return d.(*DefaultSource)
	}
	d, _ := nginxDefaults.LoadOrStore(key, &DefaultSource{Product: "nginx", Version: "all versions", URL: doc + "#" + directive})
	return d.(*DefaultSource)
}

type nginxDefaultKey struct{ directive, doc string }

var nginxDefaults sync.Map

// loadNginx parses every nginx file once, works out which files are main
// configurations (not included by another linted file), expands each with
// its includes and turns it into hops.
func loadNginx(part *Graph, files []*parsers.File, env *Env) {
	type result struct {
		file     *nginx.File
		problems []parsers.Problem
	}
	results := make([]result, len(files))
	ParallelFiles(part, files, func(i int, f *parsers.File) {
		pf, ps := nginx.ParseFile(f)
		results[i] = result{pf, append(ps, nginx.Validate(pf)...)}
	}, func(i int, f *parsers.File) { results[i] = result{file: &nginx.File{Src: f, Fragment: true}} })

	// Files reached by an include are parsed on first use and then shared.
	// A file's own problems are reported once, and only when the file is
	// part of a configuration that is linted.
	var mu sync.Mutex
	parsed := map[string]*nginx.File{}
	fileProblems := map[string][]parsers.Problem{}
	for i, f := range files {
		parsed[f.Abs] = results[i].file
		fileProblems[f.Abs] = results[i].problems
	}
	openFor := func(root string) func(abs string) (*nginx.File, error) {
		return func(abs string) (*nginx.File, error) {
			mu.Lock()
			defer mu.Unlock()
			if pf := parsed[abs]; pf != nil {
				return pf, nil
			}
			f, err := env.Open(root, abs, parsers.FormatNginx)
			if err != nil {
				return nil, err
			}
			pf, ps := nginx.ParseFile(f)
			parsed[abs] = pf
			fileProblems[abs] = append(ps, nginx.Validate(pf)...)
			return pf, nil
		}
	}

	configs := make([]*nginx.Config, len(files))
	included := map[string]bool{}
	var run nginx.RunBudget // in path order, so the same tree is cut at the same place
	for i, f := range files {
		configs[i] = nginx.LoadWithin(results[i].file, openFor(f.Root), &run)
		for _, abs := range configs[i].Includes {
			if abs != f.Abs {
				included[abs] = true
			}
		}
	}
	// A file included by another linted file is linted in that context
	// only. Files that are included but unreachable from any main file
	// (an include cycle with no way in) are linted on their own, so that
	// the cycle is still reported.
	reached := map[string]bool{}
	for i, f := range files {
		if !included[f.Abs] {
			for _, abs := range configs[i].Includes {
				reached[abs] = true
			}
		}
	}
	reported := map[string]bool{}
	for i, f := range files {
		if included[f.Abs] && reached[f.Abs] {
			continue
		}
		for _, cf := range configs[i].Files {
			if !reported[cf.Abs] {
				reported[cf.Abs] = true
				part.AddProblems(fileProblems[cf.Abs]...)
			}
		}
		addNginxConfig(part, configs[i], env)
	}
}

// loadNginxEmbedded reads an nginx.conf held inside another file (a
// Kubernetes ConfigMap): f's Path names the host file and f.Shift maps lines
// into it. Includes refer to the container's file system, which hoplint
// cannot see; they are not followed, and the hops say so.
//
//nolint:unused // called by the Kubernetes loader for nginx.conf held in ConfigMaps
func loadNginxEmbedded(part *Graph, f *parsers.File, env *Env) []*Hop {
	pf, ps := nginx.ParseFile(f)
	part.AddProblems(append(ps, nginx.Validate(pf)...)...)
	c := nginx.Load(pf, func(string) (*nginx.File, error) {
		return nil, fmt.Errorf("not in the linted tree")
	})
	var kept []parsers.Problem
	for _, p := range c.Problems {
		if p.Kind == parsers.ProblemUnfollowed || strings.Contains(p.Message, "not in the linted tree") {
			continue
		}
		kept = append(kept, p)
	}
	c.Problems = kept
	if hasInclude(pf.Directives) {
		c.Notes = append(c.Notes, "files it includes live in the container image and were not read")
	}
	return addNginxConfig(part, c, env)
}

//nolint:unused // used by loadNginxEmbedded
func hasInclude(ds []*nginx.Directive) bool {
	for _, d := range ds {
		if d.Name == "include" || hasInclude(d.Block) {
			return true
		}
	}
	return false
}

func addNginxConfig(part *Graph, c *nginx.Config, env *Env) []*Hop {
	v := env.Config.Version("nginx")
	return addNginxConfigVersion(part, c, imageVersion{Version: v, From: "versions.nginx in .hoplint.yml"}, map[string]int{})
}

// addNginxConfigVersion builds the hops of c for nginx version v ("" when
// unknown), saying where the version came from in the notes that use it.
// ids numbers hop IDs that repeat: configurations held in one manifest
// share it, so that their hops' IDs stay unique.
func addNginxConfigVersion(part *Graph, c *nginx.Config, v imageVersion, ids map[string]int) []*Hop {
	part.AddProblems(c.Problems...)
	for path, cs := range c.Comments {
		part.AddComments(path, cs)
	}
	m := c.Build()
	nc := &NginxConfig{
		Config: c, Model: m, Version: v.Version, VersionFrom: v.From, VersionFromImage: v.Image,
		ServerHops: map[*nginx.Server]*Hop{}, LocationHops: map[*nginx.Location]*Hop{}, UpstreamHops: map[*nginx.Upstream]*Hop{},
	}
	part.AddConfig(parsers.FormatNginx, nc)
	b := &nginxBuilder{part: part, c: c, nc: nc, ids: ids}
	upstreams := m.UpstreamByName()
	for _, u := range m.Upstreams {
		nc.UpstreamHops[u] = b.upstreamHop(u)
	}
	var hops []*Hop
	for _, s := range m.Servers {
		h := b.serverHop(s)
		nc.ServerHops[s] = h
		hops = append(hops, h)
	}
	if len(m.Servers) == 0 && !c.Fragment {
		// No server and an include that matched nothing (zulip's
		// "include /etc/nginx/sites-enabled/*"): the servers are in files
		// hoplint was not given, and the run would otherwise be silent.
		for _, g := range c.EmptyGlobs {
			part.AddProblems(parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: g.Include.Range,
				Message: fmt.Sprintf("include %s matched no file in the linted tree (hoplint looked for %s beside this file), and this configuration defines no server of its own, so hoplint checked nothing in it: a server file copied there at deploy time is linted on its own, without this file's settings, and one that is not in the repository is not linted at all. Keep the files nginx includes under %s/ in the repository so that they are linted together.",
					g.Include.Arg(0), g.Looked, path.Dir(g.Looked))})
		}
	}
	for _, l := range m.Locations {
		if l.Pass == nil {
			continue
		}
		h := b.locationHop(l)
		nc.LocationHops[l] = h
		if l.Server != nil {
			part.Link(&Edge{From: nc.ServerHops[l.Server], To: h, Confidence: Reference, Within: true,
				Why: fmt.Sprintf("location %s is part of %s", l.Match, nc.ServerHops[l.Server].Name), Range: l.Block.Range})
		}
		if name := nginx.UpstreamName(l.Pass); name != "" {
			if u := upstreams[name]; u != nil {
				part.Link(&Edge{From: h, To: nc.UpstreamHops[u], Confidence: Reference,
					Why: fmt.Sprintf("%s %s names upstream %s", l.Pass.Name, l.Pass.Arg(0), name), Range: l.Pass.Range})
			}
		}
	}
	return hops
}

type nginxBuilder struct {
	part *Graph
	c    *nginx.Config
	nc   *NginxConfig
	ids  map[string]int
}

func (b *nginxBuilder) id(d *nginx.Directive, object string) string {
	id := d.File.Path + "#" + object
	b.ids[id]++
	if n := b.ids[id]; n > 1 {
		id += "#" + strconv.Itoa(n)
	}
	return id
}

func (b *nginxBuilder) notes() []string {
	notes := append([]string(nil), b.c.Notes...)
	if b.c.Fragment {
		notes = append(notes, filepath.ToSlash(b.c.Main.Path)+" is a fragment meant to be included; values set where it is included are unknown to hoplint")
	}
	return notes
}

// duration returns the effective time of directive name at scope sc (its
// first argument), the default when no level sets it, or Unknown in a
// fragment (the including file may set it).
func (b *nginxBuilder) duration(sc *nginx.Scope, name string, def time.Duration, src *DefaultSource, obj parsers.Range) Duration {
	if sc.Shadowed(name) {
		return Duration{Name: name} // an include hoplint could not read may set it
	}
	if d := sc.Last(name); d != nil {
		v, err := nginx.ParseTime(d.Arg(0), nginx.Millis)
		if err != nil {
			return Duration{Name: name} // reported by nginx.Validate
		}
		return SetAt(name, v, d.Range)
	}
	if b.c.Fragment || src == nil || sc.Opaque() {
		return Duration{Name: name}
	}
	return DefaultFor(name, def, obj, src)
}

func (b *nginxBuilder) size(sc *nginx.Scope, name string, def int64, src *DefaultSource, obj parsers.Range) Size {
	if sc.Shadowed(name) {
		return Size{Name: name}
	}
	if d := sc.Last(name); d != nil {
		v, err := nginx.ParseSize(d.Arg(0), nginx.Offset)
		if err != nil {
			return Size{Name: name}
		}
		if v == 0 {
			v = Unlimited
		}
		return SetAt(name, v, d.Range)
	}
	if b.c.Fragment || sc.Opaque() {
		return Size{Name: name}
	}
	return DefaultFor(name, def, obj, src)
}

func serverLabel(s *nginx.Server) (name string, port int) {
	name = "_"
	for _, n := range s.Names {
		if n != "" && n != "_" && n != `""` {
			name = n
			break
		}
	}
	if len(s.Listens) > 0 {
		port = s.Listens[0].Port
	}
	return name, port
}

func (b *nginxBuilder) serverHop(s *nginx.Server) *Hop {
	name, port := serverLabel(s)
	words := "nginx server " + name
	if name == "_" {
		words = "nginx default server"
	}
	if port != 0 {
		words += fmt.Sprintf(" (port %d)", port)
	}
	obj := s.Block.Range
	h := &Hop{
		ID: b.id(s.Block, fmt.Sprintf("server:%s:%d", name, port)), Kind: KindNginxServer, Name: words,
		File: s.Block.File.Path, Range: obj, Config: s, Notes: b.notes(),
		KeepAlive:   b.duration(s.Scope, "keepalive_timeout", 75*time.Second, NginxDefault("keepalive_timeout", nginxCoreDoc), obj),
		BodyLimit:   b.size(s.Scope, "client_max_body_size", 1<<20, NginxDefault("client_max_body_size", nginxCoreDoc), obj),
		ReadTimeout: b.duration(s.Scope, "client_body_timeout", 60*time.Second, NginxDefault("client_body_timeout", nginxCoreDoc), obj),
	}
	for _, l := range s.Listens {
		if l.Port != 0 {
			h.Listen = append(h.Listen, Listen{Host: l.Host, Port: l.Port, Range: l.D.Range})
		}
	}
	b.part.AddHop(h)
	return h
}

// readTimeoutDirective is the response timeout for each *_pass directive.
var readTimeoutDirective = map[string]string{
	"proxy_pass": "proxy_read_timeout", "fastcgi_pass": "fastcgi_read_timeout", "uwsgi_pass": "uwsgi_read_timeout",
	"scgi_pass": "scgi_read_timeout", "grpc_pass": "grpc_read_timeout",
}

func (b *nginxBuilder) locationHop(l *nginx.Location) *Hop {
	where := "(outside any server)"
	obj := "location:" + l.Match
	if l.Server != nil {
		name, port := serverLabel(l.Server)
		where = "of " + strings.TrimPrefix(b.nc.ServerHops[l.Server].Name, "nginx ")
		obj = fmt.Sprintf("server:%s:%d/location:%s", name, port, l.Match)
	}
	rt := readTimeoutDirective[l.Pass.Name]
	h := &Hop{
		ID: b.id(l.Block, obj), Kind: KindNginxLocation,
		Name: fmt.Sprintf("nginx location %s %s", l.Match, where),
		File: l.Block.File.Path, Range: l.Block.Range, Config: l, Notes: b.notes(),
		Proxy:           l.Pass.Range,
		BodyLimit:       b.size(l.Scope, "client_max_body_size", 1<<20, NginxDefault("client_max_body_size", nginxCoreDoc), l.Block.Range),
		UpstreamTimeout: b.duration(l.Scope, rt, 60*time.Second, NginxDefault(rt, nginxProxyDoc), l.Block.Range),
	}
	switch l.Pass.Name {
	case "proxy_pass":
	case "grpc_pass":
		// grpc_read_timeout defaults to 60s too (docs/facts/streams.md).
		h.UpstreamTimeout = b.duration(l.Scope, rt, 60*time.Second, NginxDefault(rt, nginxGRPCDoc), l.Block.Range)
	case "fastcgi_pass", "uwsgi_pass", "scgi_pass":
		// 60s too, from each module's merge_loc_conf (docs/facts/nginx.md).
		h.UpstreamTimeout = b.duration(l.Scope, rt, 60*time.Second, NginxDefault(rt, "https://nginx.org/en/docs/http/ngx_http_"+strings.TrimSuffix(l.Pass.Name, "_pass")+"_module.html"), l.Block.Range)
	default:
		h.UpstreamTimeout = b.duration(l.Scope, rt, 0, nil, l.Block.Range)
	}
	if t, ok := passTarget(l.Pass); ok {
		h.Targets = append(h.Targets, t)
	}
	b.part.AddHop(h)
	return h
}

func (b *nginxBuilder) upstreamHop(u *nginx.Upstream) *Hop {
	h := &Hop{
		ID: b.id(u.Block, "upstream:"+u.Name), Kind: KindNginxUpstream, Name: "nginx upstream " + u.Name,
		File: u.Block.File.Path, Range: u.Block.Range, Config: u, Notes: b.notes(),
	}
	for _, s := range u.Servers {
		host, port := splitHostPort(s.Arg(0))
		h.Targets = append(h.Targets, Target{Host: host, Port: port, URL: s.Arg(0), Range: s.Range})
	}
	// Connections are pooled when the upstream says keepalive N, and by
	// default from nginx 1.29.7 on (docs/facts/nginx.md).
	pooled, note := false, ""
	if ka := u.Local("keepalive"); len(ka) > 0 {
		n, err := nginx.ParseNumber(ka[0].Arg(0))
		pooled = err == nil && n > 0
	} else if at, known := AtLeast(b.nc.Version, "1.29.7"); known && at {
		pooled, note = true, imageVersion{Version: b.nc.Version, From: b.nc.VersionFrom}.words("nginx")+" pools upstream connections by default (keepalive 32 local since 1.29.7)"
	}
	if pooled {
		// The upstream keepalive_timeout is read from the upstream block
		// only: the http-level directive of the same name is the core
		// module's client keep-alive, another setting.
		src := &DefaultSource{Product: "nginx", Version: "all versions", URL: nginxUpstreamDoc + "#keepalive_timeout"}
		if local := u.Local("keepalive_timeout"); len(local) > 0 {
			d := local[len(local)-1]
			if v, err := nginx.ParseTime(d.Arg(0), nginx.Millis); err == nil {
				h.PoolIdle = SetAt("keepalive_timeout", v, d.Range)
			}
		} else {
			h.PoolIdle = DefaultFor("keepalive_timeout", 60*time.Second, u.Block.Range, src)
		}
		h.PoolIdle.Note = note
	}
	b.part.AddHop(h)
	return h
}

func passTarget(d *nginx.Directive) (Target, bool) {
	raw := d.Arg(0)
	if raw == "" || strings.Contains(raw, "$") {
		return Target{}, false
	}
	u := raw
	scheme := ""
	if i := strings.Index(u, "://"); i >= 0 {
		scheme, u = u[:i], u[i+3:]
	}
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	host, port := splitHostPort(u)
	if port == 0 && strings.Contains(raw, "://") {
		switch scheme {
		case "http":
			port = 80
		case "https":
			port = 443
		}
	}
	return Target{Host: host, Port: port, URL: raw, Range: d.Range}, true
}

func splitHostPort(s string) (string, int) {
	if strings.HasPrefix(s, "unix:") {
		return s, 0
	}
	if strings.HasPrefix(s, "[") {
		if i := strings.Index(s, "]"); i > 0 {
			host, rest := s[1:i], strings.TrimPrefix(s[i+1:], ":")
			p, _ := strconv.Atoi(rest)
			return host, p
		}
	}
	if i := strings.LastIndex(s, ":"); i >= 0 {
		if p, err := strconv.Atoi(s[i+1:]); err == nil {
			return s[:i], p
		}
	}
	return s, 0
}
