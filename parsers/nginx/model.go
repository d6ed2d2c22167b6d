package nginx

import (
	"strconv"
	"strings"
	"sync"
)

// Scope is one level of nginx's configuration hierarchy (main, http,
// server, location, upstream). nginx inherits a directive from the nearest
// enclosing level that sets it.
type Scope struct {
	// Block is the block directive of this level; nil for the main level.
	Block      *Directive
	Parent     *Scope
	Directives []*Directive

	// byName indexes Directives on first use: an http level can hold
	// thousands of directives, and every lookup from every location below
	// it passes through it. A level of a few directives (most locations)
	// is scanned instead: a map each would cost more than the directives.
	once       sync.Once
	byName     map[string][]*Directive
	unresolved bool
	// maybe holds the names a template sets at this level inside a
	// conditional: their value here is unknown.
	maybe map[string]bool
}

// scanBelow is the size under which a level is scanned, not indexed.
const scanBelow = 16

func (s *Scope) index() {
	s.once.Do(func() {
		for _, d := range s.Directives {
			s.unresolved = s.unresolved || d.Unresolved
			if d.Conditional {
				if s.maybe == nil {
					s.maybe = map[string]bool{}
				}
				s.maybe[d.Name] = true
			}
		}
		if len(s.Directives) < scanBelow {
			return
		}
		s.byName = make(map[string][]*Directive, len(s.Directives))
		for _, d := range s.Directives {
			s.byName[d.Name] = append(s.byName[d.Name], d)
		}
	})
}

// Local returns the directives named name set at this level.
func (s *Scope) Local(name string) []*Directive {
	s.index()
	if s.byName != nil {
		return s.byName[name]
	}
	// One match, or matches side by side, are a subslice; only scattered
	// repeats allocate.
	first, last, n := -1, -1, 0
	for i, d := range s.Directives {
		if d.Name == name {
			if first < 0 {
				first = i
			}
			last = i
			n++
		}
	}
	switch {
	case n == 0:
		return nil
	case last-first+1 == n:
		return s.Directives[first : last+1 : last+1]
	}
	out := make([]*Directive, 0, n)
	for _, d := range s.Directives[first : last+1] {
		if d.Name == name {
			out = append(out, d)
		}
	}
	return out
}

// Lookup returns the directives named name at the nearest level that sets
// any, walking outward. For a directive that may repeat (proxy_set_header)
// this is nginx's rule exactly: a level that sets one drops every one it
// would otherwise inherit. It returns nil when no visible level sets it.
func (s *Scope) Lookup(name string) []*Directive {
	for sc := s; sc != nil; sc = sc.Parent {
		if ds := sc.Local(name); len(ds) > 0 {
			return ds
		}
	}
	return nil
}

// Opaque reports whether this level or one it inherits from holds an
// include hoplint could not follow: a directive that Lookup does not find
// may be set there, so its value is unknown rather than the default.
func (s *Scope) Opaque() bool {
	for sc := s; sc != nil; sc = sc.Parent {
		sc.index()
		if sc.unresolved {
			return true
		}
	}
	return false
}

// Shadowed reports whether a level nearer than the nearest one that sets
// name holds an include hoplint could not follow: that include may set
// name too, so the value found further out is not known to apply.
func (s *Scope) Shadowed(name string) bool {
	for sc := s; sc != nil; sc = sc.Parent {
		sc.index()
		if sc.maybe[name] {
			return true // a template sets it here in one branch only
		}
		if len(sc.Local(name)) > 0 {
			return false
		}
		if sc.unresolved {
			return true
		}
	}
	return false
}

// Last returns the effective single-valued directive: the last one at the
// nearest level that sets it (nginx rejects most duplicates; where it
// accepts them, the last wins), or nil.
func (s *Scope) Last(name string) *Directive {
	ds := s.Lookup(name)
	if len(ds) == 0 {
		return nil
	}
	return ds[len(ds)-1]
}

// Server is a server block.
type Server struct {
	*Scope
	Names     []string
	Listens   []Listen
	Locations []*Location
}

// Listen is one listen directive.
type Listen struct {
	Host string
	Port int
	Unix string
	D    *Directive
}

// Location is a location block, possibly nested.
type Location struct {
	*Scope
	// Match is the location's match as written ("/api", "~ \.php$", "@fallback").
	Match  string
	Server *Server // nil for a location in a fragment with no server around it
	// Pass is the *_pass directive that makes the location forward requests
	// (proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass, grpc_pass), or nil.
	Pass *Directive
}

