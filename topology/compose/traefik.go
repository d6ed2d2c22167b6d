package compose

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
	"github.com/hoplint/hoplint/topology"
	"github.com/hoplint/hoplint/topology/appserver"
	"github.com/hoplint/hoplint/topology/setting"
)

// labelProxies makes the hops of the proxies that a project's services
// configure with their own labels or environment, in front of those
// services: Traefik's Docker provider (traefik.* labels) and nginx-proxy
// (VIRTUAL_HOST). It runs once the project's service hops are built.
func labelProxies(part *topology.Graph, pr *project, env *topology.Env) {
	traefikRoutes(part, pr, env)
	nginxProxyRoutes(part, pr, env)
}

// Where Traefik documents the defaults used here (docs/facts/traefik.md).
const (
	traefikTransportDoc  = "https://doc.traefik.io/traefik/routing/overview/#transport-configuration"
	traefikEntryPointDoc = "https://doc.traefik.io/traefik/routing/entrypoints/#respondingtimeouts"
	traefikVersions      = "v2.0 to v3.7"
)

// TraefikRoute is the typed object behind a KindTraefikRoute hop: what
// Traefik, running in one compose service, makes of another service's
// labels.
type TraefikRoute struct {
	Project *compose.Project
	Traefik *compose.Service
	Service *compose.Service
	// Routers are the routers the labels declare, by name; none when
	// Traefik makes its default router for the container.
	Routers []string
}

// traefik is one compose service running Traefik.
type traefik struct {
	sv      *service
	hop     *topology.Hop
	version []int // from the image tag; nil when unknown
	st      *traefikStatic
	// constraints is providers.docker.constraints, nil when not set.
	constraints *staticValue
}

func traefikRoutes(part *topology.Graph, pr *project, env *topology.Env) {
	var labelled bool
	for _, sv := range pr.services {
		ls := traefikLabelsOf(sv.s)
		labelled = labelled || len(ls.http) > 0 || ls.enable != nil && strings.EqualFold(ls.enable.Value, "true")
	}
	for _, sv := range pr.services {
		name, tag := appserver.ImageName(sv.ct.Image)
		if name != "traefik" {
			continue
		}
		h := part.Hop(sv.id)
		if h == nil {
			continue
		}
		tr := &traefik{sv: sv, hop: h}
		tr.version, _ = setting.VersionParts(tag)
		if len(tr.version) > 0 && tr.version[0] < 2 {
			continue // Traefik 1 reads other labels (traefik.frontend.rule)
		}
		tr.st = readTraefikStatic(pr, sv, env)
		part.AddSource(tr.st.file)
		tr.container(tag)
		on, note := tr.dockerProvider(labelled)
		if !on {
			continue
		}
		mws := traefikMiddlewares(pr)
		for _, t := range pr.services {
			if t != sv {
				tr.route(part, pr, t, mws, note)
			}
		}
	}
}

// container names the Traefik container's hop and gives it the idle
// timeout of its entry points toward clients.
func (tr *traefik) container(tag string) {
	h := tr.hop
	label := "Traefik"
	if tag != "" {
		label += " " + tag
	}
	if h.Name == "compose service "+tr.sv.s.Name {
		h.Name = label + " in compose service " + tr.sv.s.Name
	}
	if h.KeepAlive.Known() {
		return
	}
	src := &topology.DefaultSource{Product: "Traefik", Version: traefikVersions, URL: traefikEntryPointDoc}
	h.KeepAlive = tr.entryPoints("transport.respondingtimeouts.idletimeout", "entryPoints transport.respondingTimeouts.idleTimeout", 180*time.Second, src)
	if rt := tr.readTimeoutDefault(); rt != nil {
		h.ReadTimeout = tr.entryPoints("transport.respondingtimeouts.readtimeout", "entryPoints transport.respondingTimeouts.readTimeout", rt.value, rt.src)
	}
}

type versionedDefault struct {
	value time.Duration
	src   *topology.DefaultSource
}

// readTimeoutDefault is the entry points' readTimeout default of the
// image's version: none before v2.11.2 (and v3.0.0-rc5), 60 s since; nil
// when the tag does not tell.
func (tr *traefik) readTimeoutDefault() *versionedDefault {
	v := tr.version
	if len(v) < 2 {
		if len(v) == 1 && v[0] >= 3 {
			return &versionedDefault{60 * time.Second, &topology.DefaultSource{Product: "Traefik", Version: "v3", URL: traefikEntryPointDoc}}
		}
		return nil
	}
	newer := v[0] >= 3 || v[0] == 2 && (v[1] > 11 || v[1] == 11 && (len(v) < 3 || v[2] >= 2))
	if newer {
		return &versionedDefault{60 * time.Second, &topology.DefaultSource{Product: "Traefik", Version: "v2.11.2 and later", URL: traefikEntryPointDoc}}
	}
	return &versionedDefault{topology.Forever, &topology.DefaultSource{Product: "Traefik", Version: "before v2.11.2", URL: traefikEntryPointDoc}}
}

