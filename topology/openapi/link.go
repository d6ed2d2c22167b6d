package openapi

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/nginx"
	oas "github.com/hoplint/hoplint/parsers/openapi"
	"github.com/hoplint/hoplint/parsers/terraform"
	"github.com/hoplint/hoplint/topology"
)

func init() { topology.RegisterLinker("o-openapi", linkOpenAPI) }

// routeHop is a hop that serves a route's path, and why.
type routeHop struct {
	hop *topology.Hop
	why string
	// byHost: the hop chose the route by the spec's host (a server_name,
	// a host_header condition, an Ingress rule's host), not for any host.
	byHost bool
}

// routeServer finds, for one front-end object (an nginx server, an Apache
// virtual host, an Ingress, an ALB listener), the hops that serve a path:
// host is "" when the spec names none (then any name matches).
type routeServer func(host, path string) []routeHop

// frontEnd is a routeServer and, for a server chosen only by name (an
// nginx server, an Apache virtual host), the names it answers to: a route
// with a host then asks only the servers that name that host (frontIndex),
// not every server of the tree.
type frontEnd struct {
	serve routeServer
	// names: nil, or the names without which the object serves no route
	// that names a host.
	names  []string
	byName bool
}

// frontIndex finds the front ends that may serve a host: those that name
// it exactly, those with a wildcard name, and those not chosen by name.
// Candidates come back in the order of fronts, so that links are drawn in
// the same order every run.
type frontIndex struct {
	fronts []frontEnd
	exact  map[string][]int
	always []int // wildcard names, or not chosen by name
	all    []int // 0 … len(fronts)-1, made on first use
}

func newFrontIndex(fronts []frontEnd) *frontIndex {
	x := &frontIndex{fronts: fronts, exact: map[string][]int{}}
	for i, f := range fronts {
		if !f.byName {
			x.always = append(x.always, i)
			continue
		}
		wild := false
		seen := map[string]bool{}
		for _, n := range f.names {
			n = hostName(n)
			if isWildcardName(n) {
				wild = true
				continue
			}
			if !seen[n] {
				seen[n] = true
				x.exact[n] = append(x.exact[n], i)
			}
		}
		if wild {
			x.always = append(x.always, i)
		}
	}
	return x
}

// forHost lists the front ends to ask about a route with this host; host
// is not "".
func (x *frontIndex) forHost(host string) []int {
	named := x.exact[host]
	if len(named) == 0 {
		return x.always
	}
	out := make([]int, 0, len(named)+len(x.always))
	out = append(out, named...)
	out = append(out, x.always...)
	sort.Ints(out)
	return out
}

// anyHost lists the front ends that may serve a route with this host for
// any host: for a route without one, all of them; with one, those not
// chosen by name (a server chosen by name serves a named route only by
// that name).
func (x *frontIndex) anyHost(host string) []int {
	if host != "" {
		return x.always
	}
	if len(x.all) != len(x.fronts) {
		x.all = make([]int, len(x.fronts))
		for i := range x.all {
			x.all[i] = i
		}
	}
	return x.all
}

// linkOpenAPI links each route to the hops that serve it: by address when
// a hop chose the route by the spec's host and its path; otherwise (the
// spec names no host or only a loopback one, or the hop serves the path
// for any host) only when exactly one hop in the linted files serves the
// path, as an assumption (off under link: strict). Routes of a spec that a
// stack in .hoplint.yml declares are left as declared.
func linkOpenAPI(g *topology.Graph, env *topology.Env) {
	fronts := newFrontIndex(frontEnds(g))
	for _, c := range g.Configs[parsers.FormatOpenAPI] {
		oc := c.(*topology.OpenAPIConfig)
		if hasDeclaredIn(g, oc.Hop) {
			continue
		}
		for _, r := range oc.Spec.Routes {
			h := oc.Routes[r]
			if hasDeclaredIn(g, h) {
				continue
			}
			linkRoute(g, env, fronts, r, h)
		}
	}
}

