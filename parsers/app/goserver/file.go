package goserver

import (
	"go/ast"
	"go/constant"
	"go/token"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// fileReader reads one file; names are the local names of the imports
// that matter.
type fileReader struct {
	p                     *pkg
	http, time, gin, echo string
	lits                  map[*ast.CompositeLit]*Server
}

// scope is one function body: what its variables were assigned, and
// which hold servers, gin engines or echo instances.
type scope struct {
	locals  map[string][]ast.Expr
	servers map[string]*Server
	gins    map[string]bool
	echos   map[string]*echoInst
}

type echoInst struct {
	server *Server
	listed bool
}

func (p *pkg) file(af *ast.File) {
	r := &fileReader{p: p, lits: map[*ast.CompositeLit]*Server{}}
	for _, im := range af.Imports {
		path, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		name := path[strings.LastIndex(path, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		switch {
		case path == "net/http":
			r.http = name
		case path == "time":
			r.time = name
		case path == "github.com/gin-gonic/gin":
			r.gin = name
		case strings.HasPrefix(path, "github.com/labstack/echo"):
			if im.Name == nil {
				name = "echo"
			}
			r.echo = name
		}
	}
	if r.http == "" && r.gin == "" && r.echo == "" {
		return
	}
	for _, d := range af.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			r.body(fd.Body)
		}
	}
}

func (r *fileReader) body(b *ast.BlockStmt) {
	sc := &scope{locals: map[string][]ast.Expr{}, servers: map[string]*Server{}, gins: map[string]bool{}, echos: map[string]*echoInst{}}
	// Locals first, so that a value written before or after its use in
	// the text (closures) is known.
	ast.Inspect(b, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						sc.locals[id.Name] = append(sc.locals[id.Name], n.Rhs[i])
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, id := range n.Names {
					sc.locals[id.Name] = append(sc.locals[id.Name], n.Values[i])
				}
			}
		}
		return true
	})
	ast.Inspect(b, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			r.assign(sc, n)
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) {
					r.bind(sc, id.Name, n.Values[i])
				} else if len(n.Values) == 0 && r.isHTTPServer(n.Type) {
					// var srv http.Server: a zero server, every timeout off.
					s := &Server{Kind: KindServer, Range: r.rangeOf(n), Var: id.Name}
					r.p.res.Servers = append(r.p.res.Servers, s)
					sc.servers[id.Name] = s
				}
			}
		case *ast.CompositeLit:
			r.literal(sc, n)
		case *ast.CallExpr:
			r.call(sc, n)
		}
		return true
	})
}

// isHTTPServer reports whether t names http.Server.
func (r *fileReader) isHTTPServer(t ast.Expr) bool {
	sel, ok := t.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Server" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && r.http != "" && x.Name == r.http
}

// serverLit finds the http.Server literal of &http.Server{…},
// http.Server{…}; new(http.Server) gives a literal-less server.
func (r *fileReader) serverExpr(sc *scope, e ast.Expr) (*Server, bool) {
	switch e := e.(type) {
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return r.serverExpr(sc, e.X)
		}
	case *ast.ParenExpr:
		return r.serverExpr(sc, e.X)
	case *ast.CompositeLit:
		if r.isHTTPServer(e.Type) {
			return r.literal(sc, e), true
		}
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "new" && len(e.Args) == 1 && r.isHTTPServer(e.Args[0]) {
			s := &Server{Kind: KindServer, Range: r.rangeOf(e)}
			r.p.res.Servers = append(r.p.res.Servers, s)
			return s, true
		}
	case *ast.Ident:
		s, ok := sc.servers[e.Name]
		return s, ok
	}
	return nil, false
}