// entryPoints reads an option every entry point has: the value they all
// share, Unknown when they differ.
func (tr *traefik) entryPoints(opt, name string, def time.Duration, src *topology.DefaultSource) topology.Duration {
	eps := map[string]bool{}
	for k := range tr.st.values {
		if rest, ok := strings.CutPrefix(k, "entrypoints."); ok {
			if ep, _, ok := strings.Cut(rest, "."); ok {
				eps[ep] = true
			}
		}
	}
	deflt := topology.DefaultFor(name, def, tr.sv.ct.ImageRange, src)
	if !tr.st.known {
		deflt.Note = tr.assumed()
	}
	names := make([]string, 0, len(eps))
	for ep := range eps {
		names = append(names, ep)
	}
	sort.Strings(names) // the first entry point setting it is the one a finding points at
	var out *topology.Duration
	for _, ep := range names {
		s := deflt
		if v, ok := tr.st.values["entrypoints."+ep+"."+opt]; ok {
			d, valid := traefikDuration(v.value)
			if v.unknown || !valid {
				return topology.Duration{Name: name}
			}
			if d == 0 {
				d = topology.Forever
			}
			s = topology.SetAt(v.written, d, v.rng)
		}
		if out != nil && out.Value != s.Value {
			return topology.Duration{Name: name}
		}
		if out == nil || s.Prov == topology.Set && out.Prov != topology.Set {
			out = &s
		}
	}
	if out == nil {
		return deflt
	}
	return *out
}

func (tr *traefik) assumed() string {
	return "assuming Traefik's static configuration leaves this option at its default"
}

// dockerProvider tells whether Traefik reads the containers' labels.
// When its static configuration is unreadable, the traefik.* labels of
// the project's services say it does, and the routes say so.
func (tr *traefik) dockerProvider(labelled bool) (bool, string) {
	if tr.st.known {
		if v, ok := tr.st.values["providers.docker.swarmmode"]; ok && !strings.EqualFold(v.value, "false") {
			return false, "" // Swarm mode reads deploy.labels, not the containers' labels
		}
		if v, ok := tr.st.values["providers.docker.constraints"]; ok {
			if v.unknown {
				return false, "" // which containers pass is not for hoplint to guess
			}
			tr.constraints = &v
		}
		return tr.st.on("providers.docker"), ""
	}
	if !labelled {
		return false, ""
	}
	return true, "assuming Traefik's Docker provider is on, as the traefik.* labels of the services suggest"
}

// traefikLabels are a service's traefik.* labels for HTTP, by object.
type traefikLabels struct {
	enable   *compose.String
	routers  map[string]map[string]labelValue // router → option → value
	services map[string]map[string]labelValue
	// http lists the traefik.http.* labels in key order; other are the
	// TCP and UDP ones.
	http  []labelValue
	other bool
}

type labelValue struct {
	key string // as written
	compose.String
}

func traefikLabelsOf(s *compose.Service) traefikLabels {
	out := traefikLabels{routers: map[string]map[string]labelValue{}, services: map[string]map[string]labelValue{}}
	keys := make([]string, 0, len(s.Labels))
	for k := range s.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := labelValue{k, s.Labels[k]}
		parts := strings.Split(k, ".")
		if len(parts) < 2 || !strings.EqualFold(parts[0], "traefik") {
			continue
		}
		switch strings.ToLower(parts[1]) {
		case "enable":
			if len(parts) == 2 {
				str := s.Labels[k]
				out.enable = &str
			}
		case "tcp", "udp":
			out.other = true
		case "http":
			out.http = append(out.http, v)
			if len(parts) < 5 {
				continue
			}
			opt := strings.ToLower(strings.Join(parts[4:], "."))
			var m map[string]map[string]labelValue
			switch strings.ToLower(parts[2]) {
			case "routers":
				m = out.routers
			case "services":
				m = out.services
			default:
				continue
			}
			if m[parts[3]] == nil {
				m[parts[3]] = map[string]labelValue{}
			}
			m[parts[3]][opt] = v
		}
	}
	return out
}

// traefikMiddleware is a middleware the project's labels declare.
type traefikMiddleware struct {
	// body is its buffering.maxRequestBodyBytes, when it sets one.
	body *labelValue
}

