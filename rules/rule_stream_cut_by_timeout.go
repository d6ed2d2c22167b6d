package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/nginx"
	"github.com/hoplint/hoplint/topology"
)

var streamCutByTimeout = &Rule{
	ID:       "stream-cut-by-timeout",
	Title:    "a streaming route sits behind a hop that closes quiet responses",
	Severity: Warning,
	Doc: `A route that streams its response (` + "`text/event-stream`" + ` server-sent events,
` + "`application/x-ndjson`" + `, a websocket upgrade) keeps the response open and sends
data in pieces, often with long pauses. The hops in front of it do not
know that: each has a timer for the gap between two pieces of a response,
and closes the connection when it expires:

- nginx ` + "`proxy_read_timeout`" + ` (default 60s) "is set only between two successive
  read operations"; when the backend sends nothing for that long, nginx
  closes the connection. With ` + "`proxy_buffering on`" + ` (the default) events may
  also wait in nginx's buffers before they reach the client.
- An AWS Application Load Balancer's ` + "`idle_timeout`" + ` (default 60 s) closes a
  connection on which no data was sent or received for that long.
- A CloudFront origin's ` + "`origin_read_timeout`" + ` (default 30 s, at most 60 s, 180 s
  with a quota increase) is also the wait for each next packet.
- ingress-nginx ` + "`proxy-read-timeout`" + ` and Apache ` + "`ProxyTimeout`" + ` (default ` + "`Timeout`" + `, 60 s)
  behave the same way.

Envoy's route timeout (behind Envoy Gateway, 15 s by default, and Istio) is
worse: it ends the whole response that long after the request is complete,
however much is still being sent, so no heartbeat helps.

hoplint reads which routes stream from the OpenAPI spec, and takes every
WebSocket or gRPC proxy (an nginx ` + "`grpc_pass`" + ` or Upgrade header, an Apache
` + "`ws://`" + ` backend, ingress-nginx ` + "`backend-protocol: GRPC`" + `, a Gateway API
GRPCRoute) as streaming, and reports every
such timer in front of them that is at most ` + "`longest-silence`" + ` (60s by
default: how long a stream may go without a byte). Raise the timeout for
the streaming routes (an nginx location of their own with
` + "`proxy_read_timeout 1h; proxy_buffering off;`" + `), or make the application send a
heartbeat (an SSE comment line, ` + "`: ping`" + `) more often than the shortest timer.

An application that already pings on its own is not reported for timers longer
than its interval: a Node.js app that creates a Socket.IO server writes a ping
(or answers the client's) every ` + "`pingInterval`" + ` (25 s by default) on each
connection.`,
	Params: []Param{{Name: "longest-silence", Default: "60s",
		Doc: "how long a stream may go without sending anything; timers at or below it are reported"}},
	Run: runStreamCutByTimeout,
}

func init() { Register(streamCutByTimeout) }

// stream is a long-lived response behind some hops: a route a spec says
// streams, or a hop that itself proxies a stream (a WebSocket upgrade, a
// gRPC call) without any spec saying so.
type stream struct {
	// hop is where the stream is served: the spec's route, or the
	// proxying hop itself.
	hop *topology.Hop
	// words says what streams, for messages: "route GET /events of
	// api.yaml streams (text/event-stream)"; for a proxying hop, what it
	// does, after its name.
	words string
	// at is where that is written, and said there.
	at      parsers.Range
	atWords string
	// self: the proxying hop's own timer cuts the stream too.
	self bool
	// heartbeat is what the application can send to keep it alive.
	heartbeat string
	// caveat ends the message when the hop may also carry calls that do
	// not stream (a GRPCRoute's unary methods).
	caveat string
}