func linkRoute(g *topology.Graph, env *topology.Env, fronts *frontIndex, r *oas.Route, h *topology.Hop) {
	type cand struct {
		s    routeHop
		path string
		srv  oas.Server
	}
	type specServer struct {
		host, path string
		srv        oas.Server
	}
	servers := make([]specServer, 0, len(r.Servers))
	for _, srv := range r.Servers {
		host := srv.Host
		if topology.IsLoopback(host) {
			host = ""
		}
		servers = append(servers, specServer{host, oas.JoinPath(srv.Base, r.Template), srv})
	}
	// Links by name first: a front end that chose the route by the spec's
	// host. Only the front ends that may name the host are asked.
	var named, anon []cand
	for _, ss := range servers {
		if ss.host == "" {
			continue
		}
		for _, i := range fronts.forHost(strings.ToLower(ss.host)) {
			for _, s := range fronts.fronts[i].serve(ss.host, ss.path) {
				if s.byHost {
					named = append(named, cand{s, ss.path, ss.srv})
				}
			}
		}
	}
	for _, c := range named {
		g.Link(&topology.Edge{From: c.s.hop, To: h, Confidence: topology.Address,
			Why: fmt.Sprintf("the spec serves %s at %s%s (servers: %s), and %s", r.Label(), c.srv.Host, c.path, c.srv.URL, c.s.why)})
	}
	if len(named) > 0 || env.Config.Strict() {
		return
	}
	// Then the hops that serve the path for any host: a link only when
	// there is exactly one, so the scan stops at a second.
	hops := map[*topology.Hop]bool{}
scan:
	for _, ss := range servers {
		for _, i := range fronts.anyHost(ss.host) {
			for _, s := range fronts.fronts[i].serve(ss.host, ss.path) {
				if s.byHost {
					continue
				}
				anon = append(anon, cand{s, ss.path, ss.srv})
				hops[s.hop] = true
				if len(hops) > 1 {
					break scan
				}
			}
		}
	}
	if len(hops) != 1 {
		return
	}
	c := anon[0]
	what := "names no host"
	switch {
	case c.srv.Host != "" && topology.IsLoopback(c.srv.Host):
		what = "names only a loopback host"
	case c.srv.Host != "":
		what = "names host " + c.srv.Host + ", which no linted hop names"
	}
	g.Link(&topology.Edge{From: c.s.hop, To: h, Confidence: topology.Assumed,
		Why: fmt.Sprintf("the spec %s (servers: %s), and %s is the only linted hop serving %s: %s", what, c.srv.URL, c.s.hop.NameAndFile(), c.path, c.s.why)})
}

func hasDeclaredIn(g *topology.Graph, h *topology.Hop) bool {
	for _, e := range g.In(h) {
		if e.Confidence == topology.Declared {
			return true
		}
	}
	return false
}

// frontEnds collects the objects that route requests by host and path.
func frontEnds(g *topology.Graph) []frontEnd {
	var out []frontEnd
	for _, c := range g.Configs[parsers.FormatNginx] {
		nc := c.(*topology.NginxConfig)
		for _, s := range nc.Model.Servers {
			out = append(out, frontEnd{serve: nginxServes(nc, s), names: s.Names, byName: true})
		}
	}
	var tgs []*topology.Hop // in graph order, so that links are drawn in the same order every run
	for _, h := range g.Hops {
		if _, ok := h.Config.(*terraform.TargetGroup); ok && h.Kind == topology.KindTargetGroup {
			tgs = append(tgs, h)
		}
	}
	var rules []*terraform.ListenerRule
	for _, c := range g.Configs[parsers.FormatTerraform] {
		if r, ok := c.(*terraform.ListenerRule); ok {
			rules = append(rules, r)
		}
	}
	for _, c := range g.Configs[parsers.FormatTerraform] {
		if l, ok := c.(*terraform.Listener); ok {
			out = append(out, frontEnd{serve: albServes(l, rules, tgs)})
		}
	}
	httpRoutes := map[*kubernetes.Object][]*topology.Hop{}
	var routeOrder []*kubernetes.Object
	for _, h := range g.Hops {
		switch cfg := h.Config.(type) {
		case *apache.Host:
			if h.Kind == topology.KindApacheVHost {
				out = append(out, frontEnd{serve: apacheServes(h, cfg), names: cfg.Names, byName: true})
			}
		case *kubernetes.Ingress:
			out = append(out, frontEnd{serve: ingressServes(h, cfg)})
		case *topology.GatewayRoute:
			if h.Kind == topology.KindGatewayRoute && cfg.Object != nil && cfg.Object.Kind == "HTTPRoute" {
				if _, seen := httpRoutes[cfg.Object]; !seen {
					routeOrder = append(routeOrder, cfg.Object)
				}
				httpRoutes[cfg.Object] = append(httpRoutes[cfg.Object], h)
			}
		}
	}
	for _, o := range routeOrder {
		out = append(out, frontEnd{serve: httpRouteServes(o, httpRoutes[o])})
	}
	return out
}

