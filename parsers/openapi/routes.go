package openapi

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// streamTypes are response media types that stream: the response stays
// open and data arrives in pieces with pauses between them.
var streamTypes = map[string]bool{
	"text/event-stream":    true,
	"application/x-ndjson": true,
}

// maxDeclared is the largest maxLength read as a declared size (1 TiB): a
// larger one is a placeholder for "no limit" (2^63-1), not a promise.
const maxDeclared = 1 << 40

var methodOrder = map[string]int{"GET": 1, "HEAD": 2, "POST": 3, "PUT": 4, "PATCH": 5, "DELETE": 6, "OPTIONS": 7, "TRACE": 8}

func (st *state) routes(t *openapi3.T) {
	if t.Paths == nil {
		return
	}
	rootServers := st.servers(t.Servers, []string{"servers"})
	if st.spec.Swagger {
		rootServers = st.swaggerServers(t.Servers)
	}
	paths := t.Paths.Map()
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, tmpl := range keys {
		item := paths[tmpl]
		if item == nil {
			continue
		}
		itemServers := rootServers
		if len(item.Servers) > 0 {
			itemServers = st.servers(item.Servers, []string{"paths", tmpl, "servers"})
		}
		ops := item.Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Slice(methods, func(i, j int) bool {
			a, b := methodOrder[methods[i]], methodOrder[methods[j]]
			if a != b {
				return a < b
			}
			return methods[i] < methods[j]
		})
		for _, m := range methods {
			op := ops[m]
			if op == nil {
				continue
			}
			opPath := []string{"paths", tmpl, strings.ToLower(m)}
			r := &Route{Spec: st.spec, Method: strings.ToUpper(m), Template: tmpl, Servers: itemServers, Range: st.at(opPath)}
			if op.Servers != nil && len(*op.Servers) > 0 {
				r.Servers = st.servers(*op.Servers, append(opPath, "servers"))
			}
			if len(r.Servers) == 0 {
				r.Servers = []Server{{URL: "/", Range: st.spec.Range}}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				r.Body = st.body(op.RequestBody.Value, opPath)
			}
			r.Streams = st.streams(op, opPath)
			st.spec.Routes = append(st.spec.Routes, r)
		}
	}
}

// servers reads servers entries, substituting each variable's default.
func (st *state) servers(ss openapi3.Servers, at []string) []Server {
	var out []Server
	for i, s := range ss {
		if s == nil {
			continue
		}
		raw := s.URL
		for name, v := range s.Variables {
			if v != nil {
				raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
			}
		}
		out = append(out, parseServer(raw, s.URL, st.at(append(append([]string(nil), at...), strconv.Itoa(i), "url"))))
	}
	return out
}

// swaggerServers reads the servers openapi2conv made from host, basePath
// and schemes, placed at host: (or basePath:) of the Swagger file.
func (st *state) swaggerServers(ss openapi3.Servers) []Server {
	rng := st.at([]string{"host"})
	if _, v := get(st.docs[st.spec.File.Abs].root, "host"); v == nil {
		rng = st.at([]string{"basePath"})
	}
	var out []Server
	for _, s := range ss {
		if s != nil {
			out = append(out, parseServer(s.URL, s.URL, rng))
		}
	}
	return out
}

func parseServer(raw, written string, rng parsers.Range) Server {
	s := Server{URL: written, Range: rng}
	if u, err := url.Parse(raw); err == nil {
		s.Host = strings.ToLower(u.Hostname())
		s.Base = strings.TrimSuffix(u.Path, "/")
	} else if strings.HasPrefix(raw, "/") {
		s.Base = strings.TrimSuffix(raw, "/")
	}
	return s
}