func runStreamCutByTimeout(p *Pass) {
	silence, err := time.ParseDuration(p.Param("longest-silence"))
	if err != nil || silence <= 0 {
		silence = 60 * time.Second
	}
	type hit struct {
		f    front
		s    stream
		more int
		beat topology.Duration // the application's own heartbeat, when known
	}
	type key struct {
		r    parsers.Range
		name string
	}
	var order []key
	hits := map[key]*hit{}
	var streams []stream
	for _, rh := range specRoutes(p.Graph) {
		if len(rh.r.Streams) == 0 {
			continue
		}
		s := rh.r.Streams[0]
		streams = append(streams, stream{hop: rh.h, words: fmt.Sprintf("%s streams (%s)", specFile(rh.h), s.What),
			at: s.Range, atWords: fmt.Sprintf("%s answers %s here", specFile(rh.h), s.What), heartbeat: "a heartbeat (an SSE comment line)"})
	}
	streams = append(streams, proxiedStreams(p.Graph)...)
	for _, st := range streams {
		fronts := routeFronts(p.Graph, st.hop)
		if st.self {
			fronts = append([]front{{hop: st.hop}}, fronts...)
		}
		beat, beats := streamHeartbeat(p.Graph, st.hop)
		for _, f := range fronts {
			t := f.hop.UpstreamTimeout
			if !t.Known() || t.Value == topology.Forever || t.Value > silence {
				continue
			}
			if beats && beat.Value < t.Value {
				// The application writes on its streams more often than
				// this timer waits (Socket.IO's ping): it never fires.
				continue
			}
			k := key{t.Range, t.Name}
			if h := hits[k]; h != nil {
				h.more++
				continue
			}
			hits[k] = &hit{f: f, s: st, beat: beat}
			order = append(order, k)
		}
	}
	for _, k := range order {
		h := hits[k]
		a, t := h.f.hop, h.f.hop.UpstreamTimeout
		others := ""
		if h.more > 0 {
			others = fmt.Sprintf(" (and %d more %s behind it)", h.more, plural(h.more, "stream", "streams"))
		}
		buffering := ""
		if nginxBuffers(a) && !h.s.self {
			buffering = " proxy_buffering is on there (the nginx default), so events may also wait in nginx's buffers: set proxy_buffering off for that location, or have the application send X-Accel-Buffering: no."
		}
		words := ""
		if h.f.link != nil {
			words = linkWords(h.f.link)
		}
		raise, how := raiseWords(a, t)
		what, fix := h.s.words, raise+" for the streaming routes"+how
		if h.s.self {
			what, fix = "it "+h.s.words, raise+" there"+how
			if a != h.s.hop {
				what, fix = hopFile(h.s.hop)+" "+h.s.words, raise+" for the streams"+how
			}
		}
		related := append([]parsers.Related{relatedAt(h.s.at, h.s.atWords)}, t.Via...)
		heartbeat := h.s.heartbeat
		if h.beat.Known() {
			// The application pings, but not often enough: say so, and
			// name its own setting as the other fix.
			heartbeat = fmt.Sprintf("its pings (%s is %s)", h.beat.Name, topology.FormatDuration(h.beat.Value))
			related = append(related, settingRelated(h.beat, fmt.Sprintf("%s is %s here", h.beat.Name, topology.FormatDuration(h.beat.Value)))...)
		}
		notes := assumptions(append(append([]string(nil), a.Notes...), t.Note)...)
		if deadline(a) {
			fix = raise
			// Envoy's route timeout: no heartbeat helps, only a longer
			// (or no) deadline.
			p.Report(Finding{
				Range:   t.Range,
				Related: related,
				Message: fmt.Sprintf("%s ends every response %s after the request is complete, however much it still sends %s, and %s%s: a stream that lasts longer is cut off mid-way and the client sees it end or reset. %s (\"0s\" switches it off); no heartbeat keeps it open.%s%s%s",
					hopFile(a), topology.FormatDuration(t.Value), strings.TrimPrefix(valueWords(t, topology.FormatDuration), topology.FormatDuration(t.Value)+" "), what, others,
					fix, h.s.caveat, words, notes),
			})
			continue
		}
		p.Report(Finding{
			Range:   t.Range,
			Related: related,
			Message: fmt.Sprintf("%s closes a response that sends nothing for %s, and %s%s: a stream that pauses that long is cut off mid-way and the client sees it end or reset. %s, or have the application send %s more often than every %s.%s%s%s%s",
				hopFile(a), valueWords(t, topology.FormatDuration), what, others,
				fix, heartbeat, topology.FormatDuration(t.Value), buffering, h.s.caveat, words, notes),
		})
	}
}

