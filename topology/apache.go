package topology

import (
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
)

func init() { RegisterLoader(parsers.FormatApache, loadApache) }

const (
	apacheCoreDoc  = "https://httpd.apache.org/docs/2.4/mod/core.html"
	apacheProxyDoc = "https://httpd.apache.org/docs/2.4/mod/mod_proxy.html"
)

func apacheDefault(anchor, version string) *DefaultSource {
	if version == "" {
		version = "all 2.4 versions"
	}
	u := apacheCoreDoc
	if strings.HasPrefix(anchor, "proxy") {
		u = apacheProxyDoc
	}
	return &DefaultSource{Product: "Apache httpd", Version: version, URL: u + "#" + anchor}
}

// loadApache parses every Apache file. A file that another one includes is
// linted only as part of the including tree, never again on its own, so
// that each finding appears once and in the context httpd reads it in.
func loadApache(part *Graph, files []*parsers.File, env *Env) {
	version := ""
	if env != nil && env.Config != nil {
		version = env.Config.Version("apache")
	}
	cfgs := make([]*apache.Config, len(files))
	// One after another, in path order, sharing one budget for what
	// includes read: the same tree is cut at the same place every run.
	var run apache.RunBudget
	EachFile(part, files, func(i int, f *parsers.File) {
		cfgs[i] = apache.Parse(f, apache.Options{Version: version, Open: apacheOpener(f, env), Run: &run})
	}, func(i int, f *parsers.File) { cfgs[i] = apache.Empty(f) })
	// Which files are read by a tree other than their own?
	included := map[string]bool{}
	for i, c := range cfgs {
		for _, g := range c.Files {
			if g.Abs != files[i].Abs {
				included[parsers.RealPath(g.Abs)] = true
			}
		}
	}
	covered := map[string]bool{}
	var roots []*apache.Config
	for i, c := range cfgs {
		if !included[parsers.RealPath(files[i].Abs)] {
			roots = append(roots, c)
			for _, g := range c.Files {
				covered[parsers.RealPath(g.Abs)] = true
			}
		}
	}
	// Files only reachable through a cycle have no root: lint each once,
	// starting with those that look like a main configuration.
	order := make([]int, len(cfgs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return mainLike(cfgs[order[a]]) && !mainLike(cfgs[order[b]]) })
	for _, i := range order {
		c := cfgs[i]
		if !covered[parsers.RealPath(files[i].Abs)] {
			roots = append(roots, c)
			for _, g := range c.Files {
				covered[parsers.RealPath(g.Abs)] = true
			}
		}
	}
	commented := map[string]bool{}
	ids := map[string]int{}
	for _, c := range roots {
		addApacheConfig(part, c, commented)
		first := len(part.Hops)
		buildApacheHops(part, c, version, ids)
		if !mainLike(c) {
			markApacheFragment(c, part.Hops[first:])
		}
	}
}

// markApacheFragment treats a root file that is not a main configuration
// (a sites-available vhost, a conf.d snippet) as nginx fragments are: the
// httpd.conf that includes it may set Timeout, ProxyTimeout,
// KeepAliveTimeout and LimitRequestBody at server level, so a default is
// not known to apply, and every finding says the file is a fragment.
func markApacheFragment(c *apache.Config, hops []*Hop) {
	note := c.File.Path + " is a fragment meant to be included; values set where it is included are unknown to hoplint"
	for _, h := range hops {
		h.Notes = append(h.Notes, note)
		for _, d := range []*Duration{&h.KeepAlive, &h.ReadTimeout, &h.UpstreamTimeout} {
			if d.IsDefault() && d.Name != "ttl" {
				*d = Duration{Name: d.Name}
			}
		}
		if h.UpstreamTimeout.Name == "Timeout" {
			// ProxyTimeout not set here falls back to Timeout, but the
			// including file may set ProxyTimeout at server level.
			h.UpstreamTimeout = Duration{Name: "ProxyTimeout"}
		}
		if h.BodyLimit.IsDefault() {
			h.BodyLimit = Size{Name: h.BodyLimit.Name}
		}
	}
}