// literal records an http.Server composite literal (once).
func (r *fileReader) literal(sc *scope, lit *ast.CompositeLit) *Server {
	if !r.isHTTPServer(lit.Type) {
		return nil
	}
	if s, ok := r.lits[lit]; ok {
		return s
	}
	s := &Server{Kind: KindServer, Range: r.rangeOf(lit)}
	r.lits[lit] = s
	r.p.res.Servers = append(r.p.res.Servers, s)
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok || !Fields[key.Name] {
			continue
		}
		s.Settings = append(s.Settings, Setting{Name: key.Name, Value: r.value(sc, kv.Value), Range: r.rangeOf(kv)})
	}
	return s
}

func (r *fileReader) bind(sc *scope, name string, e ast.Expr) {
	if s, ok := r.serverExpr(sc, e); ok {
		if s.Var == "" {
			s.Var = name
		}
		sc.servers[name] = s
		return
	}
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	switch {
	case r.gin != "" && x.Name == r.gin && (sel.Sel.Name == "Default" || sel.Sel.Name == "New"):
		sc.gins[name] = true
	case r.echo != "" && x.Name == r.echo && sel.Sel.Name == "New":
		// echo.New sets e.Server to new(http.Server): every timeout zero.
		sc.echos[name] = &echoInst{server: &Server{Kind: KindEchoStart, Range: r.rangeOf(c), Var: name + ".Server"}}
	}
}

func (r *fileReader) assign(sc *scope, a *ast.AssignStmt) {
	if len(a.Lhs) != len(a.Rhs) {
		return
	}
	for i, l := range a.Lhs {
		switch l := l.(type) {
		case *ast.Ident:
			r.bind(sc, l.Name, a.Rhs[i])
		case *ast.SelectorExpr:
			if !Fields[l.Sel.Name] {
				// s.server = &http.Server{…}: the field holds the server
				// for the rest of the function.
				if srv, ok := r.serverExpr(sc, a.Rhs[i]); ok {
					name := r.text(l)
					if srv.Var == "" {
						srv.Var = name
					}
					sc.servers[name] = srv
				}
				continue
			}
			if a.Tok != token.ASSIGN {
				continue
			}
			s := r.target(sc, l.X)
			if s == nil {
				continue
			}
			s.Settings = append(s.Settings, Setting{Name: l.Sel.Name, Value: r.value(sc, a.Rhs[i]), Range: r.rangeOf(a)})
		}
	}
}

// target finds the server a field is assigned on: a variable holding one,
// or e.Server of an echo instance.
func (r *fileReader) target(sc *scope, x ast.Expr) *Server {
	switch x := x.(type) {
	case *ast.Ident:
		return sc.servers[x.Name]
	case *ast.SelectorExpr:
		if s, ok := sc.servers[r.text(x)]; ok {
			return s
		}
		if id, ok := x.X.(*ast.Ident); ok && x.Sel.Name == "Server" {
			if e := sc.echos[id.Name]; e != nil {
				r.listEcho(e)
				return e.server
			}
		}
	}
	return nil
}

func (r *fileReader) listEcho(e *echoInst) {
	if !e.listed {
		e.listed = true
		r.p.res.Servers = append(r.p.res.Servers, e.server)
	}
}

// call records the package-level ListenAndServe family, gin's Run and
// echo's Start.
func (r *fileReader) call(sc *scope, c *ast.CallExpr) {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	name := sel.Sel.Name
	addr := func(s *Server) {
		if len(c.Args) > 0 && name != "Serve" {
			s.Settings = append(s.Settings, Setting{Name: "Addr", Value: r.value(sc, c.Args[0]), Range: r.rangeOf(c.Args[0])})
		}
	}
	switch {
	case r.http != "" && x.Name == r.http && (name == "ListenAndServe" || name == "ListenAndServeTLS" || name == "Serve" || name == "ServeTLS"):
		s := &Server{Kind: KindListenAndServe, Range: r.rangeOf(c)}
		addr(s)
		r.p.res.Servers = append(r.p.res.Servers, s)
	case sc.gins[x.Name] && (name == "Run" || name == "RunTLS"):
		s := &Server{Kind: KindGinRun, Range: r.rangeOf(c), Var: x.Name}
		addr(s)
		r.p.res.Servers = append(r.p.res.Servers, s)
	case sc.echos[x.Name] != nil && (name == "Start" || name == "StartTLS"):
		e := sc.echos[x.Name]
		r.listEcho(e)
		addr(e.server)
	}
}

