package node

import (
	"bytes"
	"strings"

	"github.com/tdewolff/parse/v2/js"
)

// walker reads one parsed file. A first pass records what names mean
// (imports, requires, declarations); a second finds servers, settings and
// body parsers.
type walker struct {
	src *source
	res *Result
	// modules maps a local name to the module it is bound to: "express",
	// "http", or "http.createServer" for a named import.
	modules map[string]string
	// inits holds everything assigned to a variable (its initializer and
	// later assignments); consts the initializer of a const.
	inits  map[*js.Var][]js.IExpr
	consts map[*js.Var]js.IExpr
	// entities memoizes what an expression evaluates to; the value nil
	// while it is being classified stops a cycle.
	entities map[js.IExpr]*entity
	varEnt   map[*js.Var]*entity
	// unseen groups settings assigned to objects not created in the file,
	// by the expression written.
	unseen map[string]*Server
}

// entity is what an expression holds, as far as servers go.
type entity struct {
	module string // a module (kind "module")
	app    Kind   // an Express, Koa or NestJS application, before listen
	server *Server
	// wrapped is set when the server was reached through a helper call
	// (stoppable(server)): the assumption that it returns its argument.
	wrapped string
}

func newWalker(src *source, res *Result) *walker {
	return &walker{src: src, res: res, modules: map[string]string{}, inits: map[*js.Var][]js.IExpr{},
		consts: map[*js.Var]js.IExpr{}, entities: map[js.IExpr]*entity{}, varEnt: map[*js.Var]*entity{},
		unseen: map[string]*Server{}}
}

type visitor func(n js.INode) bool

func (v visitor) Enter(n js.INode) js.IVisitor {
	if v(n) {
		return v
	}
	return nil
}
func (v visitor) Exit(js.INode) {}

func (w *walker) run(ast *js.AST) {
	js.Walk(visitor(w.declare), ast)
	js.Walk(visitor(w.find), ast)
}

func root(v *js.Var) *js.Var {
	for i := 0; v.Link != nil && i < 100; i++ {
		v = v.Link
	}
	return v
}

func unquote(b []byte) string {
	s := string(b)
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"' || s[0] == '`') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return s
}

// moduleName drops the node: scheme, so that node:http is http.
func moduleName(s string) string { return strings.TrimPrefix(s, "node:") }

func (w *walker) declare(n js.INode) bool {
	switch n := n.(type) {
	case *js.ImportStmt:
		mod := moduleName(unquote(n.Module))
		if n.Default != nil {
			w.modules[string(n.Default)] = mod
		}
		for _, a := range n.List {
			name, local := string(a.Name), string(a.Binding)
			if local == "" {
				local = name
			}
			if name == "" {
				name = local
			}
			if name == "*" {
				w.modules[local] = mod
			} else {
				w.modules[local] = mod + "." + name
			}
		}
	case *js.VarDecl:
		for _, be := range n.List {
			w.bind(n.TokenType, be)
		}
	case *js.BinaryExpr:
		if n.Op == js.EqToken {
			if v, ok := n.X.(*js.Var); ok {
				v = root(v)
				w.inits[v] = append(w.inits[v], n.Y)
			}
		}
	}
	return true
}

// bind records a declaration: a variable's initializer, or the names a
// destructured require() binds.
func (w *walker) bind(tt js.TokenType, be js.BindingElement) {
	if be.Default == nil {
		return
	}
	switch b := be.Binding.(type) {
	case *js.Var:
		v := root(b)
		w.inits[v] = append(w.inits[v], be.Default)
		if tt == js.ConstToken {
			w.consts[v] = be.Default
		}
		if mod, ok := requireOf(be.Default); ok {
			w.modules[string(v.Data)] = mod
		}
	case *js.BindingObject:
		mod, ok := requireOf(be.Default)
		if !ok {
			return
		}
		for _, item := range b.List {
			v, isVar := item.Value.Binding.(*js.Var)
			if !isVar || item.Key == nil || item.Key.IsComputed() {
				continue
			}
			w.modules[string(v.Data)] = mod + "." + string(item.Key.Literal.Data)
		}
	}
}

// requireOf recognises require('m') and require('m').default.
func requireOf(e js.IExpr) (string, bool) {
	if d, ok := e.(*js.DotExpr); ok && dotName(d) == "default" {
		e = d.X
	}
	c, ok := e.(*js.CallExpr)
	if !ok || len(c.Args.List) != 1 {
		return "", false
	}
	if v, ok := c.X.(*js.Var); !ok || string(v.Data) != "require" {
		return "", false
	}
	lit, ok := c.Args.List[0].Value.(*js.LiteralExpr)
	if !ok || lit.TokenType != js.StringToken {
		return "", false
	}
	return moduleName(unquote(lit.Data)), true
}