// loadApacheEmbedded parses one in-memory httpd.conf (f.Path names the file
// that holds it, f.Shift maps its lines there: a Kubernetes ConfigMap) and
// adds its problems, comments, typed config, hops and the edges between
// them to part. Includes are not followed: they name files in a container.
// It returns the hops of the main server and virtual hosts (already in
// part), for the caller to link.
func loadApacheEmbedded(part *Graph, f *parsers.File, env *Env) []*Hop {
	version := ""
	if env != nil && env.Config != nil {
		version = env.Config.Version("apache")
	}
	return loadApacheEmbeddedVersion(part, f, version)
}

// loadApacheEmbeddedVersion is loadApacheEmbedded for a known httpd
// version ("" when unknown): the version of the container's image.
func loadApacheEmbeddedVersion(part *Graph, f *parsers.File, version string) []*Hop {
	c := apache.Parse(f, apache.Options{Version: version, NoIncludes: true})
	addApacheConfig(part, c, map[string]bool{})
	return buildApacheHops(part, c, version, map[string]int{})
}

// mainLike reports a file that reads as a main configuration.
func mainLike(c *apache.Config) bool {
	switch strings.ToLower(filepath.Base(c.File.Path)) {
	case "httpd.conf", "apache2.conf", "httpd.conf.in":
		return true
	}
	for _, d := range c.Directives {
		if d.File == c.File && (d.Is("ServerRoot") || d.Is("Listen") || d.Is("LoadModule")) {
			return true
		}
	}
	return false
}

// apacheOpener reads included files, reusing what discovery already read.
func apacheOpener(root *parsers.File, env *Env) func(abs string) (*parsers.File, error) {
	return func(abs string) (*parsers.File, error) {
		if env != nil {
			if f := env.All[abs]; f != nil {
				return f, nil
			}
		}
		data, err := parsers.ReadWithin(root.Root, abs)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(filepath.Dir(root.Abs), abs)
		p := filepath.ToSlash(abs)
		if err == nil {
			p = filepath.ToSlash(filepath.Join(filepath.Dir(filepath.FromSlash(root.Path)), rel))
		}
		return parsers.NewFile(p, abs, root.Root, parsers.FormatApache, data), nil
	}
}

func addApacheConfig(part *Graph, c *apache.Config, commented map[string]bool) {
	part.AddConfig(parsers.FormatApache, c)
	for _, f := range c.Files {
		part.AddSource(f)
	}
	for _, is := range c.Issues {
		part.AddProblems(is.Problem)
	}
	for _, u := range c.Unfollowed {
		part.AddProblems(parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: u.D.ArgRange(0),
			Message: fmt.Sprintf("%s was not read: %s; what it sets is unknown to hoplint", u.D.String(), u.Reason)})
	}
	var paths []string
	for p := range c.Comments {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if !commented[p] {
			commented[p] = true
			part.AddComments(p, c.Comments[p])
		}
	}
}

func apacheHostName(h *apache.Host, c *apache.Config) string {
	if h.D == nil {
		return fmt.Sprintf("Apache main server (%s)", c.File.Path)
	}
	s := "Apache virtual host " + strings.Join(h.D.Args, " ")
	if len(h.Names) > 0 {
		s += " (" + h.Names[0] + ")"
	}
	return s
}

func uniqueID(ids map[string]int, id string, r parsers.Range) string {
	ids[id]++
	if ids[id] > 1 {
		return fmt.Sprintf("%s@%d", id, r.Start.Line)
	}
	return id
}

// assumedNote turns the conditions a directive was read under into a note.
func assumedNote(d *apache.Directive) string {
	if d == nil || len(d.Assumed) == 0 {
		return ""
	}
	return strings.Join(d.Assumed, "; ")
}