// traefikMiddlewares gathers the middlewares declared by labels on any
// service of the project: the Docker provider sees them all.
func traefikMiddlewares(pr *project) map[string]*traefikMiddleware {
	out := map[string]*traefikMiddleware{}
	for _, sv := range pr.services {
		keys := make([]string, 0, len(sv.s.Labels))
		for k := range sv.s.Labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := sv.s.Labels[k]
			parts := strings.Split(k, ".")
			if len(parts) < 5 || !strings.EqualFold(parts[0], "traefik") || !strings.EqualFold(parts[1], "http") || !strings.EqualFold(parts[2], "middlewares") {
				continue
			}
			m := out[parts[3]]
			if m == nil {
				m = &traefikMiddleware{}
				out[parts[3]] = m
			}
			if strings.EqualFold(strings.Join(parts[4:], "."), "buffering.maxRequestBodyBytes") && m.body == nil {
				m.body = &labelValue{k, v}
			}
		}
	}
	return out
}

// route makes the hop of Traefik's routing to service t, when t's labels
// (or exposedByDefault) make Traefik route to it.
func (tr *traefik) route(part *topology.Graph, pr *project, t *service, mws map[string]*traefikMiddleware, providerNote string) {
	to := part.Hop(t.id)
	if to == nil {
		return
	}
	ls := traefikLabelsOf(t.s)
	if len(ls.http) == 0 && (ls.enable == nil || ls.other) {
		// No HTTP labels: a TCP or UDP route, or a container exposed
		// only by default, with a rule hoplint cannot tell anyone uses.
		return
	}
	if tr.constraints != nil {
		if match, known := matchConstraints(tr.constraints.value, t.s.Labels); !match || !known {
			return // Traefik skips the container, or hoplint cannot tell
		}
	}
	notes := []string{providerNote}
	if !tr.st.known {
		notes = append(notes, tr.st.note)
	}
	if ls.enable != nil {
		if !ls.enable.Known || !strings.EqualFold(ls.enable.Value, "true") {
			return // traefik.enable=false, or unknown
		}
	} else {
		ebd, set := tr.st.values["providers.docker.exposedbydefault"]
		switch {
		case set && (ebd.unknown || !strings.EqualFold(ebd.value, "true")):
			return
		case !tr.st.known:
			notes = append(notes, "assuming exposedByDefault is true, Traefik's default, as compose service "+t.s.Name+" has no traefik.enable label")
		}
	}
	if !sharesNetwork(tr.hop, to) {
		return // Traefik reaches a container only on a network both join
	}
	// The hop sits at the first router's rule, else the first HTTP
	// label, else traefik.enable.
	var rng parsers.Range
	switch {
	case len(ls.http) > 0:
		rng = ls.http[0].Range
	case ls.enable != nil:
		rng = ls.enable.Range
	}
	ruled := false
	var routers []string
	for name, opts := range ls.routers {
		routers = append(routers, name)
		if r, ok := opts["rule"]; ok && (!ruled || r.Range.Less(rng)) {
			rng, ruled = r.Range, true
		}
	}
	sort.Strings(routers)
	port, why := tr.port(t, ls)
	var portWhy string
	if port > 0 {
		portWhy = fmt.Sprintf(" on port %d (%s)", port, why)
	}
	name := "Traefik's default router for compose service " + t.s.Name
	switch len(routers) {
	case 0:
	case 1:
		name = "Traefik router " + routers[0] + " for compose service " + t.s.Name
	default:
		name = "Traefik routers " + strings.Join(routers, ", ") + " for compose service " + t.s.Name
	}
	h := &topology.Hop{
		ID: t.id + "/traefik/" + tr.sv.s.Name, Kind: topology.KindTraefikRoute, Name: name,
		File: rng.File, Range: rng, Proxy: rng,
		Config: &TraefikRoute{Project: pr.p, Traefik: tr.sv.s, Service: t.s, Routers: routers},
		Pods:   []string{tr.hop.ID},
	}
	h.PoolIdle, h.UpstreamTimeout = tr.transport(ls, rng)
	h.BodyLimit = bodyLimit(ls, routers, mws)
	h.Notes = topology.AppendNew(nil, notes...)
	part.AddHop(h)
	part.Link(&topology.Edge{From: tr.hop, To: h, Within: true, Confidence: topology.Reference, Range: rng,
		Why: fmt.Sprintf("the traefik.* labels of compose service %s make a route of %s", t.s.Name, tr.hop.Name)})
	part.Link(&topology.Edge{From: h, To: to, Confidence: topology.Reference, Range: rng,
		Why: fmt.Sprintf("Traefik's Docker provider sends to compose service %s by its labels%s", t.s.Name, portWhy)})
}