// httpRouteServes matches a Gateway API HTTPRoute: one of its hostnames
// (none: any host), then, among its rules, the longest path that covers
// the route (PathPrefix semantics, the API's default match: whole path
// segments; a rule without matches serves "/").
func httpRouteServes(o *kubernetes.Object, rules []*topology.Hop) routeServer {
	return func(host, path string) []routeHop {
		var best *topology.Hop
		bestLen, bestPath, named := -1, "", false
		for _, h := range rules {
			r := h.Config.(*topology.GatewayRoute)
			byHost := false
			if host != "" && len(r.Hosts) > 0 {
				if _, ok := hostMatches(r.Hosts, host); !ok {
					continue
				}
				byHost = true
			}
			paths := r.Paths
			if len(paths) == 0 {
				paths = []string{"/"}
			}
			for _, p := range paths {
				if segmentPrefix(p, literal(path)) && len(p) > bestLen {
					best, bestLen, bestPath, named = h, len(p), p, byHost
				}
			}
		}
		if best == nil {
			return nil
		}
		return []routeHop{{hop: best, why: fmt.Sprintf("%s %s matches it by path prefix %s", o.Kind, topology.RefName(o), bestPath), byHost: named}}
	}
}

// hostMatches applies server_name / ServerAlias / Ingress host rules:
// exact, "*.example.com", "example.*", ".example.com" (nginx: the name and
// its subdomains). Regular-expression names are not matched.
func hostMatches(names []string, host string) (string, bool) {
	for _, n := range names {
		n = hostName(n)
		switch {
		case n == host:
			return n, true
		case strings.HasPrefix(n, "*.") && strings.HasSuffix(host, n[1:]):
			return n, true
		case strings.HasSuffix(n, ".*") && strings.HasPrefix(host, n[:len(n)-1]):
			return n, true
		case strings.HasPrefix(n, ".") && (host == n[1:] || strings.HasSuffix(host, n)):
			return n, true
		}
	}
	return "", false
}

// hostName is a server_name, ServerAlias or Ingress host as compared:
// unquoted, lower case.
func hostName(n string) string { return strings.ToLower(strings.Trim(n, `"'`)) }

// isWildcardName reports the name forms hostMatches matches other than
// exactly ("*.example.com", "example.*", ".example.com"); frontIndex asks
// the fronts with such a name about every host.
func isWildcardName(n string) bool {
	return strings.HasPrefix(n, "*.") || strings.HasSuffix(n, ".*") || strings.HasPrefix(n, ".")
}

// literal is the part of a path template before its first {parameter}:
// what a prefix can be compared with. A prefix longer than that may or may
// not match, depending on the parameter's value.
func literal(path string) string {
	if i := strings.IndexByte(path, '{'); i >= 0 {
		return path[:i]
	}
	return path
}

// prefixMatch reports whether prefix matches every request of the template
// (true, true), none (false, true), or depends on a parameter (_, false).
func prefixMatch(prefix, path string) (match, sure bool) {
	lit := literal(path)
	if strings.HasPrefix(lit, prefix) {
		return true, true
	}
	if len(prefix) > len(lit) && strings.HasPrefix(prefix, lit) && lit != path {
		return false, false
	}
	return false, true
}

// sample fills each {parameter} with "x", for regular expressions.
var paramRe = regexp.MustCompile(`\{[^}]*\}`)

func sample(path string) string { return paramRe.ReplaceAllString(path, "x") }

// nginxServes picks the location nginx would use for a path (exact match,
// longest prefix, ^~, then regular expressions in order), as
// ngx_http_core_module documents; the route links to it when it proxies.
func nginxServes(nc *topology.NginxConfig, s *nginx.Server) routeServer {
	return func(host, path string) []routeHop {
		why := ""
		if host != "" {
			name, ok := hostMatches(s.Names, host)
			if !ok {
				return nil
			}
			why = "server_name " + name + " matches"
		}
		l, how, ok := nginxLocation(s.Locations, path)
		if !ok || l == nil {
			return nil
		}
		h := nc.LocationHops[l]
		if h == nil {
			return nil // the location serves the path itself (no *_pass)
		}
		words := fmt.Sprintf("nginx picks location %s for it (%s)", l.Match, how)
		if why != "" {
			words = why + " and " + words
		}
		return []routeHop{{hop: h, why: words, byHost: host != ""}}
	}
}

