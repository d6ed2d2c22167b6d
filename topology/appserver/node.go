package appserver

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/app/node"
	"github.com/hoplint/hoplint/topology/setting"
)

// Where Node.js's and Fastify's defaults are written (docs/facts/node.md).
const (
	nodeKeepAliveDoc = "https://nodejs.org/api/http.html#serverkeepalivetimeout"
	fastifyDoc       = "https://fastify.dev/docs/latest/Reference/Server/#keepalivetimeout"
)

// maxModules bounds the files followed from an entry file.
const maxModules = 400

// NodeServer is what hoplint read of a Node.js server, for the rules that
// look at the application itself (node-headers-timeout). The topology
// sources record it in the graph's configs under ConfigFormat.
type NodeServer struct {
	// Label names it ("Express (Node.js)").
	Label string
	// Version is the Node.js version from the image tag or .hoplint.yml,
	// "" when unknown.
	Version string
	// VersionFrom says where Version came from ("image node:12.18").
	VersionFrom string
	// Range is the expression that creates the server.
	Range parsers.Range
	// KeepAlive and HeadersTimeout are the server's keepAliveTimeout and
	// headersTimeout: Set when the code (or the container's environment
	// through it) sets them; HeadersTimeout is Unknown otherwise.
	KeepAlive, HeadersTimeout setting.Duration
	Notes                     []string
}

// ConfigFormat is the key under which topology sources record the
// application servers hoplint read (a *NodeServer) in Graph.Configs.
const ConfigFormat parsers.Format = "app-server"

// nodeUnknown is a Node.js process whose code hoplint cannot find.
func (r *resolver) nodeUnknown() Info {
	return Info{Label: "Node.js", KeepAlive: setting.Duration{Name: "server.keepAliveTimeout"}}
}

// nodeEntry follows `node FILE` into the application's code.
func (r *resolver) nodeEntry(script Word) Info {
	dir := r.dir("node")
	if dir == "" {
		return r.nodeUnknown()
	}
	entry := r.find(dir, script.Text)
	if entry == "" {
		entry = r.compiledFrom(dir, script.Text)
	}
	if entry == "" {
		return r.nodeUnknown()
	}
	return r.nodeApp(dir, entry)
}

// compiledFrom finds the TypeScript (or untranspiled) source of a built
// entry file that is not in the repository: dist/server.js ← src/server.ts.
func (r *resolver) compiledFrom(dir, script string) string {
	p := path.Clean(strings.TrimPrefix(script, "./"))
	if strings.HasPrefix(p, "/") {
		return ""
	}
	first, rest, ok := strings.Cut(p, "/")
	if !ok || first != "dist" && first != "build" && first != "out" && first != "lib" {
		return ""
	}
	stem := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(rest, ".js"), ".mjs"), ".cjs")
	for _, base := range []string{"src/" + stem, stem, "src/" + strings.TrimPrefix(stem, "src/")} {
		for _, ext := range []string{".ts", ".mts", ".js", ".mjs"} {
			cand := path.Join(dir, base+ext)
			if r.p.Files.Exists(cand) {
				r.note(fmt.Sprintf("assuming %s is built from %s", script, cand))
				return cand
			}
		}
	}
	return ""
}

// npmScript follows `npm start` / `npm run NAME` to the package.json script.
func (r *resolver) npmScript(name string) Info {
	dir := r.dir("node")
	if dir == "" {
		return r.nodeUnknown()
	}
	f, err := r.read(path.Join(dir, "package.json"))
	if err != nil {
		return r.nodeUnknown()
	}
	pkg := readPackageJSON(f)
	if pkg == nil {
		return r.nodeUnknown()
	}
	s, ok := pkg.Scripts[name]
	if !ok {
		if name == "start" && r.p.Files.Exists(path.Join(dir, "server.js")) {
			// npm's documented default start command.
			r.note("npm start runs `node server.js` when package.json has no start script")
			return r.nodeApp(dir, path.Join(dir, "server.js"))
		}
		return r.nodeUnknown()
	}
	r.sources = append(r.sources, f)
	str := Str{Value: s, Range: pkg.scriptRange(name)}
	if info, ok := r.serverFrom(commandsOf([]Str{str}), nil, hasBackground(s)); ok {
		return info
	}
	return r.nodeUnknown()
}