func (r *fileReader) rangeOf(n ast.Node) parsers.Range {
	return r.p.rangeOf(n)
}

func (p *pkg) rangeOf(n ast.Node) parsers.Range {
	tf := p.fset.File(n.Pos())
	f := p.files[tf]
	if f == nil {
		return parsers.Range{}
	}
	s, e := p.fset.Position(n.Pos()), p.fset.Position(n.End())
	return f.At(s.Line, s.Column, e.Line, e.Column)
}

// maxDepth bounds how far evaluation follows names and nested
// expressions.
const maxDepth = 200

// value evaluates a field's value.
func (r *fileReader) value(sc *scope, e ast.Expr) Value {
	ev := &evaluator{r: r, sc: sc, visiting: map[string]bool{}, time: r.time}
	c, dur := ev.eval(e, 0)
	v := Value{Text: r.text(e), Range: r.rangeOf(e)}
	switch {
	case c == nil:
		v.Kind, v.Reason, v.Call = Unknown, ev.reason, ev.call
	case c.Kind() == constant.String:
		v.Kind, v.Str = String, constant.StringVal(c)
	default:
		n, exact := constant.Int64Val(constant.ToInt(c))
		switch {
		case !exact:
			v.Kind, v.Reason = Unknown, "the value overflows or is not a whole number"
		case dur:
			v.Kind, v.Duration = Duration, time.Duration(n)
		default:
			v.Kind, v.Int = Int, n
		}
	}
	return v
}

func (r *fileReader) text(e ast.Expr) string {
	f := r.p.files[r.p.fset.File(e.Pos())]
	if f == nil {
		return ""
	}
	lo, hi := r.p.fset.Position(e.Pos()).Offset, r.p.fset.Position(e.End()).Offset
	if lo < 0 || hi > len(f.Bytes()) || lo > hi {
		return ""
	}
	t := strings.Join(strings.Fields(string(f.Bytes()[lo:hi])), " ")
	if len(t) > 80 {
		t = t[:77] + "..."
	}
	return t
}

type evaluator struct {
	r *fileReader
	// time is the time package's name in the file being evaluated (a
	// constant of another file may import it under another name).
	time     string
	sc       *scope
	visiting map[string]bool
	reason   string
	call     string
}

func (ev *evaluator) fail(reason string) (constant.Value, bool) {
	if ev.reason == "" {
		ev.reason = reason
	}
	return nil, false
}

var timeUnits = map[string]time.Duration{"Nanosecond": time.Nanosecond, "Microsecond": time.Microsecond,
	"Millisecond": time.Millisecond, "Second": time.Second, "Minute": time.Minute, "Hour": time.Hour}

// eval folds e to a constant; dur says it is a time.Duration.
func (ev *evaluator) eval(e ast.Expr, depth int) (constant.Value, bool) {
	if depth > maxDepth {
		return ev.fail("the expression is nested too deeply for hoplint to follow")
	}
	depth++
	switch e := e.(type) {
	case *ast.BasicLit:
		c := constant.MakeFromLiteral(e.Value, e.Kind, 0)
		if c.Kind() == constant.Unknown {
			return ev.fail("the literal is malformed")
		}
		return c, false
	case *ast.ParenExpr:
		return ev.eval(e.X, depth)
	case *ast.Ident:
		return ev.ident(e.Name, depth)
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && x.Name == ev.time && ev.time != "" {
			if u, ok := timeUnits[e.Sel.Name]; ok {
				return constant.MakeInt64(int64(u)), true
			}
		}
		return ev.fail("`" + ev.r.text(e) + "` is defined in another package")
	case *ast.UnaryExpr:
		x, dur := ev.eval(e.X, depth)
		if x == nil {
			return nil, false
		}
		if e.Op != token.SUB && e.Op != token.ADD || x.Kind() == constant.String {
			return ev.fail("computed at run time")
		}
		return constant.UnaryOp(e.Op, x, 0), dur
	case *ast.BinaryExpr:
		return ev.binary(e, depth)
	case *ast.CallExpr:
		return ev.callExpr(e, depth)
	}
	return ev.fail("computed at run time")
}