func dotName(d *js.DotExpr) string {
	if l, ok := d.Y.(js.LiteralExpr); ok {
		return string(l.Data)
	}
	return ""
}

// serverSettings are the properties of a Node http.Server that hoplint
// reads, assigned or passed to createServer.
var serverSettings = map[string]bool{"keepAliveTimeout": true, "headersTimeout": true, "requestTimeout": true}

// fastifySettings are the Fastify factory options hoplint reads.
var fastifySettings = map[string]bool{"keepAliveTimeout": true, "connectionTimeout": true, "requestTimeout": true, "bodyLimit": true}

func (w *walker) find(n js.INode) bool {
	switch n := n.(type) {
	case *js.BinaryExpr:
		if n.Op != js.EqToken {
			return true
		}
		d, ok := n.X.(*js.DotExpr)
		if !ok || !serverSettings[dotName(d)] {
			return true
		}
		w.assign(n, d)
	case *js.CallExpr:
		w.classify(n, 0)
		w.bodyParser(n)
	case *js.NewExpr:
		w.classify(n, 0)
	}
	return true
}

// socketIOSettings are the Socket.IO server options hoplint reads.
var socketIOSettings = map[string]bool{"pingInterval": true, "pingTimeout": true}

// socketIO records a Socket.IO server: its options object is the last
// object literal among the arguments (new Server(httpServer, opts),
// require('socket.io')(opts), new Server(port, opts)).
func (w *walker) socketIO(n js.INode, args *js.Args) *entity {
	rng, ok := w.placed(n)
	sio := &SocketIO{Range: rng}
	if !ok {
		// new Server(httpServer) holds no literal to place it by: point
		// at the import of "socket.io" instead.
		f := w.src.file
		if i := bytes.Index(f.Bytes(), []byte("socket.io")); i >= 0 {
			p := f.PosAt(i)
			sio.Range = f.At(p.Line-f.Shift.Line, p.Col-f.Shift.Col, p.Line-f.Shift.Line, p.Col-f.Shift.Col+len("socket.io"))
		}
	}
	if args != nil {
		for i := len(args.List) - 1; i >= 0; i-- {
			arg := args.List[i].Value
			if v, ok := arg.(*js.Var); ok {
				if init, ok := w.consts[root(v)]; ok {
					arg = init
				}
			}
			if _, ok := arg.(*js.ObjectExpr); ok {
				opts := &Server{}
				w.options(opts, arg, socketIOSettings)
				sio.Settings = opts.Settings
				break
			}
		}
	}
	w.res.SocketIO = append(w.res.SocketIO, sio)
	return nil
}

// isSocketIO reports the module names a Socket.IO server is made from.
func isSocketIO(mod string) bool {
	switch mod {
	case "socket.io", "socket.io.Server", "socket.io.default":
		return true
	}
	return false
}

// assign records `target.keepAliveTimeout = value`.
func (w *walker) assign(n *js.BinaryExpr, d *js.DotExpr) {
	set := Setting{Name: dotName(d), Value: w.value(n.Y, n), Range: w.rangeOf(n)}
	if e := w.classify(d.X, 0); e != nil && e.server != nil {
		if e.wrapped != "" && e.server.Note == "" {
			e.server.Note = e.wrapped
		}
		e.server.Settings = append(e.server.Settings, set)
		return
	}
	target := w.text(d.X)
	s := w.unseen[target]
	if s == nil {
		s = &Server{Kind: KindUnseen, Range: set.Range, Target: target}
		w.unseen[target] = s
		w.res.Servers = append(w.res.Servers, s)
	}
	s.Settings = append(s.Settings, set)
}

// maxDepth bounds how far classify and eval follow variables and nested
// expressions: real code needs a handful of steps.
const maxDepth = 64

// classify says what e holds, creating the Server the first time an
// expression that makes one is seen.
func (w *walker) classify(e js.IExpr, depth int) *entity {
	if e == nil || depth > maxDepth {
		return nil
	}
	if ent, seen := w.entities[e]; seen {
		return ent
	}
	w.entities[e] = nil
	ent := w.classifyNew(e, depth)
	w.entities[e] = ent
	return ent
}