// next reads `next start --keepAliveTimeout N`; without the flag the
// keep-alive is left unknown.
func (r *resolver) next(ws []Word) Info {
	info := Info{Label: "Next.js", KeepAlive: setting.Duration{Name: "--keepAliveTimeout"}}
	for i := range ws {
		if v, at, _, ok := FlagValue(ws, i, "--keepAliveTimeout", ""); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				info.KeepAlive = setting.SetAt("next start --keepAliveTimeout", time.Duration(n)*time.Millisecond, at.From.Range)
			}
		}
	}
	return info
}

// nodeVersion is the Node.js version the process runs, from the image's
// tag (node:18-alpine), the image the Dockerfile builds from, or
// .hoplint.yml; "" when unknown.
func (r *resolver) nodeVersion() (version, from string) {
	for _, img := range []Str{r.p.Image, r.p.FromImage} {
		if img.Unknown || img.Value == "" {
			continue
		}
		if name, tag := ImageName(img.Value); name == "node" && tag != "" {
			return tag, "image " + img.Value
		}
	}
	if v := r.p.version("node"); v != "" {
		return v, ".hoplint.yml"
	}
	return "", ""
}

// module is one followed file and what it says.
type module struct {
	f   *parsers.File
	res *node.Result
}

// modules reads the entry file and the files it imports, breadth first.
func (r *resolver) modules(entry string) []module {
	var out []module
	queue := []string{entry}
	seen := map[string]bool{entry: true}
	for len(queue) > 0 && len(out) < maxModules {
		rel := queue[0]
		queue = queue[1:]
		f, err := r.read(rel)
		if err != nil {
			continue
		}
		res, probs := r.p.Files.Node(f)
		r.problems = append(r.problems, probs...)
		out = append(out, module{f, res})
		for _, spec := range res.Imports {
			if dep := r.resolveImport(path.Dir(rel), spec); dep != "" && !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	return out
}

var jsExts = []string{".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"}

// resolveImport finds the file a relative specifier names, as Node and
// TypeScript look for it: the file, the file with an extension, an index
// file; an import of x.js from TypeScript names x.ts.
func (r *resolver) resolveImport(from, spec string) string {
	base := path.Join(from, spec)
	v := r.p.Files
	cands := []string{base}
	for _, ext := range jsExts {
		cands = append(cands, base+ext)
	}
	for _, js := range []string{".js", ".mjs", ".cjs", ".jsx"} {
		if stem, ok := strings.CutSuffix(base, js); ok {
			for _, ext := range []string{".ts", ".tsx", ".mts", ".cts"} {
				cands = append(cands, stem+ext)
			}
		}
	}
	for _, ext := range jsExts {
		cands = append(cands, base+"/index"+ext)
	}
	for _, c := range cands {
		if v.Exists(c) {
			return c
		}
	}
	return ""
}

// nodeApp reads the server the entry file starts, with the files it
// imports, and its keep-alive.
func (r *resolver) nodeApp(dir, entry string) Info {
	mods := r.modules(entry)
	var created []*node.Server
	var unseen []*node.Server
	fileOf := map[*node.Server]*parsers.File{}
	for _, m := range mods {
		for _, s := range m.res.Servers {
			fileOf[s] = m.f
			if s.Kind == node.KindUnseen {
				unseen = append(unseen, s)
			} else {
				created = append(created, s)
			}
		}
	}
	info := r.nodeUnknown()
	if len(created) == 0 {
		if len(unseen) > 0 {
			r.note("the code sets server settings on an object it does not create where hoplint can see it")
		}
		return info
	}
	version, from := r.nodeVersion()
	var servers []*NodeServer
	for _, s := range created {
		servers = append(servers, r.nodeServer(dir, s, version, from))
	}
	if len(created) == 1 && len(unseen) > 0 {
		// Settings assigned in another file to an object the code passes
		// around: with one server, it is that server.
		s := created[0]
		merged := *s
		merged.Settings = append(append([]node.Setting(nil), s.Settings...), flatten(unseen)...)
		for _, u := range unseen {
			r.note(fmt.Sprintf("assuming %s in %s is the server created in %s", u.Target, u.Range.File, s.Range.File))
			r.sources = append(r.sources, fileOf[u])
		}
		if conflicting(s, unseen) {
			return info
		}
		servers[0] = r.nodeServer(dir, &merged, version, from)
	}
	ns := servers[0]
	for _, o := range servers[1:] {
		// Several servers (an API and a metrics endpoint): only a
		// keep-alive they all share is the application's.
		if !sameDuration(o.KeepAlive, ns.KeepAlive) {
			r.note("the code starts more than one HTTP server with different keep-alive timeouts; hoplint cannot tell which one the traffic reaches")
			return info
		}
	}
	for _, s := range created {
		r.sources = append(r.sources, fileOf[s])
	}
	info.Label = ns.Label
	info.KeepAlive = ns.KeepAlive
	info.Heartbeat = r.socketIOPing(mods)
	info.Node = ns
	return info
}

// socketIOPing is the pingInterval of the Socket.IO server the
// application creates: engine.io writes a ping (or the pong to the
// client's ping) on every connection that often (docs/facts/node.md).
// Unknown when the code creates none, or several with different values.
func (r *resolver) socketIOPing(mods []module) setting.Duration {
	var out setting.Duration
	for _, m := range mods {
		for _, sio := range m.res.SocketIO {
			d := setting.DefaultFor("pingInterval", 25*time.Second, sio.Range, &setting.DefaultSource{Product: "Socket.IO", Version: "2 to 4", URL: socketIODoc})
			if set := sio.Setting("pingInterval"); set != nil {
				d = r.nodeDuration("pingInterval", set)
				if !d.Known() || d.Value == setting.Forever {
					return setting.Duration{}
				}
			}
			if out.Known() && out.Value != d.Value {
				return setting.Duration{}
			}
			if !out.Known() {
				out = d
				r.sources = append(r.sources, m.f)
			}
		}
	}
	return out
}

const socketIODoc = "https://socket.io/docs/v4/server-options/#pinginterval"

func flatten(ss []*node.Server) []node.Setting {
	var out []node.Setting
	for _, s := range ss {
		out = append(out, s.Settings...)
	}
	return out
}

// conflicting reports a setting both the server's own file and another
// file set: which runs last cannot be told.
func conflicting(s *node.Server, unseen []*node.Server) bool {
	for _, u := range unseen {
		for _, set := range u.Settings {
			if s.Setting(set.Name) != nil {
				return true
			}
		}
	}
	return false
}

func sameDuration(a, b setting.Duration) bool {
	return a.Known() && b.Known() && a.Value == b.Value
}

var nodeLabels = map[node.Kind]string{
	node.KindHTTP: "Node.js http server", node.KindHTTPS: "Node.js https server",
	node.KindExpress: "Express (Node.js)", node.KindKoa: "Koa (Node.js)",
	node.KindFastify: "Fastify (Node.js)", node.KindNest: "NestJS (Node.js)",
}

// nodeServer works out one server's keep-alive and headers timeout.
func (r *resolver) nodeServer(dir string, s *node.Server, version, from string) *NodeServer {
	ns := &NodeServer{Label: nodeLabels[s.Kind], Version: version, VersionFrom: from, Range: s.Range}
	if s.Note != "" {
		ns.Notes = append(ns.Notes, s.Note)
	}
	name := "server.keepAliveTimeout"
	if s.Kind == node.KindFastify {
		name = "keepAliveTimeout (Fastify option)"
	}
	if set := s.Setting("keepAliveTimeout"); set != nil {
		ns.KeepAlive = r.nodeDuration(name, set)
	} else {
		ns.KeepAlive = r.nodeDefault(dir, s, name, version)
	}
	ns.HeadersTimeout = setting.Duration{Name: "server.headersTimeout"}
	if set := s.Setting("headersTimeout"); set != nil && s.Kind != node.KindFastify {
		ns.HeadersTimeout = r.nodeDuration("server.headersTimeout", set)
	}
	if ns.KeepAlive.Known() && version != "" {
		if at, ok := setting.AtLeast(version, "24.6"); ok && at {
			ns.KeepAlive.Note = joinNote(ns.KeepAlive.Note, "Node.js "+version+" keeps an idle socket keepAliveTimeoutBuffer (1s by default) longer")
		}
	}
	return ns
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// nodeDefault is keepAliveTimeout when the code does not set it.
func (r *resolver) nodeDefault(dir string, s *node.Server, name, version string) setting.Duration {
	if s.Kind == node.KindFastify {
		src := &setting.DefaultSource{Product: "Fastify", Version: "4 and 5", URL: fastifyDoc}
		return setting.DefaultFor(name, 72*time.Second, s.Range, src)
	}
	if s.Kind == node.KindNest && r.dependsOn(dir, "@nestjs/platform-fastify") {
		// NestJS on Fastify: the adapter's options decide; not read.
		return setting.Duration{Name: name}
	}
	src := &setting.DefaultSource{Product: "Node.js", Version: "8 to 26", URL: nodeKeepAliveDoc}
	if version != "" {
		at8, _ := setting.AtLeast(version, "8")
		if at27, ok := setting.AtLeast(version, "27"); ok && at27 || !at8 {
			// Node.js main raised the default to 65 s after 26 (not in a
			// release hoplint has checked); before 8 there was none.
			return setting.Duration{Name: name}
		}
		src.Version = version
	}
	return setting.DefaultFor(name, 5*time.Second, s.Range, src)
}

func (r *resolver) dependsOn(dir, pkgName string) bool {
	f, err := r.read(path.Join(dir, "package.json"))
	if err != nil {
		return false
	}
	pkg := readPackageJSON(f)
	if pkg == nil {
		return false
	}
	_, ok := pkg.Dependencies[pkgName]
	return ok
}

// nodeDuration turns a setting in milliseconds into a Duration: literal,
// or taken from the container's environment with the code's fallback.
func (r *resolver) nodeDuration(name string, set *node.Setting) setting.Duration {
	unknown := setting.Duration{Name: name, Range: set.Range}
	v := set.Value
	var via []parsers.Related
	if v.Kind == node.Env {
		e, inEnv := r.p.Env[v.Env]
		if inEnv && e.Unknown {
			return unknown
		}
		resolved, ok := v.Resolve(func(k string) (string, bool) {
			s, ok := r.p.Env[k]
			return s.Value, ok
		})
		if !ok {
			return unknown
		}
		if inEnv {
			via = append(via, parsers.Related{Range: e.Range, Message: fmt.Sprintf("%s is %q here", v.Env, e.Value)})
		}
		out := r.nodeDuration(name, &node.Setting{Name: set.Name, Value: resolved, Range: set.Range})
		out.Via = append(out.Via, via...)
		if !inEnv && out.Known() {
			out.Note = fmt.Sprintf("assuming nothing else (a Secret, the image's ENV) sets %s, so the code's fallback applies", v.Env)
		}
		return out
	}
	if v.Kind != node.Number || v.Number < 0 || v.Number > math.MaxInt32 {
		return unknown
	}
	d := time.Duration(v.Number * float64(time.Millisecond))
	if d == 0 {
		d = setting.Forever // 0 switches the timeout off
	}
	return setting.SetAt(name, d, set.Range)
}

// imageNode is a container of a node image with no command of its own:
// what the package's start script, else its main file, runs.
func (r *resolver) imageNode() Info {
	dir := r.dir("node")
	if dir == "" {
		return r.nodeUnknown()
	}
	f, err := r.read(path.Join(dir, "package.json"))
	if err != nil {
		return r.nodeUnknown()
	}
	pkg := readPackageJSON(f)
	if pkg == nil {
		return r.nodeUnknown()
	}
	if _, ok := pkg.Scripts["start"]; ok {
		r.note("assuming the container runs the package's start script (the node image itself starts a REPL)")
		return r.npmScript("start")
	}
	if pkg.Main != "" {
		r.note("assuming the container runs the package's main file (the node image itself starts a REPL)")
		return r.nodeEntry(Word{Text: pkg.Main, From: r.p.Image})
	}
	return r.nodeUnknown()
}
