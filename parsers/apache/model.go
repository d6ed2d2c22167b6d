package apache

import (
	"net"
	"strconv"
	"strings"
	"sync"
)

// Server is the main server and its virtual hosts, with the directives that
// decide each host's effective settings.
type Server struct {
	Main   *Host
	VHosts []*Host
	// Listens are the Listen directives.
	Listens []*Directive
	// Workers are every proxy worker definition in the tree: ProxyPass,
	// ProxyPassMatch, BalancerMember, RewriteRule [P], ProxySet in <Proxy>.
	Workers []*Proxy
	// NotInherited are the virtual hosts, in order, that were not given
	// the main server's proxies (MaxInherited), and Inheritable how many
	// workers each would have inherited.
	NotInherited []*Host
	Inheritable  int
}

// MaxInherited caps the (virtual host, main-server worker) pairs that
// httpd's merging of the main server's ProxyPass lines into every virtual
// host creates: 1,000 of each are a million paths from 150 KB of text.
const MaxInherited = 100000

// Host is the main server or one <VirtualHost>.
type Host struct {
	// D is the <VirtualHost> section; nil for the main server.
	D     *Directive
	Addrs []Addr
	// Names are ServerName then ServerAlias values.
	Names []string
	// Main is the main server (nil for the main server itself).
	Main *Host
	// Base is the first virtual host declared for this host's first address:
	// httpd takes KeepAliveTimeout from it when this host sets none.
	Base *Host

	// Level holds the directives written at host level (not inside
	// <Directory>, <Location>, …), in order.
	Level []*Directive
	// Sections holds the directives inside this host's sections.
	Sections []*Directive
	// Proxies are what the host forwards with: its own and, for a virtual
	// host, the main server's ProxyPass lines (httpd merges them).
	Proxies []*Proxy

	// idx indexes Level and Sections on first use (after buildServer):
	// every worker of a host asks for its settings, and a host may hold
	// tens of thousands of directives and of ProxyPass lines.
	idx struct {
		once        sync.Once
		own         map[string]*Directive // lower-cased name: the last at Level
		levelEnvs   []*Directive          // SetEnv and SetEnvIf-family lines at Level
		sectionEnvs []*Directive          // and in Sections
	}
}

// envNames are the directives that set environment variables (mod_env,
// mod_setenvif), lower-cased.
var envNames = map[string]bool{"setenv": true, "setenvif": true, "setenvifnocase": true, "setenvifexpr": true, "browsermatch": true, "browsermatchnocase": true}

func (h *Host) index() {
	h.idx.once.Do(func() {
		h.idx.own = make(map[string]*Directive, len(h.Level))
		for _, d := range h.Level {
			n := strings.ToLower(d.Name)
			h.idx.own[n] = d
			if envNames[n] {
				h.idx.levelEnvs = append(h.idx.levelEnvs, d)
			}
		}
		for _, d := range h.Sections {
			if envNames[strings.ToLower(d.Name)] {
				h.idx.sectionEnvs = append(h.idx.sectionEnvs, d)
			}
		}
	})
}

// EnvLines returns the host's SetEnv, SetEnvIf, SetEnvIfNoCase,
// SetEnvIfExpr, BrowserMatch and BrowserMatchNoCase lines at host level
// and in its sections, each in order.
func (h *Host) EnvLines() (level, sections []*Directive) {
	h.index()
	return h.idx.levelEnvs, h.idx.sectionEnvs
}

// Addr is one address of a <VirtualHost> or a Listen.
type Addr struct {
	Host string // "" for * and _default_
	Port int    // 0 for any
	Raw  string
}

// Own returns the last directive named name at this host's level, or nil.
func (h *Host) Own(name string) *Directive {
	h.index()
	return h.idx.own[strings.ToLower(name)]
}

// Effective returns the directive that decides a server-level setting for
// the host: its own, else the main server's (httpd copies unset server
// settings from the main server, wherever in the file they are written).
func (h *Host) Effective(name string) *Directive {
	if d := h.Own(name); d != nil {
		return d
	}
	if h.Main != nil {
		return h.Main.Own(name)
	}
	return nil
}