func (w *walker) classifyNew(e js.IExpr, depth int) *entity {
	switch e := e.(type) {
	case *js.Var:
		v := root(e)
		if mod, ok := w.modules[string(v.Data)]; ok {
			return &entity{module: mod}
		}
		if ent, seen := w.varEnt[v]; seen {
			return ent
		}
		w.varEnt[v] = nil
		var ent *entity
		if inits := w.inits[v]; len(inits) == 1 {
			ent = w.classify(inits[0], depth+1)
			if ent != nil && ent.server != nil && ent.server.Target == "" && ent.wrapped == "" {
				ent.server.Target = string(v.Data)
			}
		}
		w.varEnt[v] = ent
		return ent
	case *js.GroupExpr:
		return w.classify(e.X, depth+1)
	case *js.UnaryExpr:
		if e.Op == js.AwaitToken {
			return w.classify(e.X, depth+1)
		}
	case *js.DotExpr:
		// fastify.server and a Nest app's underlying server are the server.
		if x := w.classify(e.X, depth+1); x != nil && x.server != nil && dotName(e) == "server" && x.server.Kind == KindFastify {
			return x
		}
		if x := w.classify(e.X, depth+1); x != nil && x.module != "" {
			return &entity{module: x.module + "." + dotName(e)}
		}
	case *js.NewExpr:
		if x := w.classify(e.X, depth+1); x != nil && x.module == "koa" {
			return &entity{app: KindKoa}
		} else if x != nil && isSocketIO(x.module) {
			return w.socketIO(e, e.Args)
		}
	case *js.CallExpr:
		return w.call(e, depth)
	}
	return nil
}

func (w *walker) call(c *js.CallExpr, depth int) *entity {
	if mod, ok := requireOf(c); ok {
		return &entity{module: mod}
	}
	callee := w.classify(c.X, depth+1)
	if callee != nil {
		switch callee.module {
		case "http.createServer", "https.createServer":
			kind := KindHTTP
			if callee.module == "https.createServer" {
				kind = KindHTTPS
			}
			s := w.newServer(kind, c)
			// createServer([options][, listener]): options is an object.
			if len(c.Args.List) > 0 {
				w.options(s, c.Args.List[0].Value, serverSettings)
			}
			return &entity{server: s}
		case "express":
			return &entity{app: KindExpress}
		case "fastify", "fastify.fastify", "fastify.default":
			s := w.newServer(KindFastify, c)
			if len(c.Args.List) > 0 {
				w.options(s, c.Args.List[0].Value, fastifySettings)
			}
			return &entity{server: s}
		case "socket.io", "socket.io.Server", "socket.io.default":
			return w.socketIO(c, &c.Args)
		case "@nestjs/core.NestFactory.create":
			return &entity{app: KindNest, server: w.newServer(KindNest, c)}
		}
	}
	d, ok := c.X.(*js.DotExpr)
	if !ok {
		return w.wrapper(c, depth)
	}
	recv := w.classify(d.X, depth+1)
	if recv == nil {
		return w.wrapper(c, depth)
	}
	switch name := dotName(d); {
	case name == "listen" && recv.server != nil && recv.wrapped == "":
		if recv.server.Listen == nil {
			recv.server.Listen = w.listen(c)
		}
		return recv
	case name == "listen" && (recv.app == KindExpress || recv.app == KindKoa):
		// Express's and Koa's app.listen create an http.Server and return it.
		s := w.newServer(recv.app, c)
		s.Listen = w.listen(c)
		return &entity{server: s}
	case name == "getHttpServer" && recv.app == KindNest:
		return &entity{server: recv.server}
	}
	return w.wrapper(c, depth)
}

// wrapper follows a call that is given a server as its first argument and
// is not known otherwise (stoppable(server), enableDestroy(server)): such
// helpers decorate the server and return it. The assumption is written
// into the server's Note.
func (w *walker) wrapper(c *js.CallExpr, depth int) *entity {
	if len(c.Args.List) == 0 {
		return nil
	}
	ent := w.classify(c.Args.List[0].Value, depth+1)
	if ent == nil || ent.server == nil {
		return nil
	}
	return &entity{server: ent.server, wrapped: "assumed " + w.text(c.X) + "() returns the server it is given"}
}

func (w *walker) newServer(kind Kind, c *js.CallExpr) *Server {
	s := &Server{Kind: kind, Range: w.rangeOf(c)}
	w.res.Servers = append(w.res.Servers, s)
	return s
}