// proxiedStreams are the hops that proxy a long-lived stream whatever a
// spec says (docs/facts/streams.md): an nginx location that passes the
// client's Upgrade header on (a WebSocket), an nginx grpc_pass, an
// Apache ProxyPass to ws:// or wss://. Each one's own timer cuts a silent
// stream, and so does every hop in front of it.
func proxiedStreams(g *topology.Graph) []stream {
	var out []stream
	for _, h := range g.Hops {
		switch c := h.Config.(type) {
		case *nginx.Location:
			if h.Kind != topology.KindNginxLocation || c.Pass == nil {
				continue
			}
			if c.Pass.Name == "grpc_pass" {
				out = append(out, stream{hop: h, self: true, at: c.Pass.Range,
					words: "proxies gRPC calls (grpc_pass), whose streams stay open", atWords: "gRPC is proxied here",
					heartbeat: "HTTP/2 PING frames (gRPC keepalive)"})
				continue
			}
			if up := upgradeHeader(c.Scope); c.Pass.Name == "proxy_pass" && up != nil {
				out = append(out, stream{hop: h, self: true, at: up.Range,
					words: "passes WebSocket upgrades on (proxy_set_header Upgrade), and a WebSocket stays open", atWords: "the Upgrade header is passed on here",
					heartbeat: "WebSocket pings"})
			}
		case *kubernetes.Ingress:
			// ingress-nginx proxies GRPC and GRPCS backends with grpc_pass.
			// Whether grpc_read_timeout follows proxy-read-timeout depends
			// on the controller version, but both default to 60s: only
			// then is the timer known (docs/facts/streams.md).
			bp := strings.ToUpper(strings.TrimSpace(c.Annotations.Get(ingressNginxPrefix + "backend-protocol").Value))
			if h.Kind == topology.KindIngressNginx && (bp == "GRPC" || bp == "GRPCS") && h.UpstreamTimeout.IsDefault() {
				a := c.Annotations.Get(ingressNginxPrefix + "backend-protocol")
				out = append(out, stream{hop: h, self: true, at: a.Range,
					words: "proxies gRPC calls (backend-protocol " + bp + "), whose streams stay open", atWords: "gRPC is proxied here",
					heartbeat: "HTTP/2 PING frames (gRPC keepalive)"})
			}
		case *topology.GatewayRoute:
			// A GRPCRoute: every call may stream. Only a timer the
			// implementation's facts give (or the route's policy sets) is
			// known; an unknown implementation leaves it Unknown.
			if h.Kind == topology.KindGatewayRoute && c.Streams != "" {
				out = append(out, stream{hop: h, self: true, at: c.StreamsAt,
					words: "carries " + c.Streams + " (" + c.Object.Kind + "), where a server-streaming or bidirectional call stays open as long as the application keeps it", atWords: c.Object.Kind + " " + topology.RefName(c.Object) + " carries " + c.Streams + " here",
					heartbeat: "HTTP/2 PING frames (gRPC keepalive)",
					caveat:    " If every method behind the route is unary, only calls slower than that are cut."})
			}
		case *apache.Proxy:
			u := strings.ToLower(c.URL)
			if h.Kind == topology.KindApacheBackend && (strings.HasPrefix(u, "ws://") || strings.HasPrefix(u, "wss://")) {
				scheme, _, _ := strings.Cut(u, ":")
				out = append(out, stream{hop: h, self: true, at: c.D.Range,
					words: "tunnels WebSockets (" + scheme + "://), which stay open", atWords: "the WebSocket tunnel is proxied here",
					heartbeat: "WebSocket pings"})
			}
		}
	}
	return out
}

// deadline reports a hop whose upstream timeout bounds the whole
// response rather than a silent gap (Envoy's route timeout, behind Envoy
// Gateway and Istio routes).
func deadline(h *topology.Hop) bool {
	gr, ok := h.Config.(*topology.GatewayRoute)
	return ok && h.Kind == topology.KindGatewayRoute && gr.Deadline
}

// raiseWords says how to lengthen a hop's timer in its product's terms:
// the verb and setting, then how when the setting has no field of its own.
func raiseWords(h *topology.Hop, t topology.Duration) (string, string) {
	gr, ok := h.Config.(*topology.GatewayRoute)
	switch {
	case ok && deadline(h):
		return "Set " + t.Name + " longer than the longest stream", ""
	case ok && gr.Impl == topology.ImplNGF && t.Name == "grpc_read_timeout":
		// NGINX Gateway Fabric has no field that writes it; a
		// SnippetsFilter can (docs/facts/gateway.md).
		return "Raise grpc_read_timeout", " with a SnippetsFilter (context http.server.location) that the GRPCRoute rule references in an ExtensionRef filter"
	}
	return "Raise " + t.Name, ""
}

// upgradeHeader returns the effective proxy_set_header Upgrade of a
// location, nil when the effective list has none.
func upgradeHeader(sc *nginx.Scope) *nginx.Directive {
	for _, d := range sc.Lookup("proxy_set_header") {
		if strings.EqualFold(d.Arg(0), "Upgrade") && d.Arg(1) != "" && d.Arg(1) != `""` {
			return d
		}
	}
	return nil
}

// nginxBuffers reports whether an nginx location buffers proxied
// responses (proxy_buffering on, the default).
func nginxBuffers(h *topology.Hop) bool {
	l, ok := h.Config.(*nginx.Location)
	if !ok || h.Kind != topology.KindNginxLocation || l.Pass == nil || l.Pass.Name != "proxy_pass" {
		return false
	}
	d := l.Last("proxy_buffering")
	return d == nil || d.Arg(0) == "on"
}

// streamHeartbeat is how often every application behind h writes on its
// long-lived streams (the longest of their intervals): known only when
// each hop the path from h ends at declares one, as a Socket.IO server
// does with its pingInterval.
func streamHeartbeat(g *topology.Graph, h *topology.Hop) (topology.Duration, bool) {
	var longest topology.Duration
	seen := map[*topology.Hop]bool{}
	ends := 0
	var walk func(h *topology.Hop, depth int) bool
	walk = func(h *topology.Hop, depth int) bool {
		if seen[h] {
			return true
		}
		seen[h] = true
		out := g.Out(h)
		if len(out) == 0 || depth > 8 {
			hb := h.Heartbeat
			if !hb.Known() || hb.Value == topology.Forever || hb.Value <= 0 {
				return false
			}
			ends++
			if hb.Value > longest.Value {
				longest = hb
			}
			return true
		}
		for _, e := range out {
			if !walk(e.To, depth+1) {
				return false
			}
		}
		return true
	}
	if !walk(h, 0) || ends == 0 {
		return topology.Duration{}, false
	}
	return longest, true
}