// InSections returns the directives named name inside the sections that
// apply to this host's requests (its own and the main server's).
func (h *Host) InSections(name string) []*Directive {
	var out []*Directive
	hs := []*Host{h}
	if h.Main != nil {
		hs = append(hs, h.Main)
	}
	for _, x := range hs {
		for _, d := range x.Sections {
			if d.Is(name) {
				out = append(out, d)
			}
		}
	}
	return out
}

// Proxy is one proxy worker definition.
type Proxy struct {
	D *Directive
	// Kind is the directive: ProxyPass, ProxyPassMatch, BalancerMember,
	// RewriteRule or ProxySet.
	Kind string
	// Path is the local path or pattern (ProxyPass), "" otherwise.
	Path string
	// URL is the backend URL as written; "!" for an exclusion.
	URL    string
	URLArg int
	Params []Param
	// Section is the enclosing <Location>, <LocationMatch> or <Proxy>.
	Section *Directive
	// Balancer names the balancer:// a member belongs to, or the balancer
	// a ProxyPass sends to.
	Balancer string
	// Members are the BalancerMember workers of a ProxyPass to a balancer.
	Members []*Proxy
	// Host is the host that declares it.
	Host *Host
}

// Param is one key=value worker parameter.
type Param struct {
	Key, Value string
	Arg        int
}

// Param returns the last parameter named key (case-insensitive).
func (p *Proxy) Param(key string) (Param, bool) {
	var out Param
	found := false
	for _, x := range p.Params {
		if strings.EqualFold(x.Key, key) {
			out, found = x, true
		}
	}
	return out, found
}

// Exclusion reports "ProxyPass /path !".
func (p *Proxy) Exclusion() bool { return p.URL == "!" }

// IsBalancer reports a ProxyPass or RewriteRule [P] to balancer://.
func (p *Proxy) IsBalancer() bool {
	return strings.HasPrefix(strings.ToLower(p.URL), "balancer://")
}

// Server builds (once) the main server and virtual hosts of the tree.
func (c *Config) Server() *Server {
	if c.model == nil {
		c.model = buildServer(c)
	}
	return c.model
}

func buildServer(c *Config) *Server {
	s := &Server{Main: &Host{}}
	var walk func(ds []*Directive, h *Host, inSection bool)
	walk = func(ds []*Directive, h *Host, inSection bool) {
		for _, d := range ds {
			if d.Section && d.Is("VirtualHost") && h == s.Main && !inSection {
				v := &Host{D: d, Main: s.Main}
				for _, a := range d.Args {
					v.Addrs = append(v.Addrs, ParseAddr(a))
				}
				s.VHosts = append(s.VHosts, v)
				walk(d.Children, v, false)
				continue
			}
			if inSection {
				h.Sections = append(h.Sections, d)
			} else {
				h.Level = append(h.Level, d)
			}
			if d.Is("Listen") && h == s.Main {
				s.Listens = append(s.Listens, d)
			}
			if d.Section {
				walk(d.Children, h, true)
			}
		}
	}
	walk(c.Directives, s.Main, false)

	for _, h := range append([]*Host{s.Main}, s.VHosts...) {
		for _, d := range h.Level {
			switch {
			case d.Is("ServerName") && len(d.Args) > 0:
				h.Names = append([]string{d.Args[0]}, h.Names...)
			case d.Is("ServerAlias"):
				h.Names = append(h.Names, d.Args...)
			}
		}
	}
	// Name-based virtual hosts: the first one declared for an address is
	// the base server of connections to it.
	first := map[addrKey]*Host{} // the first virtual host declared for each address
	for _, v := range s.VHosts {
		for _, a := range v.Addrs {
			if k := (addrKey{a.Host, a.Port}); first[k] == nil {
				first[k] = v
			}
		}
	}
	for _, v := range s.VHosts {
		v.Base = v
		if len(v.Addrs) > 0 {
			v.Base = first[addrKey{v.Addrs[0].Host, v.Addrs[0].Port}]
		}
	}
	s.collectProxies()
	return s
}

// addrKey is an address as name-based virtual hosting compares them.
type addrKey struct {
	host string
	port int
}