// listen reads a listen call's port: listen(port, …) or, in Fastify and
// Node, listen({port}).
func (w *walker) listen(c *js.CallExpr) *Listen {
	l := &Listen{Range: w.rangeOf(c)}
	if len(c.Args.List) == 0 {
		return l
	}
	arg := c.Args.List[0].Value
	switch a := arg.(type) {
	case *js.ArrowFunc, *js.FuncDecl:
		return l
	case *js.ObjectExpr:
		for i := range a.List {
			p := &a.List[i]
			if propName(p) == "port" {
				v := w.value(p.Value, p)
				l.Port = &v
			}
		}
		return l
	}
	v := w.value(arg, c)
	l.Port = &v
	return l
}

func propName(p *js.Property) string {
	if p.Name == nil || p.Name.IsComputed() {
		return ""
	}
	return unquote(p.Name.Literal.Data)
}

// options reads the settings of an options object passed to a factory.
func (w *walker) options(s *Server, arg js.IExpr, names map[string]bool) {
	if v, ok := arg.(*js.Var); ok {
		if init, ok := w.consts[root(v)]; ok {
			arg = init
		}
	}
	obj, ok := arg.(*js.ObjectExpr)
	if !ok {
		return
	}
	for i := range obj.List {
		p := &obj.List[i]
		name := propName(p)
		if !names[name] {
			continue
		}
		s.Settings = append(s.Settings, Setting{Name: name, Value: w.value(p.Value, p), Range: w.propRange(p)})
	}
}

// bodyParsers are the middleware factories that read bodies, by module.
var bodyParserModules = map[string]string{"express": "express", "body-parser": "bodyParser"}

var bodyParserKinds = map[string]bool{"json": true, "urlencoded": true, "raw": true, "text": true}

// bodyParser records express.json({limit}), bodyParser.urlencoded(…) and
// NestJS app.useBodyParser('json', {bodyLimit}).
func (w *walker) bodyParser(c *js.CallExpr) {
	d, ok := c.X.(*js.DotExpr)
	if !ok {
		return
	}
	name := dotName(d)
	recv := w.classify(d.X, 0)
	if recv == nil {
		return
	}
	var kind string
	var opts js.IExpr
	switch {
	case bodyParserModules[recv.module] != "" && bodyParserKinds[name]:
		kind = bodyParserModules[recv.module] + "." + name
		if len(c.Args.List) > 0 {
			opts = c.Args.List[0].Value
		}
	case recv.app == KindNest && name == "useBodyParser" && len(c.Args.List) > 0:
		lit, ok := c.Args.List[0].Value.(*js.LiteralExpr)
		if !ok || lit.TokenType != js.StringToken {
			return
		}
		kind = "nestjs useBodyParser(" + unquote(lit.Data) + ")"
		if len(c.Args.List) > 1 {
			opts = c.Args.List[1].Value
		}
	default:
		return
	}
	bp := BodyParser{Kind: kind, Range: w.rangeOf(c)}
	if v, ok := opts.(*js.Var); ok {
		if init, ok := w.consts[root(v)]; ok {
			opts = init
		}
	}
	if obj, ok := opts.(*js.ObjectExpr); ok {
		for i := range obj.List {
			p := &obj.List[i]
			// body-parser calls it limit; NestJS's useBodyParser bodyLimit.
			if n := propName(p); n == "limit" || n == "bodyLimit" {
				v := w.value(p.Value, p)
				v.Range = w.propRange(p)
				bp.Limit = &v
			}
		}
	} else if opts != nil {
		v := w.value(opts, c)
		v.Kind, v.Reason = Unknown, "the options are computed at run time"
		bp.Limit = &v
	}
	w.res.BodyParsers = append(w.res.BodyParsers, bp)
}

// imports lists the relative module specifiers of import and export-from
// statements and of require('…') calls.
func imports(_ *source, ast *js.AST) []string {
	var out []string
	seen := map[string]bool{}
	add := func(b []byte) {
		m := unquote(b)
		if (strings.HasPrefix(m, "./") || strings.HasPrefix(m, "../") || m == "." || m == "..") && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	js.Walk(visitor(func(n js.INode) bool {
		switch n := n.(type) {
		case *js.ImportStmt:
			add(n.Module)
		case *js.ExportStmt:
			if n.Module != nil {
				add(n.Module)
			}
		case *js.CallExpr:
			if _, ok := requireOf(n); ok {
				lit := n.Args.List[0].Value.(*js.LiteralExpr) //nolint:forcetypeassert // requireOf checked it
				add(lit.Data)
			}
		}
		return true
	}), ast)
	return out
}