func joinNotes(ns ...string) string {
	var out []string
	for _, n := range ns {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

func buildApacheHops(part *Graph, c *apache.Config, version string, ids map[string]int) []*Hop {
	s := c.Server()
	if cut := s.NotInherited; len(cut) > 0 {
		part.AddProblems(parsers.Problem{Kind: parsers.ProblemAmbiguous, Range: cut[0].D.Range, Message: fmt.Sprintf(
			"httpd gives each of the %d virtual hosts the main server's %d ProxyPass, RewriteRule and balancer workers: a cross product past hoplint's limit of %d links, so this virtual host and the %d after it are linked to none of them, and nothing behind them is checked. Move the main server's proxying into the virtual hosts that use it.",
			len(s.VHosts), s.Inheritable, apache.MaxInherited, len(cut)-1)})
	}
	var hops []*Hop
	hosts := s.VHosts
	if mainServes(s) {
		hosts = append([]*apache.Host{s.Main}, hosts...)
	}
	hopOf := map[*apache.Host]*Hop{}
	for _, h := range hosts {
		hop := apacheHostHop(c, s, h, version, ids)
		hopOf[h] = hop
		part.AddHop(hop)
		hops = append(hops, hop)
	}
	workers := map[*apache.Proxy]*Hop{}
	for _, h := range hosts {
		from := hopOf[h]
		for _, p := range h.Proxies {
			if p.Exclusion() {
				continue
			}
			targets := []*apache.Proxy{p}
			if p.IsBalancer() {
				targets = p.Members
			}
			for _, w := range targets {
				to := workers[w]
				if to == nil {
					to = apacheWorkerHop(c, h, w, p, ids)
					workers[w] = to
					part.AddHop(to)
				}
				why := fmt.Sprintf("%s in %s forwards requests to %s", p.D.String(), from.Name, w.URL)
				if w != p {
					why = fmt.Sprintf("%s in %s sends requests to %s, whose member %s is", p.D.String(), from.Name, p.Balancer, w.URL)
				}
				// Within: the worker's wait (timeout=, else ProxyTimeout,
				// else Timeout) is the virtual host's wait for that URL, one
				// timer in one process, not a second, shorter one before it.
				part.Link(&Edge{From: from, To: to, Why: why, Confidence: Reference, Range: p.D.Range, Within: true})
			}
		}
	}
	linkApacheSelf(part, s, hopOf, workers)
	return hops
}

// linkApacheSelf links a worker whose backend is this same httpd (a
// loopback address or one of its own ServerNames, on a port one of its
// virtual hosts listens on) to the virtual host that answers it: the one
// whose name matches the Host header mod_proxy sends, else the first for
// that port, as httpd's name-based selection does.
func linkApacheSelf(part *Graph, s *apache.Server, hopOf map[*apache.Host]*Hop, workers map[*apache.Proxy]*Hop) {
	for w, wh := range workers {
		if len(wh.Targets) != 1 || w.Host == nil {
			continue
		}
		t := wh.Targets[0]
		host := strings.ToLower(t.Host)
		loop := host == "localhost" || host == "127.0.0.1" || host == "::1"
		var first, named *apache.Host
		for _, v := range s.VHosts {
			if hopOf[v] == nil || !listensOn(hopOf[v], t.Port) {
				continue
			}
			if first == nil {
				first = v
			}
			for _, n := range v.Names {
				if strings.EqualFold(n, host) && named == nil {
					named = v
				}
			}
		}
		to := named
		if to == nil && loop {
			if preserveHost(w.Host) {
				continue
			}
			to = first
		}
		if to == nil || hopOf[to] == wh {
			continue
		}
		why := fmt.Sprintf("%s points at %s:%d, where this httpd's %s answers", w.URL, t.Host, t.Port, hopOf[to].Name)
		part.Link(&Edge{From: wh, To: hopOf[to], Why: why, Confidence: Address, Range: t.Range})
	}
}

func listensOn(h *Hop, port int) bool {
	for _, l := range h.Listen {
		if l.Port == port {
			return true
		}
	}
	return false
}

func preserveHost(h *apache.Host) bool {
	d := h.Effective("ProxyPreserveHost")
	if d == nil {
		return false
	}
	on, _ := apache.OnOff(d.Arg(0))
	return on
}

// mainServes reports whether requests reach the main server itself: when
// there is no virtual host (and the tree configures a server at all), or a
// Listen port no virtual host covers.
func mainServes(s *apache.Server) bool {
	if len(s.VHosts) == 0 {
		for _, d := range s.Main.Level {
			switch strings.ToLower(d.Name) {
			case "listen", "serverroot", "servername", "documentroot", "proxypass", "proxypassmatch",
				"keepalive", "keepalivetimeout", "timeout", "limitrequestbody", "proxytimeout":
				return true
			}
		}
		return len(s.Main.Proxies) > 0
	}
	for _, l := range s.Listens {
		a := apache.ParseAddr(l.Arg(0))
		covered := false
		for _, v := range s.VHosts {
			for _, va := range v.Addrs {
				if va.Port == 0 || va.Port == a.Port {
					covered = true
				}
			}
		}
		if !covered && a.Port != 0 {
			return true
		}
	}
	return false
}

func hostRange(c *apache.Config, h *apache.Host) parsers.Range {
	if h.D != nil {
		return h.D.Range
	}
	for _, d := range h.Level {
		if d.File == c.File {
			return d.Range
		}
	}
	return c.File.LineRange(1)
}

func apacheHostHop(c *apache.Config, s *apache.Server, h *apache.Host, version string, ids map[string]int) *Hop {
	name := apacheHostName(h, c)
	rng := hostRange(c, h)
	var id string
	if h.D == nil {
		id = c.File.Path + "#main"
	} else {
		id = h.D.File.Path + "#VirtualHost:" + strings.Join(h.D.Args, ",")
		if len(h.Names) > 0 {
			id += ":" + h.Names[0]
		}
	}
	hop := &Hop{ID: uniqueID(ids, id, rng), Kind: KindApacheVHost, Name: name, File: rng.File, Range: rng, Config: h}

	hop.KeepAlive = apacheKeepAlive(h, rng, version)
	hop.BodyLimit = apacheBodyLimit(h, rng, version)
	timeout := apacheTimeout(h, rng)
	hop.ReadTimeout = timeout
	for _, p := range h.Proxies {
		if !p.Exclusion() {
			hop.Proxy = p.D.Range
			if n := assumedNote(p.D); n != "" {
				hop.Notes = append(hop.Notes, n)
			}
			break
		}
	}
	if hop.Proxies() {
		hop.UpstreamTimeout = apacheProxyTimeout(h, timeout)
	}
	hop.Listen = apacheListens(s, h)
	hop.Notes = append(hop.Notes, unfollowedNotes(c, h)...)
	return hop
}

func unfollowedNotes(c *apache.Config, h *apache.Host) []string {
	n := 0
	for _, u := range c.Unfollowed {
		in := u.D.In("VirtualHost")
		if in != nil && (h.D == nil || in != h.D) {
			continue
		}
		n++
	}
	switch n {
	case 0:
		return nil
	case 1:
		return []string{"assuming the include hoplint did not read (see include-not-followed) sets none of these values"}
	}
	return []string{fmt.Sprintf("assuming the %d includes hoplint did not read (see include-not-followed) set none of these values", n)}
}

func apacheListens(s *apache.Server, h *apache.Host) []Listen {
	var out []Listen
	if h.D == nil {
		for _, l := range s.Listens {
			a := apache.ParseAddr(l.Arg(0))
			if a.Port != 0 {
				out = append(out, Listen{Host: a.Host, Port: a.Port, Range: l.Range})
			}
		}
		return out
	}
	for _, a := range h.Addrs {
		if a.Port != 0 {
			out = append(out, Listen{Host: a.Host, Port: a.Port, Range: h.D.Range})
			continue
		}
		for _, l := range s.Listens {
			la := apache.ParseAddr(l.Arg(0))
			if la.Port != 0 {
				out = append(out, Listen{Host: a.Host, Port: la.Port, Range: h.D.Range})
			}
		}
	}
	return out
}

// apacheKeepAlive is the idle timeout of client connections: 0 with
// KeepAlive Off, else KeepAliveTimeout, which for a name-based virtual host
// that sets none comes from the first virtual host of its address.
func apacheKeepAlive(h *apache.Host, rng parsers.Range, version string) Duration {
	if d := h.Effective("KeepAlive"); d != nil {
		if d.Unresolved {
			return Duration{}
		}
		on, ok := apache.OnOff(d.Arg(0))
		if !ok {
			return Duration{}
		}
		if !on {
			s := SetAt("KeepAlive", time.Duration(0), d.Range)
			s.Note = assumedNote(d)
			return s
		}
	}
	d := h.Own("KeepAliveTimeout")
	note := ""
	if h.D != nil && h.Base != nil && h.Base != h {
		before, known := AtLeast(version, "2.4.13")
		before = !before
		switch {
		case d == nil && h.Base.Own("KeepAliveTimeout") == nil:
			// The first host sets none either: both use the main server's.
			d = h.Effective("KeepAliveTimeout")
		case d == nil:
			d = h.Base.Effective("KeepAliveTimeout")
			note = fmt.Sprintf("%s sets no KeepAliveTimeout, so httpd uses the one of %s, the first virtual host for %s", apacheHostName(h, nil), apacheHostName(h.Base, nil), h.Addrs[0].Raw)
			if d == nil {
				return withNote(DefaultFor("KeepAliveTimeout", 5*time.Second, h.Base.D.Range, apacheDefault("keepalivetimeout", "")), note)
			}
		case known && before:
			own := d
			d = h.Base.Effective("KeepAliveTimeout")
			note = fmt.Sprintf("before httpd 2.4.13 a name-based virtual host's own KeepAliveTimeout (%s:%d) is ignored in favour of the first virtual host's for %s", own.File.Path, own.Range.Start.Line, h.Addrs[0].Raw)
			if d == nil {
				return withNote(DefaultFor("KeepAliveTimeout", 5*time.Second, h.Base.D.Range, apacheDefault("keepalivetimeout", "")), note)
			}
		case !known:
			if bd := h.Base.Effective("KeepAliveTimeout"); !sameValue(bd, d) {
				note = "assuming httpd 2.4.13 or later, where a name-based virtual host's own KeepAliveTimeout applies; before, the first virtual host's for " + h.Addrs[0].Raw + " did"
			}
		}
	} else if d == nil {
		d = h.Effective("KeepAliveTimeout")
	}
	if d == nil {
		return withNote(DefaultFor("KeepAliveTimeout", 5*time.Second, rng, apacheDefault("keepalivetimeout", "")), note)
	}
	if d.Unresolved {
		return Duration{}
	}
	v, err := apache.ParseTimeout(d.Arg(0), "s")
	if err != nil {
		return Duration{}
	}
	s := SetAt("KeepAliveTimeout", v, d.ArgRange(0))
	s.Note = joinNotes(note, assumedNote(d))
	return s
}

func sameValue(a, b *apache.Directive) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Arg(0) == b.Arg(0)
}

func withNote(s Duration, n string) Duration {
	s.Note = joinNotes(s.Note, n)
	return s
}

func apacheTimeout(h *apache.Host, rng parsers.Range) Duration {
	d := h.Effective("Timeout")
	if d == nil {
		return DefaultFor("Timeout", 60*time.Second, rng, apacheDefault("timeout", ""))
	}
	n, exact := apache.Atoi(d.Arg(0))
	if d.Unresolved || !exact || n <= 0 {
		return Duration{}
	}
	s := SetAt("Timeout", time.Duration(n)*time.Second, d.ArgRange(0))
	s.Note = assumedNote(d)
	return s
}

func apacheProxyTimeout(h *apache.Host, timeout Duration) Duration {
	d := h.Effective("ProxyTimeout")
	if d == nil {
		if !timeout.Known() {
			return Duration{}
		}
		t := timeout
		t.Note = joinNotes(t.Note, "ProxyTimeout is not set, so mod_proxy waits as long as Timeout")
		if t.Prov == Default {
			t.Name = "ProxyTimeout"
			t.Default = apacheDefault("proxytimeout", "")
			t.Note = "ProxyTimeout defaults to Timeout, 60s"
		}
		return t
	}
	n, _ := apache.Atoi(d.Arg(0))
	if d.Unresolved || n < 1 {
		return Duration{}
	}
	s := SetAt("ProxyTimeout", time.Duration(n)*time.Second, d.ArgRange(0))
	s.Note = assumedNote(d)
	return s
}

// apacheBodyLimit is LimitRequestBody for the host's requests. When the
// host sets none at its level but sections do, the answer depends on the
// URL: it is the section's value when every proxying directive lies in a
// section that sets one, a switched-off limit when any section switches it
// off (that finding is true of that section), and unknown otherwise.
func apacheBodyLimit(h *apache.Host, rng parsers.Range, version string) Size {
	if d := h.Effective("LimitRequestBody"); d != nil {
		return apacheSize(d)
	}
	secs := h.InSections("LimitRequestBody")
	if len(secs) > 0 {
		for _, d := range secs {
			if n, err := apache.ParseSize(d.Arg(0)); err == nil && n == 0 && !d.Unresolved {
				return apacheSize(d)
			}
		}
		var chosen *apache.Directive
		for _, p := range h.Proxies {
			if p.Exclusion() {
				continue
			}
			var in *apache.Directive
			for _, d := range secs {
				if p.Section != nil && d.Parent == p.Section {
					in = d
				}
			}
			if in == nil {
				return Size{}
			}
			if chosen == nil {
				chosen = in
			}
		}
		if chosen == nil {
			return Size{}
		}
		return apacheSize(chosen)
	}
	atLeast, known := AtLeast(version, "2.4.54")
	switch {
	case known && atLeast:
		return DefaultFor("LimitRequestBody", int64(1<<30), rng, apacheDefault("limitrequestbody", "2.4.54 and later"))
	case known:
		return DefaultFor("LimitRequestBody", Unlimited, rng, apacheDefault("limitrequestbody", "before 2.4.54"))
	}
	s := DefaultFor("LimitRequestBody", int64(1<<30), rng, apacheDefault("limitrequestbody", "2.4.54 and later; unlimited before"))
	s.Note = "assuming httpd 2.4.54 or later (set versions.apache in .hoplint.yml); before 2.4.54 the default is unlimited"
	return s
}

func apacheSize(d *apache.Directive) Size {
	n, err := apache.ParseSize(d.Arg(0))
	if d.Unresolved || err != nil {
		return Size{}
	}
	if n == 0 {
		n = Unlimited
	}
	s := SetAt("LimitRequestBody", n, d.ArgRange(0))
	s.Note = assumedNote(d)
	return s
}

// setEnvs finds SetEnv NAME lines that apply to a worker: at the level of
// the host (or the main server) or in the worker's own section. Lines in
// other sections, or SetEnvIf lines, apply to some requests only.
func setEnvs(h *apache.Host, p *apache.Proxy, names ...string) (always *apache.Directive, some []*apache.Directive) {
	match := func(d *apache.Directive) bool {
		if len(d.Args) == 0 {
			return false
		}
		var v string
		switch {
		case d.Is("SetEnv"):
			v = d.Args[0]
		case d.Is("SetEnvIf") || d.Is("SetEnvIfNoCase") || d.Is("SetEnvIfExpr") || d.Is("BrowserMatch") || d.Is("BrowserMatchNoCase"):
			for _, a := range d.Args[1:] {
				if !strings.HasPrefix(a, "!") {
					for _, n := range names {
						if strings.EqualFold(strings.SplitN(a, "=", 2)[0], n) {
							return true
						}
					}
				}
			}
			return false
		default:
			return false
		}
		for _, n := range names {
			if strings.EqualFold(v, n) {
				return true
			}
		}
		return false
	}
	hosts := []*apache.Host{h}
	if h.Main != nil {
		hosts = append(hosts, h.Main)
	}
	for _, x := range hosts {
		level, sections := x.EnvLines()
		for _, d := range level {
			if match(d) {
				if d.Is("SetEnv") {
					always = d
				} else {
					some = append(some, d)
				}
			}
		}
		for _, d := range sections {
			if match(d) {
				if d.Is("SetEnv") && p.Section != nil && d.Parent == p.Section {
					always = d
				} else {
					some = append(some, d)
				}
			}
		}
	}
	return always, some
}

func apacheWorkerHop(c *apache.Config, h *apache.Host, w, via *apache.Proxy, ids map[string]int) *Hop {
	owner := w.Host
	if owner == nil {
		owner = h
	}
	var name string
	switch w.Kind {
	case "BalancerMember":
		name = fmt.Sprintf("Apache balancer member %s (%s)", w.URL, w.Balancer)
	case "RewriteRule":
		name = fmt.Sprintf("Apache RewriteRule [P] to %s", w.URL)
	default:
		name = fmt.Sprintf("Apache %s pool to %s", w.Kind, w.URL)
	}
	id := uniqueID(ids, fmt.Sprintf("%s#%s:%s", w.D.File.Path, w.Kind, w.URL), w.D.Range)
	hop := &Hop{ID: id, Kind: KindApacheBackend, Name: name, File: w.D.File.Path, Range: w.D.Range, Proxy: w.D.Range, Config: w}
	if t, ok := apacheTarget(w); ok {
		hop.Targets = []Target{t}
	}
	hop.PoolIdle = apachePoolIdle(h, w, via, hop)
	if prm, ok := w.Param("timeout"); ok && w.Kind != "RewriteRule" {
		if n, exact := apache.Atoi(prm.Value); n >= 1 && exact {
			hop.UpstreamTimeout = SetAt("timeout", time.Duration(n)*time.Second, w.D.ArgRange(prm.Arg))
		}
	} else {
		rng := hostRange(c, owner)
		hop.UpstreamTimeout = apacheProxyTimeout(owner, apacheTimeout(owner, rng))
	}
	return hop
}

// apachePoolIdle is how long mod_proxy may reuse an idle connection of the
// worker: ttl=, or until the backend closes it. Unknown when the worker
// does not pool at all.
func apachePoolIdle(h *apache.Host, w, via *apache.Proxy, hop *Hop) Duration {
	if w.Kind == "RewriteRule" {
		hop.Notes = append(hop.Notes, "RewriteRule [P] uses mod_proxy's default worker, which does not reuse backend connections, unless a ProxyPass or <Proxy> defines a worker for this URL")
		return Duration{}
	}
	if u := strings.ToLower(w.URL); strings.HasPrefix(u, "ws://") || strings.HasPrefix(u, "wss://") {
		// A WebSocket tunnel's connection is closed when the tunnel ends,
		// never pooled (docs/facts/apache.md): nothing idles in a pool.
		return Duration{}
	}
	if prm, ok := w.Param("disablereuse"); ok {
		if on, _ := apache.OnOff(prm.Value); on {
			return Duration{}
		}
	}
	enable := false
	if prm, ok := w.Param("enablereuse"); ok {
		on, _ := apache.OnOff(prm.Value)
		if !on {
			return Duration{}
		}
		enable = true
	}
	if strings.Contains(w.URL, "$") {
		u := w.URL
		if i := strings.Index(u, "://"); i >= 0 {
			u = u[i+3:]
		}
		hostPart := u
		if i := strings.IndexByte(u, '/'); i >= 0 {
			hostPart = u[:i]
		}
		// httpd 2.4.47+ never reuses connections when the host comes from
		// the match, and reuses them for a path substitution only with
		// enablereuse=on.
		if strings.Contains(hostPart, "$") || !enable {
			return Duration{}
		}
		hop.Notes = append(hop.Notes, "assuming httpd 2.4.47 or later, where a ProxyPassMatch worker with enablereuse=on pools connections")
	}
	if always, some := setEnvs(h, via, "proxy-nokeepalive", "force-proxy-request-1.0"); always != nil {
		return Duration{}
	} else if len(some) > 0 {
		hop.Notes = append(hop.Notes, fmt.Sprintf("%s (%s:%d) turns pooling off for some requests only; the others reuse pooled connections", some[0].String(), some[0].File.Path, some[0].Range.Start.Line))
	}
	if always, _ := setEnvs(h, via, "proxy-initial-not-pooled"); always != nil {
		hop.Notes = append(hop.Notes, "proxy-initial-not-pooled is set, so the first request of each client connection opens a new backend connection; later ones still reuse pooled connections")
	}
	if prm, ok := w.Param("ttl"); ok {
		n, exact := apache.Atoi(prm.Value)
		if n < 1 || !exact {
			return Duration{}
		}
		s := SetAt("ttl", time.Duration(n)*time.Second, w.D.ArgRange(prm.Arg))
		s.Note = assumedNote(w.D)
		return s
	}
	s := DefaultFor("ttl", Forever, w.D.Range, apacheDefault("proxypass", ""))
	s.Note = joinNotes("with no ttl= mod_proxy reuses a pooled connection until the backend closes it", assumedNote(w.D))
	return s
}

// apacheTarget reads the backend address of a worker URL.
func apacheTarget(w *apache.Proxy) (Target, bool) {
	raw := w.URL
	if strings.HasPrefix(strings.ToLower(raw), "unix:") {
		if i := strings.IndexByte(raw, '|'); i >= 0 {
			raw = raw[i+1:]
		} else {
			return Target{}, false
		}
	}
	if strings.ContainsAny(raw, "$%") {
		return Target{}, false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return Target{}, false
	}
	port := 0
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	} else {
		switch strings.ToLower(u.Scheme) {
		case "http", "ws", "h2c":
			port = 80
		case "https", "wss", "h2":
			port = 443
		case "ajp":
			port = 8009
		}
	}
	return Target{Host: u.Hostname(), Port: port, URL: w.URL, Range: w.D.ArgRange(w.URLArg)}, true
}