// ParseAddr reads a VirtualHost or Listen address: "*:80", "[::1]:8080",
// "example.com", "_default_:443", "8080", "10.0.0.1:80 https".
func ParseAddr(s string) Addr {
	a := Addr{Raw: s}
	hostPart, portPart := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		hostPart, portPart = h, p
	} else if n, err := strconv.Atoi(s); err == nil {
		a.Port = n
		return a
	}
	if portPart != "*" {
		a.Port, _ = strconv.Atoi(portPart)
	}
	switch strings.ToLower(hostPart) {
	case "*", "_default_", "":
	default:
		a.Host = strings.ToLower(hostPart)
	}
	return a
}

func (s *Server) collectProxies() {
	hosts := append([]*Host{s.Main}, s.VHosts...)
	balancers := map[*Host]map[string][]*Proxy{}
	own := map[*Host][]*Proxy{}
	for _, h := range hosts {
		balancers[h] = map[string][]*Proxy{}
		all := append(append([]*Directive(nil), h.Level...), h.Sections...)
		for _, d := range all {
			sec := d.In("Location", "LocationMatch", "Proxy", "ProxyMatch", "Directory", "DirectoryMatch", "Files", "FilesMatch", "If", "ElseIf", "Else")
			var p *Proxy
			switch {
			case d.Is("ProxyPass") || d.Is("ProxyPassMatch"):
				p = parsePass(d, sec)
			case d.Is("BalancerMember"):
				p = parseMember(d, sec)
				if p != nil {
					key := strings.TrimSuffix(p.Balancer, "/")
					balancers[h][key] = append(balancers[h][key], p)
				}
			case d.Is("ProxySet"):
				p = parseProxySet(d, sec)
			case d.Is("RewriteRule"):
				p = parseRewriteProxy(d, sec, h)
			}
			if p == nil {
				continue
			}
			p.Host = h
			s.Workers = append(s.Workers, p)
			own[h] = append(own[h], p)
		}
	}
	// What a virtual host inherits: the main server's workers and the
	// members of its balancers.
	s.Inheritable = len(own[s.Main])
	for _, ms := range balancers[s.Main] {
		s.Inheritable += len(ms)
	}
	inherited := 0
	for _, h := range hosts {
		var list []*Proxy
		if h.Main != nil && s.Inheritable > 0 && inherited+s.Inheritable > MaxInherited {
			s.NotInherited = append(s.NotInherited, h)
		} else if h.Main != nil {
			inherited += s.Inheritable
			for _, p := range own[h.Main] {
				if p.Kind == "RewriteRule" && !inheritsRewrite(h) {
					continue
				}
				list = append(list, p)
			}
		}
		list = append(list, own[h]...)
		for _, p := range list {
			if p.Kind == "ProxyPass" || p.Kind == "ProxyPassMatch" || p.Kind == "RewriteRule" {
				// "RewriteRule … balancer://name/… [P]" hands the request to
				// mod_proxy_balancer just as a ProxyPass to the balancer does.
				if p.IsBalancer() {
					// A balancer's name is balancer://host; a path after it
					// is appended to the member URLs.
					rest := strings.ToLower(p.URL)[len("balancer://"):]
					if i := strings.IndexByte(rest, '/'); i >= 0 {
						rest = rest[:i]
					}
					name := "balancer://" + rest
					p.Balancer = name
					p.Members = append(append([]*Proxy(nil), balancers[h][name]...), p.Members...)
					if h.Main != nil {
						p.Members = append(p.Members, balancers[h.Main][name]...)
					}
				}
			}
			if p.Kind == "ProxySet" || p.Kind == "BalancerMember" {
				continue
			}
			h.Proxies = append(h.Proxies, p)
		}
	}
}

func inheritsRewrite(h *Host) bool {
	for _, x := range []*Host{h, h.Main} {
		if x == nil {
			continue
		}
		for _, d := range x.Level {
			if d.Is("RewriteOptions") {
				for _, a := range d.Args {
					al := strings.ToLower(a)
					if (x == h && strings.HasPrefix(al, "inherit") && !strings.HasPrefix(al, "inheritdown")) ||
						(x != h && strings.HasPrefix(al, "inheritdown")) {
						return true
					}
				}
			}
		}
	}
	return false
}