func (st *state) body(rb *openapi3.RequestBody, opPath []string) *Body {
	b := &Body{Range: st.bodyAt(opPath, nil)}
	mts := make([]string, 0, len(rb.Content))
	for mt := range rb.Content {
		mts = append(mts, mt)
	}
	sort.Strings(mts)
	b.MediaTypes = mts
	for _, mt := range mts {
		m := rb.Content[mt]
		if m == nil || m.Schema == nil || m.Schema.Value == nil {
			continue
		}
		size, what, path := largestBinary(m.Schema.Value, nil, 0, map[*openapi3.Schema]int{})
		if size > b.Size {
			b.Size, b.SizeWhat = size, what+" of the "+mt+" body"
			b.SizeRange = st.bodyAt(opPath, append([]string{"content", mt, "schema"}, path...))
		}
	}
	return b
}

// largestBinary returns the largest maxLength declared for a binary string
// in schema s: the body schema itself (application/octet-stream), one of
// its properties (a multipart file field), array items, allOf parts or
// oneOf/anyOf alternatives. A file of that size makes a body at least that
// large. The path leads from s to the maxLength keyword.
//
// Schemas are shared: twelve components of twelve properties, each a $ref
// to the next, are a 7 KB spec and 12^8 paths. So each schema is looked at
// once per body (seen), on the first path that reaches it; any other path
// to it would find the same size. seen keeps the shallowest depth a schema
// was looked at from (plus one), so one reached first near the depth bound
// is looked at again from higher up: at most once per level.
func largestBinary(s *openapi3.Schema, path []string, depth int, seen map[*openapi3.Schema]int) (int64, string, []string) {
	if s == nil || depth > 8 {
		return 0, "", nil
	}
	if d := seen[s]; d > 0 && d <= depth+1 {
		return 0, "", nil
	}
	seen[s] = depth + 1
	var best int64
	var what string
	var at []string
	if isBinary(s) && s.MaxLength != nil && *s.MaxLength > 0 && *s.MaxLength <= maxDeclared {
		best, at = int64(*s.MaxLength), append(append([]string(nil), path...), "maxLength")
		what = "maxLength " + strconv.FormatUint(*s.MaxLength, 10) + binaryWords(s)
		switch n := len(path); {
		case n >= 2 && path[n-2] == "properties":
			what += " of property " + path[n-1]
		case n >= 3 && path[n-1] == "items" && path[n-3] == "properties":
			what += " of the items of property " + path[n-2]
		}
	}
	consider := func(ref *openapi3.SchemaRef, step ...string) {
		if ref == nil || ref.Value == nil {
			return
		}
		n, w, p := largestBinary(ref.Value, append(append([]string(nil), path...), step...), depth+1, seen)
		if n > best {
			best, what, at = n, w, p
		}
	}
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		consider(s.Properties[name], "properties", name)
	}
	consider(s.Items, "items")
	// Any alternative the schema accepts is a body the route accepts.
	for _, alts := range []struct {
		key  string
		refs openapi3.SchemaRefs
	}{{"allOf", s.AllOf}, {"oneOf", s.OneOf}, {"anyOf", s.AnyOf}} {
		for i, a := range alts.refs {
			consider(a, alts.key, strconv.Itoa(i))
		}
	}
	return best, what, at
}

func isBinary(s *openapi3.Schema) bool {
	if s.Type != nil && !s.Type.Is("string") && !s.Type.Includes("string") {
		return false
	}
	return s.Format == "binary" || s.Format == "byte" || s.ContentMediaType != "" || s.ContentEncoding != ""
}

func binaryWords(s *openapi3.Schema) string {
	switch {
	case s.Format != "":
		return " (format: " + s.Format + ")"
	case s.ContentMediaType != "":
		return " (contentMediaType: " + s.ContentMediaType + ")"
	}
	return " (contentEncoding: " + s.ContentEncoding + ")"
}