func nginxLocation(locs []*nginx.Location, path string) (*nginx.Location, string, bool) {
	var best *nginx.Location
	bestLen, stop := -1, false
	var regexes []*nginx.Location
	for _, l := range locs {
		mod, arg := splitMatch(l.Match)
		switch mod {
		case "=":
			if arg == path && !strings.Contains(path, "{") {
				return l, "exact match", true
			}
		case "", "^~":
			m, sure := prefixMatch(arg, path)
			if !sure {
				return nil, "", false
			}
			if m && len(arg) > bestLen {
				best, bestLen, stop = l, len(arg), mod == "^~"
			}
		case "~", "~*":
			regexes = append(regexes, l)
		}
	}
	if best != nil && stop {
		return best, "longest prefix, ^~", true
	}
	for _, l := range regexes {
		mod, arg := splitMatch(l.Match)
		if mod == "~*" {
			arg = "(?i)" + arg
		}
		re, err := compileCached(arg)
		if err != nil {
			return nil, "", false // a PCRE feature Go lacks: unknown
		}
		if re.MatchString(sample(path)) {
			return l, "the first regular expression that matches, with each path parameter as \"x\"", true
		}
	}
	if best != nil {
		return best, "longest prefix", true
	}
	return nil, "", true
}

func splitMatch(m string) (mod, arg string) {
	f := strings.Fields(m)
	switch {
	case len(f) == 0:
		return "", ""
	case len(f) >= 2 && (f[0] == "=" || f[0] == "^~" || f[0] == "~" || f[0] == "~*"):
		return f[0], strings.Join(f[1:], " ")
	case strings.HasPrefix(f[0], "@"):
		return "@", f[0]
	case strings.HasPrefix(f[0], "="):
		return "=", strings.TrimPrefix(m, "=")
	case strings.HasPrefix(f[0], "^~"):
		return "^~", strings.TrimPrefix(m, "^~")
	case strings.HasPrefix(f[0], "~*"):
		return "~*", strings.TrimPrefix(m, "~*")
	case strings.HasPrefix(f[0], "~"):
		return "~", strings.TrimPrefix(m, "~")
	}
	return "", m
}

// apacheServes matches a virtual host's ServerName/ServerAlias and its
// ProxyPass paths in order (mod_proxy: the first matching rule wins; "!"
// excludes).
func apacheServes(h *topology.Hop, vh *apache.Host) routeServer {
	return func(host, path string) []routeHop {
		why := ""
		if host != "" {
			name, ok := hostMatches(vh.Names, host)
			if !ok {
				return nil
			}
			why = "ServerName/ServerAlias " + name + " matches and "
		}
		for _, p := range vh.Proxies {
			local := p.Path
			if local == "" && p.Section != nil && len(p.Section.Args) > 0 {
				local = p.Section.Args[0]
			}
			var m, sure bool
			switch {
			case p.Kind == "ProxyPass" && local != "":
				m, sure = prefixMatch(local, path)
			case p.Kind == "ProxyPassMatch" && local != "":
				re, err := compileCached(local)
				if err != nil {
					return nil
				}
				m, sure = re.MatchString(sample(path)), true
			default:
				continue
			}
			if !sure {
				return nil
			}
			if !m {
				continue
			}
			if p.Exclusion() {
				return nil
			}
			return []routeHop{{hop: h, why: fmt.Sprintf("%s%s %s is the first proxy rule of %s matching it", why, p.Kind, local, h.Name), byHost: host != ""}}
		}
		return nil
	}
}