func splitParams(d *Directive, from int) []Param {
	var out []Param
	for i := from; i < len(d.Args); i++ {
		a := d.Args[i]
		if k, v, ok := strings.Cut(a, "="); ok {
			out = append(out, Param{Key: k, Value: v, Arg: i})
		} else {
			out = append(out, Param{Key: a, Arg: i, Value: "\x00"})
		}
	}
	return out
}

func parsePass(d *Directive, sec *Directive) *Proxy {
	p := &Proxy{D: d, Kind: d.Name, Section: sec}
	if strings.EqualFold(d.Name, "ProxyPass") {
		p.Kind = "ProxyPass"
	} else {
		p.Kind = "ProxyPassMatch"
	}
	i := 0
	if i < len(d.Args) && d.Args[i] == "~" {
		i++
	}
	inLoc := sec != nil && (sec.Is("Location") || sec.Is("LocationMatch"))
	if inLoc {
		if len(sec.Args) > 0 {
			p.Path = sec.Args[len(sec.Args)-1]
		}
	} else {
		if i >= len(d.Args) {
			return nil
		}
		p.Path = d.Args[i]
		i++
	}
	if i >= len(d.Args) {
		return nil
	}
	p.URL, p.URLArg = d.Args[i], i
	p.Params = splitParams(d, i+1)
	return p
}

func parseMember(d *Directive, sec *Directive) *Proxy {
	p := &Proxy{D: d, Kind: "BalancerMember", Section: sec}
	var words []int
	for i, a := range d.Args {
		if !strings.Contains(a, "=") {
			words = append(words, i)
		}
	}
	inProxy := sec != nil && (sec.Is("Proxy") || sec.Is("ProxyMatch"))
	switch {
	case inProxy && len(sec.Args) > 0 && len(words) >= 1:
		p.Balancer = strings.ToLower(sec.Args[0])
		p.URL, p.URLArg = d.Args[words[0]], words[0]
	case len(words) >= 2:
		p.Balancer = strings.ToLower(d.Args[words[0]])
		p.URL, p.URLArg = d.Args[words[1]], words[1]
	default:
		return nil
	}
	for i, a := range d.Args {
		if k, v, ok := strings.Cut(a, "="); ok {
			p.Params = append(p.Params, Param{Key: k, Value: v, Arg: i})
		}
	}
	return p
}

func parseProxySet(d *Directive, sec *Directive) *Proxy {
	p := &Proxy{D: d, Kind: "ProxySet", Section: sec}
	start := 0
	if sec != nil && (sec.Is("Proxy") || sec.Is("ProxyMatch")) && len(sec.Args) > 0 {
		p.URL = sec.Args[0]
		p.URLArg = -1
	} else if len(d.Args) > 0 && !strings.Contains(d.Args[0], "=") {
		p.URL, p.URLArg = d.Args[0], 0
		start = 1
	} else {
		return nil
	}
	p.Params = splitParams(d, start)
	return p
}

// parseRewriteProxy returns a worker for "RewriteRule pattern URL [P]"
// when the rewrite engine is on for the host.
func parseRewriteProxy(d *Directive, sec *Directive, h *Host) *Proxy {
	if len(d.Args) < 3 {
		return nil
	}
	flags := d.Args[len(d.Args)-1]
	if !strings.HasPrefix(flags, "[") || !strings.HasSuffix(flags, "]") {
		return nil
	}
	proxy := false
	for _, f := range strings.Split(flags[1:len(flags)-1], ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "p" || f == "proxy" {
			proxy = true
		}
	}
	if !proxy || !rewriteOn(h) {
		return nil
	}
	return &Proxy{D: d, Kind: "RewriteRule", Section: sec, Path: d.Args[0], URL: d.Args[1], URLArg: 1}
}

func rewriteOn(h *Host) bool {
	on := false
	for _, x := range []*Host{h.Main, h} {
		if x == nil {
			continue
		}
		for _, d := range append(append([]*Directive(nil), x.Level...), x.Sections...) {
			if d.Is("RewriteEngine") && len(d.Args) > 0 {
				if v, ok := OnOff(d.Args[0]); ok && v {
					on = true
				}
			}
		}
	}
	return on
}