func (st *state) streams(op *openapi3.Operation, opPath []string) []Stream {
	if op.Responses == nil {
		return nil
	}
	var out []Stream
	resp := op.Responses.Map()
	codes := make([]string, 0, len(resp))
	for c := range resp {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var produced []string
	if st.spec.Swagger {
		produced = st.swaggerStreamTypes(opPath)
	}
	for _, code := range codes {
		r := resp[code]
		if len(produced) > 0 && strings.HasPrefix(code, "2") {
			// Swagger 2.0 names response media types in produces; the
			// converter gives a response content only when it has a schema.
			for _, mt := range produced {
				out = append(out, Stream{What: mt, Status: code, Range: st.swaggerProduces(opPath)})
			}
			continue
		}
		if code == "101" {
			out = append(out, Stream{What: "websocket upgrade (101)", Status: code, Range: st.at(append(append([]string(nil), opPath...), "responses", code))})
			continue
		}
		if r == nil || r.Value == nil {
			continue
		}
		for mt := range r.Value.Content {
			base := mediaBase(mt)
			if !streamTypes[base] {
				continue
			}
			rng := st.at(append(append([]string(nil), opPath...), "responses", code, "content", mt))
			if st.spec.Swagger {
				rng = st.swaggerProduces(opPath)
			}
			out = append(out, Stream{What: base, Status: code, Range: rng})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Status != out[j].Status {
			return out[i].Status < out[j].Status
		}
		return out[i].What < out[j].What
	})
	return out
}

// swaggerStreamTypes returns the streaming media types an operation
// produces (its own produces, else the spec's).
func (st *state) swaggerStreamTypes(opPath []string) []string {
	list := st.node(append(append([]string(nil), opPath...), "produces"))
	if list == nil {
		list = st.node([]string{"produces"})
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, n := range list.Content {
		if n = deref(n); n != nil && n.Kind == yaml.ScalarNode {
			if base := mediaBase(n.Value); streamTypes[base] {
				out = append(out, base)
			}
		}
	}
	return out
}

func mediaBase(mt string) string {
	return strings.ToLower(strings.TrimSpace(strings.SplitN(mt, ";", 2)[0]))
}

func (st *state) swaggerProduces(opPath []string) parsers.Range {
	if d, k, full := st.find(append(append([]string(nil), opPath...), "produces")); full {
		return nodeRange(d.file, k)
	}
	if d, k, full := st.find([]string{"produces"}); full {
		return nodeRange(d.file, k)
	}
	return st.at(opPath)
}

// bodyAt places something inside an operation's request body: rest leads
// from the body (content/MT/schema/…). Swagger 2.0 writes the body as a
// parameter (in: body, or in: formData fields), so its path is translated.
func (st *state) bodyAt(opPath, rest []string) parsers.Range {
	if !st.spec.Swagger {
		return st.at(append(append(append([]string(nil), opPath...), "requestBody"), rest...))
	}
	// Swagger 2.0: rest is content/MT/schema/…
	var tail []string
	if len(rest) >= 3 {
		tail = rest[3:]
	}
	for _, params := range [][]string{append(append([]string(nil), opPath...), "parameters"), append(append([]string(nil), opPath[:2]...), "parameters")} {
		d, _, full := st.find(params)
		if !full {
			continue
		}
		list := st.node(params)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for i, p := range list.Content {
			p = st.follow(d, p, 0)
			_, in := get(p, "in")
			_, name := get(p, "name")
			if in == nil {
				continue
			}
			at := append(append([]string(nil), params...), strconv.Itoa(i))
			switch {
			case in.Value == "body":
				if tail == nil {
					return st.at(at)
				}
				return st.at(append(append(at, "schema"), tail...))
			case in.Value == "formData" && name != nil:
				if tail == nil {
					return st.at(at)
				}
				if len(tail) >= 2 && tail[0] == "properties" && tail[1] == name.Value {
					return st.at(append(at, tail[2:]...))
				}
			}
		}
	}
	return st.at(opPath)
}

// at places the node at a logical path (following $refs), or the nearest
// ancestor found.
func (st *state) at(path []string) parsers.Range {
	d, k, _ := st.find(path)
	if k == nil {
		return st.spec.Range
	}
	return nodeRange(d.file, k)
}

// node returns the value node at path (following $refs), or nil.
func (st *state) node(path []string) *yaml.Node {
	d := st.docs[st.spec.File.Abs]
	n := d.root
	for _, tok := range path {
		n, d = st.followDoc(d, n, 0)
		if n = child(n, tok); n == nil {
			return nil
		}
	}
	n, _ = st.followDoc(d, n, 0)
	return n
}

// find walks path from the root file, following $refs into the same file
// or other loaded files. It returns the key node of the deepest step found,
// the file it is in, and whether the whole path was found.
func (st *state) find(path []string) (*doc, *yaml.Node, bool) {
	d := st.docs[st.spec.File.Abs]
	if d == nil {
		return nil, nil, false
	}
	n := d.root
	var lastDoc *doc
	var lastKey *yaml.Node
	for _, tok := range path {
		var nd *doc
		n, nd = st.followDoc(d, n, 0)
		d = nd
		k, v := childKey(n, tok)
		if v == nil {
			return lastDoc, lastKey, false
		}
		lastDoc, lastKey, n = d, k, v
	}
	return lastDoc, lastKey, true
}

func (st *state) follow(d *doc, n *yaml.Node, depth int) *yaml.Node {
	n, _ = st.followDoc(d, n, depth)
	return n
}

// followDoc resolves a mapping holding $ref to the node it names, in the
// same file or another loaded one. Refs may chain, and a step of a ref's
// pointer may be a ref itself, so all the refs followed for one call share
// one bound (maxFollow, less depth).
func (st *state) followDoc(d *doc, n *yaml.Node, depth int) (*yaml.Node, *doc) {
	left := maxFollow - depth
	return st.followBounded(d, n, &left)
}

const maxFollow = 16

func (st *state) followBounded(d *doc, n *yaml.Node, left *int) (*yaml.Node, *doc) {
	n = deref(n)
	for ; *left > 0 && n != nil; *left-- {
		_, rv := get(n, "$ref")
		if rv == nil || rv.Kind != yaml.ScalarNode {
			return n, d
		}
		ref := rv.Value
		fate, target := classifyRef(ref, d.file.Abs, d.file.Root)
		switch fate {
		case refLocal:
		case refFile:
			nd := st.docs[target]
			if nd == nil {
				return n, d
			}
			d = nd
		default:
			return n, d
		}
		frag := ""
		if i := strings.IndexByte(ref, '#'); i >= 0 {
			frag = ref[i+1:]
		}
		m := d.root
		for _, tok := range pointer(frag) {
			// A step may itself be a $ref (components: {schemas: {$ref:
			// ./schemas/_index.yaml}}): follow it, within the same bound.
			m, d = st.followBounded(d, m, left)
			if m = child(m, tok); m == nil {
				return nil, d
			}
		}
		n = deref(m)
	}
	return n, d
}

func child(n *yaml.Node, tok string) *yaml.Node {
	_, v := childKey(n, tok)
	return v
}

// childKey steps into a mapping by key or a sequence by index. For a
// sequence the "key" is the element itself.
func childKey(n *yaml.Node, tok string) (*yaml.Node, *yaml.Node) {
	n = deref(n)
	if n == nil {
		return nil, nil
	}
	if n.Kind == yaml.SequenceNode {
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil, nil
		}
		v := deref(n.Content[i])
		return v, v
	}
	return get(n, tok)
}

// String renders a body for `hoplint graph`.
func (b *Body) String() string {
	s := "takes a body (" + strings.Join(b.MediaTypes, ", ") + ")"
	if b.Size > 0 {
		s += fmt.Sprintf(", declared up to %d bytes: %s", b.Size, b.SizeWhat)
	}
	return s
}