// ingressServes matches an Ingress rule's host and the longest path that
// covers the route (Prefix semantics: whole path segments).
func ingressServes(h *topology.Hop, in *kubernetes.Ingress) routeServer {
	return func(host, path string) []routeHop {
		var best *kubernetes.Backend
		for i := range in.Backends {
			b := &in.Backends[i]
			if host != "" && b.Host != "" {
				if _, ok := hostMatches([]string{b.Host}, host); !ok {
					continue
				}
			}
			p := b.Path
			if b.Default {
				p = "/"
			}
			if p == "" {
				p = "/"
			}
			if !segmentPrefix(p, literal(path)) {
				continue
			}
			if best == nil || len(p) > len(best.Path) {
				best = b
			}
		}
		if best == nil {
			return nil
		}
		what := "its default backend"
		if !best.Default {
			what = fmt.Sprintf("its rule host %q path %s", best.Host, orSlash(best.Path))
		}
		return []routeHop{{hop: h, why: fmt.Sprintf("%s routes it by %s to Service %s", h.Name, what, best.Service), byHost: host != "" && best.Host != ""}}
	}
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func segmentPrefix(prefix, path string) bool {
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix == "" {
		return true
	}
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// albServes evaluates an ALB listener's rules for a request: host_header
// and path_pattern conditions (wildcards * and ?), lowest priority first,
// then the default action, as the ALB documents. A rule whose conditions
// or priority hoplint cannot evaluate makes the answer unknown: no link.
func albServes(l *terraform.Listener, all []*terraform.ListenerRule, tgs []*topology.Hop) routeServer {
	var rules []*terraform.ListenerRule
	for _, r := range all {
		if r.Listener.RefersTo(&l.Object) {
			rules = append(rules, r)
		}
	}
	// The target groups of each forward, found once: every route asks.
	targets := map[*terraform.Forward][]*topology.Hop{}
	forwardTo := func(f *terraform.Forward) []*topology.Hop {
		hs, ok := targets[f]
		if !ok {
			for _, h := range tgs {
				if f.TargetGroup.RefersTo(&h.Config.(*terraform.TargetGroup).Object) {
					hs = append(hs, h)
				}
			}
			targets[f] = hs
		}
		return hs
	}
	return func(host, path string) []routeHop {
		type cand struct {
			r      *terraform.ListenerRule
			prio   int64
			why    string
			byHost bool
		}
		var cands []cand
		for _, r := range rules {
			m, why, byHost := ruleMatches(r, host, path)
			if m == matchNo {
				continue
			}
			prio, ok := r.Priority.Int()
			if !ok || m == matchUnknown {
				return nil // it may take the request before any other rule
			}
			cands = append(cands, cand{r, prio, why, byHost})
		}
		fws, why, byHost := l.Forwards, "no listener rule matches it, and the default action of listener "+topology.TerraformName(&l.Object)+" forwards", false
		if len(cands) > 0 {
			best := cands[0]
			for _, c := range cands[1:] {
				if c.prio < best.prio {
					best = c
				}
			}
			fws, byHost = best.r.Forwards, best.byHost
			why = fmt.Sprintf("listener rule %s (priority %d, %s) forwards", topology.TerraformName(&best.r.Object), best.prio, best.why)
		}
		var out []routeHop
		for i := range fws {
			for _, h := range forwardTo(&fws[i]) {
				out = append(out, routeHop{hop: h, why: why + " it to " + h.Name, byHost: byHost})
			}
		}
		return out
	}
}

type match uint8

const (
	matchNo match = iota
	matchYes
	matchUnknown
)

func ruleMatches(r *terraform.ListenerRule, host, path string) (match, string, bool) {
	if len(r.Conditions) == 0 {
		return matchUnknown, "", false
	}
	res, words, byHost := matchYes, []string{}, false
	for _, c := range r.Conditions {
		vals, ok := c.Values.Strings()
		if c.Field == "" || !ok {
			res = matchUnknown
			continue
		}
		subject, fold := sample(path), false
		if c.Field == "host_header" {
			if host == "" {
				res = matchUnknown // the spec names no host: any rule on the host may apply
				continue
			}
			subject, fold = host, true
		}
		hit := ""
		for _, v := range vals {
			if globMatch(v, subject, fold) {
				hit = v
				break
			}
		}
		if hit == "" {
			return matchNo, "", false
		}
		byHost = byHost || c.Field == "host_header"
		words = append(words, c.Field+" "+hit)
	}
	return res, strings.Join(words, ", "), byHost
}

// globMatch matches an ALB condition value: * any run of characters, ? one.
func globMatch(pattern, s string, fold bool) bool {
	var b strings.Builder
	b.WriteString("^")
	if fold {
		b.WriteString("(?i)")
	}
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	re, err := compileCached(b.String())
	return err == nil && re.MatchString(s)
}

// regexCache holds the expressions compiled while linking: each location,
// ProxyPassMatch or listener-rule pattern is tried against every route.
// Graphs may be built concurrently (tests do), hence the lock.
var regexCache struct {
	sync.Mutex
	m map[string]compiled
}

type compiled struct {
	re  *regexp.Regexp
	err error
}

func compileCached(expr string) (*regexp.Regexp, error) {
	regexCache.Lock()
	defer regexCache.Unlock()
	if c, ok := regexCache.m[expr]; ok {
		return c.re, c.err
	}
	re, err := regexp.Compile(expr)
	if regexCache.m == nil || len(regexCache.m) > 10000 {
		regexCache.m = map[string]compiled{}
	}
	regexCache.m[expr] = compiled{re, err}
	return re, err
}