// port is the container port Traefik sends to: the service's
// loadbalancer.server.port label, else the lowest port the container
// exposes (0 when none is known).
func (tr *traefik) port(t *service, ls traefikLabels) (int, string) {
	names := make([]string, 0, len(ls.services))
	for n := range ls.services {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if v, ok := ls.services[n]["loadbalancer.server.port"]; ok && v.Known {
			if p, err := strconv.Atoi(v.Value); err == nil && p > 0 {
				return p, v.key
			}
		}
	}
	low := 0
	for _, p := range t.ct.Ports {
		if low == 0 || p < low {
			low = p
		}
	}
	return low, "the lowest port the container exposes, as Traefik picks when no loadbalancer.server.port label names one"
}

// transport is the pool and the response wait of the serversTransport
// Traefik uses toward the service: the static configuration's default
// transport, unless a label names another (which labels cannot define).
func (tr *traefik) transport(ls traefikLabels, obj parsers.Range) (topology.Duration, topology.Duration) {
	const poolName, waitName = "serversTransport.forwardingTimeouts.idleConnTimeout", "serversTransport.forwardingTimeouts.responseHeaderTimeout"
	for _, opts := range ls.services {
		if _, ok := opts["loadbalancer.serverstransport"]; ok {
			// A transport of the file provider: labels cannot define one.
			return topology.Duration{Name: poolName}, topology.Duration{Name: waitName}
		}
	}
	src := &topology.DefaultSource{Product: "Traefik", Version: traefikVersions, URL: traefikTransportDoc}
	read := func(key, name string, def time.Duration) topology.Duration {
		v, ok := tr.st.values[key]
		if !ok {
			s := topology.DefaultFor(name, def, obj, src)
			if !tr.st.known {
				s.Note = tr.assumed()
			}
			return s
		}
		d, valid := traefikDuration(v.value)
		if v.unknown || !valid {
			return topology.Duration{Name: name}
		}
		if d == 0 {
			d = topology.Forever
		}
		return topology.SetAt(v.written, d, v.rng)
	}
	pool := read("serverstransport.forwardingtimeouts.idleconntimeout", poolName, 90*time.Second)
	if v, ok := tr.st.values["serverstransport.maxidleconnsperhost"]; ok {
		if n, err := strconv.Atoi(v.value); v.unknown || err != nil || n < 0 {
			// Negative: no connection is reused, so no idle pool races
			// the backend.
			pool = topology.Duration{Name: poolName}
		}
	}
	return pool, read("serverstransport.forwardingtimeouts.responseheadertimeout", waitName, topology.Forever)
}

// bodyLimit is the request-body limit of every router of the service: the
// smallest buffering maxRequestBodyBytes among its middlewares. Unknown
// when a router has none (Traefik sets no limit; as for Traefik in
// Kubernetes, hoplint leaves it unknown), names a middleware of another
// provider, or the routers disagree.
func bodyLimit(ls traefikLabels, routers []string, mws map[string]*traefikMiddleware) topology.Size {
	const name = "buffering.maxRequestBodyBytes"
	var out *topology.Size
	for _, r := range routers {
		v, ok := ls.routers[r]["middlewares"]
		if !ok || !v.Known {
			return topology.Size{Name: name}
		}
		var lim *topology.Size
		for _, m := range strings.Split(v.Value, ",") {
			m, provider, _ := strings.Cut(strings.TrimSpace(m), "@")
			if provider != "" && provider != "docker" {
				return topology.Size{Name: name}
			}
			def := mws[m]
			if def == nil {
				return topology.Size{Name: name}
			}
			if def.body == nil {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimSpace(def.body.Value), 10, 64)
			if !def.body.Known || err != nil || n < 0 {
				return topology.Size{Name: name}
			}
			if n == 0 {
				n = topology.Unlimited
			}
			s := topology.SetAt(def.body.key, n, def.body.Range)
			if lim == nil || n != topology.Unlimited && (lim.Value == topology.Unlimited || n < lim.Value) {
				lim = &s
			}
		}
		if lim == nil || out != nil && out.Value != lim.Value {
			return topology.Size{Name: name}
		}
		out = lim
	}
	if out == nil {
		return topology.Size{Name: name}
	}
	return *out
}

// sharesNetwork reports whether two service hops join a common network.
func sharesNetwork(a, b *topology.Hop) bool {
	as, ok1 := a.Config.(*Service)
	bs, ok2 := b.Config.(*Service)
	if !ok1 || !ok2 {
		return false
	}
	bn := map[string]bool{}
	for _, n := range networks(bs) {
		bn[n.Name] = true
	}
	for _, n := range networks(as) {
		if bn[n.Name] {
			return true
		}
	}
	return false
}