// Upstream is an upstream block.
type Upstream struct {
	*Scope
	Name    string
	Servers []*Directive
}

// Model is the structure of a Config: its levels, servers, locations and
// upstreams.
type Model struct {
	Main      *Scope
	HTTP      *Scope // nil when the file has no http block (a fragment)
	Events    *Scope
	Servers   []*Server
	Locations []*Location // every location, nested ones included, in file order
	Upstreams []*Upstream
}

// PassDirectives forward a request to another server.
var PassDirectives = map[string]bool{
	"proxy_pass": true, "fastcgi_pass": true, "uwsgi_pass": true, "scgi_pass": true, "grpc_pass": true,
}

// Build walks the configuration once and returns its model.
func (c *Config) Build() *Model {
	m := &Model{Main: &Scope{Directives: c.Directives}}
	m.walk(m.Main, nil, nil)
	return m
}

func (m *Model) walk(sc *Scope, srv *Server, loc *Location) {
	for _, d := range sc.Directives {
		if !d.IsBlock {
			continue
		}
		child := &Scope{Block: d, Parent: sc, Directives: d.Block}
		switch d.Name {
		case "http":
			m.HTTP = child
			m.walk(child, nil, nil)
		case "events":
			m.Events = child
		case "server":
			if srv != nil || loc != nil {
				continue // "server" inside upstream-like contexts is not a block
			}
			s := &Server{Scope: child}
			for _, n := range child.Local("server_name") {
				s.Names = append(s.Names, n.Args...)
			}
			for _, l := range child.Local("listen") {
				s.Listens = append(s.Listens, parseListen(l))
			}
			m.Servers = append(m.Servers, s)
			m.walk(child, s, nil)
		case "location":
			l := &Location{Scope: child, Match: strings.Join(d.Args, " "), Server: srv}
			for _, x := range child.Directives {
				if PassDirectives[x.Name] {
					l.Pass = x
				}
			}
			m.Locations = append(m.Locations, l)
			if srv != nil && loc == nil {
				srv.Locations = append(srv.Locations, l)
			}
			m.walk(child, srv, l)
		case "upstream":
			u := &Upstream{Scope: child, Name: d.Arg(0)}
			u.Servers = child.Local("server")
			m.Upstreams = append(m.Upstreams, u)
		case "if", "limit_except":
			// Directives inside if/limit_except belong to the location.
			m.walk(child, srv, loc)
		}
	}
}

// parseListen reads "80", "127.0.0.1:8080", "[::]:443", "*:80",
// "localhost", "unix:/path".
func parseListen(d *Directive) Listen {
	a := d.Arg(0)
	l := Listen{D: d}
	if strings.Contains(a, "$") {
		return l // a template's placeholder: address unknown
	}
	switch {
	case strings.HasPrefix(a, "unix:"):
		l.Unix = strings.TrimPrefix(a, "unix:")
		return l
	case strings.HasPrefix(a, "["):
		if i := strings.Index(a, "]"); i > 0 {
			l.Host = a[1:i]
			a = strings.TrimPrefix(a[i+1:], ":")
		}
	case strings.Contains(a, ":"):
		i := strings.LastIndex(a, ":")
		l.Host, a = a[:i], a[i+1:]
	}
	if n, err := strconv.Atoi(a); err == nil {
		l.Port = n
	} else if l.Host == "" {
		l.Host, l.Port = a, 80 // "listen localhost;" means port 80
	}
	if l.Host == "*" {
		l.Host = ""
	}
	return l
}

// UpstreamByName indexes upstream blocks by name.
func (m *Model) UpstreamByName() map[string]*Upstream {
	out := make(map[string]*Upstream, len(m.Upstreams))
	for _, u := range m.Upstreams {
		out[u.Name] = u
	}
	return out
}

// UpstreamName returns NAME for "proxy_pass http://NAME/..." when NAME could
// be an upstream block (no variable), or "". Both the loader (to draw the
// location → upstream link) and rules (to find the upstream a location
// pools through) resolve a *_pass this way.
func UpstreamName(d *Directive) string {
	u := d.Arg(0)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		u = u[:i]
	}
	if u == "" || strings.Contains(u, "$") {
		return ""
	}
	return u
}
