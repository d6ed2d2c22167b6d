package topology

import (
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// HopKind says what a hop is. Rules switch on it to word their messages and
// to know which settings apply.
type HopKind string

// The hop kinds the parsers produce.
const (
	KindNginxServer      HopKind = "nginx-server"
	KindNginxLocation    HopKind = "nginx-location"
	KindNginxUpstream    HopKind = "nginx-upstream"
	KindApacheVHost      HopKind = "apache-vhost"
	KindApacheBackend    HopKind = "apache-backend"
	KindALB              HopKind = "aws-alb"
	KindNLB              HopKind = "aws-nlb"
	KindCLB              HopKind = "aws-clb"
	KindTargetGroup      HopKind = "aws-target-group"
	KindCloudFrontOrigin HopKind = "cloudfront-origin"
	KindIngressNginx     HopKind = "ingress-nginx"
	KindIngressALB       HopKind = "ingress-alb"
	KindService          HopKind = "k8s-service"
	KindPod              HopKind = "k8s-pod"
	KindAppServer        HopKind = "app-server"
)

// Hop is one place that terminates or forwards HTTP.
//
// Server side: what it does with connections it accepts from the hop
// before it. Client side: how it treats connections it opens to the next
// hop. A setting that does not apply to a kind stays Unknown.
type Hop struct {
	// ID is stable and user-facing: FILE#OBJECT, as in .hoplint.yml stacks.
	ID   string
	Kind HopKind
	// Name describes the hop in words: "nginx server api.example.com",
	// "ALB web", "Deployment shop/web (gunicorn)".
	Name string
	// File is the file that declares the hop; Range the declaration.
	File  string
	Range parsers.Range

	// Server side.
	KeepAlive Duration // idle timeout of accepted keep-alive connections; 0 = keep-alive off
	// Heartbeat: how often an app server writes on its own long-lived
	// streams (Socket.IO's pingInterval); Unknown for anything else.
	Heartbeat   Duration
	BodyLimit   Size     // largest request body accepted
	ReadTimeout Duration // how long it waits on a slow client (client_body_timeout, Timeout)
	// BodyRefusal says what happens to a body over BodyLimit when the
	// hop does not answer 413 itself (PHP runs the script without the
	// upload), in the product's own terms; "" for a 413.
	BodyRefusal string

	// Client side, toward the next hop.
	PoolIdle        Duration // how long an idle pooled upstream connection may be reused; Unknown when it does not pool
	UpstreamTimeout Duration // how long it waits for the next hop's response before giving up (504)
	// Proxy is where the hop is told to forward requests (proxy_pass,
	// ProxyPass, an Ingress backend); zero when it serves them itself.
	Proxy parsers.Range

	// Listen lists the ports it accepts on, for linking by address.
	Listen []Listen
	// Targets lists the addresses it forwards to, for linking by address.
	Targets []Target

	// Config is the parser's typed object behind the hop (*nginx.Server,
	// *apache.VHost, …), for single-hop rules.
	Config any
	// Notes are assumptions made while building the hop, repeated by any
	// finding on it.
	Notes []string
	// Pods are the pods the hop runs in, whose loopback address it
	// shares: the workload's hop ID for a container, and the IDs of every
	// workload that mounts the nginx or httpd configuration behind it;
	// none for a file that no linted manifest deploys.
	Pods []string
}

// SharesPod reports whether h runs in a pod that o runs in too.
func (h *Hop) SharesPod(o *Hop) bool {
	for _, p := range h.Pods {
		for _, q := range o.Pods {
			if p == q {
				return true
			}
		}
	}
	return false
}

// Proxies reports whether the hop forwards requests to another hop.
func (h *Hop) Proxies() bool { return !h.Proxy.IsZero() }

// Listen is a port a hop accepts connections on.
type Listen struct {
	Host  string // "" for any address
	Port  int
	Range parsers.Range
	// Private: only containers on the same network reach the port (a
	// compose service's container port that no host port publishes), so
	// a load balancer cannot.
	Private bool
}

// Target is an address a hop forwards requests to.
type Target struct {
	Host  string // DNS name, IP, upstream/service name
	Port  int    // 0 when unknown
	URL   string // as written
	Range parsers.Range
	// Passthrough: each client connection is carried to the target on a
	// backend connection of its own and closed with it (a Classic ELB TCP
	// or SSL listener), so there is no pool of idle connections toward it.
	Passthrough bool
}

// Confidence orders how an edge was found (DESIGN.md §3).
type Confidence uint8

const (
	// Assumed: exactly one candidate on each side; switched off by link: strict.
	Assumed Confidence = iota + 1
	// Address: matched across formats by host name or port.
	Address
	// Reference: written in the same format (proxy_pass NAME → upstream NAME).
	Reference
	// Declared: listed in .hoplint.yml stacks.
	Declared
)

func (c Confidence) String() string {
	switch c {
	case Assumed:
		return "assumed"
	case Address:
		return "address"
	case Reference:
		return "reference"
	case Declared:
		return "declared"
	}
	return "unknown"
}

// Edge says that From sends requests to To.
type Edge struct {
	From, To *Hop
	// Why says how the link was found, in words a user can check.
	Why        string
	Confidence Confidence
	// Range is where the link is written (the proxy_pass line), if anywhere.
	Range parsers.Range
	// Within marks containment rather than forwarding: To is a part of From
	// (a location of an nginx server) whose settings are inherited, not
	// applied a second time. Ordering rules do not compare across it, but
	// walk through it.
	Within bool
	// Passthrough: From carries each client connection to To as it is,
	// without a pool of its own (from Target.Passthrough).
	Passthrough bool

	// tie names the copy taken among equally near copies of an object, for
	// a linker that derives a link from this one to repeat.
	tie string
}

// Graph is everything hoplint knows about the linted files.
type Graph struct {
	Files    []*parsers.File
	Hops     []*Hop
	Edges    []*Edge
	Problems []parsers.Problem
	// Comments by file path, for suppressions.
	Comments map[string][]parsers.Comment
	// Suppressions written in a format's own way (not as comments).
	Suppressions []parsers.Suppression
	// Typed configuration per format, for single-hop rules. Each format's
	// loader appends to its own slice; the element types live in the parser
	// packages.
	Configs map[parsers.Format][]any
	// Sources are the files read besides the discovered ones (includes,
	// module sources), by path, so that reports quote lines from what was
	// parsed and never open a file again.
	Sources map[string]*parsers.File
	// ProblemsCapped is, per file whose problems were capped, the line of
	// the first one left out (see capProblems).
	ProblemsCapped map[string]int

	out map[*Hop][]*Edge
	in  map[*Hop][]*Edge
	ids map[string]*Hop
	// pair indexes the edges by their two ends, so that Link finds an
	// existing edge in one lookup: a server with 100,000 locations would
	// otherwise scan its edges once per edge added.
	pair map[hopPair]*Edge
}

type hopPair struct{ from, to *Hop }

// AddHop adds h, indexing it by ID.
func (g *Graph) AddHop(h *Hop) {
	g.Hops = append(g.Hops, h)
	if g.ids == nil {
		g.ids = map[string]*Hop{}
	}
	g.ids[h.ID] = h
}

// Hop returns the hop with the given ID, or nil.
func (g *Graph) Hop(id string) *Hop { return g.ids[id] }

// Link adds an edge from → to, unless an edge between them exists already;
// then the more confident reason is kept.
func (g *Graph) Link(e *Edge) {
	if g.out == nil {
		g.out, g.in, g.pair = map[*Hop][]*Edge{}, map[*Hop][]*Edge{}, map[hopPair]*Edge{}
	}
	k := hopPair{e.From, e.To}
	if o := g.pair[k]; o != nil {
		if e.Confidence > o.Confidence {
			*o = *e
		}
		return
	}
	g.pair[k] = e
	g.Edges = append(g.Edges, e)
	g.out[e.From] = append(g.out[e.From], e)
	g.in[e.To] = append(g.in[e.To], e)
}

// Out returns the edges leaving h.
func (g *Graph) Out(h *Hop) []*Edge { return g.out[h] }

// In returns the edges reaching h.
func (g *Graph) In(h *Hop) []*Edge { return g.in[h] }

// AddProblems records parser problems.
func (g *Graph) AddProblems(ps ...parsers.Problem) { g.Problems = append(g.Problems, ps...) }

// AddComments records a file's comments for suppressions.
//
// Only comments that carry parsers.DirectiveMarker are kept: suppressions
// are all the rules read from comments, and a large tree's other comments
// (every YAML "# ..." of 54,000 files) were 8 MB held to the end for
// nothing.
func (g *Graph) AddComments(file string, cs []parsers.Comment) {
	for _, c := range cs {
		if !strings.Contains(c.Text, parsers.DirectiveMarker) {
			continue
		}
		if g.Comments == nil {
			g.Comments = map[string][]parsers.Comment{}
		}
		g.Comments[file] = append(g.Comments[file], c)
	}
}

// AddSource records a file read by an include or module call.
func (g *Graph) AddSource(f *parsers.File) {
	if f == nil {
		return
	}
	if g.Sources == nil {
		g.Sources = map[string]*parsers.File{}
	}
	if _, ok := g.Sources[f.Path]; !ok {
		g.Sources[f.Path] = f
	}
}

// AddConfig records a parsed configuration object of format f.
func (g *Graph) AddConfig(f parsers.Format, c any) {
	if g.Configs == nil {
		g.Configs = map[parsers.Format][]any{}
	}
	g.Configs[f] = append(g.Configs[f], c)
}

// sortAll makes the graph's order independent of parse scheduling.
func (g *Graph) sortAll() {
	sort.SliceStable(g.Hops, func(i, j int) bool {
		if g.Hops[i].Range != g.Hops[j].Range {
			return g.Hops[i].Range.Less(g.Hops[j].Range)
		}
		return g.Hops[i].ID < g.Hops[j].ID
	})
	sort.SliceStable(g.Edges, func(i, j int) bool {
		a, b := g.Edges[i], g.Edges[j]
		if a.From.ID != b.From.ID {
			return a.From.ID < b.From.ID
		}
		return a.To.ID < b.To.ID
	})
	sort.SliceStable(g.Problems, func(i, j int) bool { return g.Problems[i].Range.Less(g.Problems[j].Range) })
}

// Parts returns h and every hop reachable from it through Within edges:
// an nginx server and its locations. An inner hop's settings can live in
// any of them.
func (g *Graph) Parts(h *Hop) []*Hop {
	out := []*Hop{h}
	for i := 0; i < len(out); i++ {
		for _, e := range g.out[out[i]] {
			if e.Within {
				out = append(out, e.To)
			}
		}
	}
	return out
}