func (ev *evaluator) ident(name string, depth int) (constant.Value, bool) {
	if ev.visiting[name] {
		return ev.fail("`" + name + "` is defined through itself")
	}
	var def ast.Expr
	if vals := ev.sc.locals[name]; len(vals) == 1 {
		def = vals[0]
	} else if len(vals) > 1 {
		return ev.fail("`" + name + "` is assigned more than once")
	} else if g, ok := ev.r.p.globals[name]; ok {
		def = g.expr
		saved := ev.time
		ev.time = g.time
		defer func() { ev.time = saved }()
	} else {
		return ev.fail("`" + name + "` is not a constant of this package")
	}
	ev.visiting[name] = true
	defer delete(ev.visiting, name)
	return ev.eval(def, depth)
}

func (ev *evaluator) binary(e *ast.BinaryExpr, depth int) (constant.Value, bool) {
	x, dx := ev.eval(e.X, depth)
	if x == nil {
		return nil, false
	}
	y, dy := ev.eval(e.Y, depth)
	if y == nil {
		return nil, false
	}
	if x.Kind() == constant.String || y.Kind() == constant.String {
		if e.Op == token.ADD && x.Kind() == y.Kind() {
			return constant.BinaryOp(x, token.ADD, y), false
		}
		return ev.fail("computed at run time")
	}
	op := e.Op
	switch op {
	case token.SHL, token.SHR:
		n, exact := constant.Uint64Val(y)
		if !exact || n > 256 || x.Kind() != constant.Int {
			return ev.fail("the shift overflows")
		}
		return constant.Shift(x, op, uint(n)), dx
	case token.ADD, token.SUB, token.MUL:
	case token.QUO, token.REM:
		if constant.Sign(y) == 0 {
			return ev.fail("division by zero")
		}
		if op == token.QUO && x.Kind() == constant.Int && y.Kind() == constant.Int {
			op = token.QUO_ASSIGN // integer division, as Go does for integers
		}
		if op == token.REM && (x.Kind() != constant.Int || y.Kind() != constant.Int) {
			return ev.fail("computed at run time")
		}
	default:
		return ev.fail("computed at run time")
	}
	// Bound the size of what is folded: a value this large is no setting.
	if constant.BitLen(constant.ToInt(x)) > 256 || constant.BitLen(constant.ToInt(y)) > 256 {
		return ev.fail("the value overflows")
	}
	dur := dx || dy
	if (op == token.QUO || op == token.QUO_ASSIGN) && dx && dy {
		dur = false
	}
	return constant.BinaryOp(x, op, y), dur
}

// callExpr folds conversions (time.Duration(x), int64(x)); other calls
// are unknown, and a call without arguments is written down.
func (ev *evaluator) callExpr(c *ast.CallExpr, depth int) (constant.Value, bool) {
	if len(c.Args) == 1 {
		switch f := c.Fun.(type) {
		case *ast.SelectorExpr:
			if x, ok := f.X.(*ast.Ident); ok && x.Name == ev.time && ev.time != "" && f.Sel.Name == "Duration" {
				v, _ := ev.eval(c.Args[0], depth)
				return v, v != nil
			}
		case *ast.Ident:
			switch f.Name {
			case "int", "int32", "int64", "uint", "uint32", "uint64":
				v, dur := ev.eval(c.Args[0], depth)
				return v, dur
			}
		}
	}
	if len(c.Args) == 0 && ev.call == "" {
		ev.call = ev.r.text(c.Fun)
	}
	return ev.fail("returned by " + ev.r.text(c.Fun) + "()")
}
