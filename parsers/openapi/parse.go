// Package openapi reads OpenAPI 3.0 and 3.1 and Swagger 2.0 specs (YAML or
// JSON) for what each route accepts: its method and full path, the hosts
// that serve it, whether it takes a request body, of which media types and
// up to which declared size, and whether a response streams.
//
// Specs are loaded with github.com/oasdiff/oasdiff/load (kin-openapi
// underneath); Swagger 2.0 is converted to OpenAPI 3 with kin-openapi's
// openapi2conv. $refs to other files are resolved only inside the linted
// root; remote refs are never fetched. The loader keeps no line numbers, so
// positions come from the yaml.v3 node tree of the same files.
package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/load"
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// Spec is one loaded spec.
type Spec struct {
	File *parsers.File
	// Version is the openapi (or swagger) field as written.
	Version string
	Swagger bool
	Title   string
	// Range is the openapi: / swagger: line.
	Range    parsers.Range
	Routes   []*Route
	Problems []parsers.Problem
	// Comments of the spec file (YAML), for suppressions.
	Comments []parsers.Comment
	// Loaded is false when the spec could not be loaded (see Problems).
	Loaded bool
}

// Server is one entry of servers (or Swagger 2.0 host + basePath).
type Server struct {
	URL string
	// Host is the host name, "" for a relative URL. Loopback is a host
	// too ("localhost"): callers decide what it means.
	Host string
	// Base is the URL's path without a trailing slash ("" or "/v1").
	Base  string
	Range parsers.Range
}

// Route is one operation.
type Route struct {
	Spec     *Spec
	Method   string // "POST"
	Template string // the paths key: "/upload/{id}"
	// Servers are the operation's effective servers (operation, path item,
	// then root level; "/" when none is declared).
	Servers []Server
	// Range is the operation's key (post:).
	Range parsers.Range
	// Body is nil when the operation declares no request body.
	Body    *Body
	Streams []Stream
}

// Body is an operation's request body.
type Body struct {
	MediaTypes []string
	Range      parsers.Range
	// Size is the largest size the spec declares, in bytes; 0 when it
	// declares none.
	Size      int64
	SizeRange parsers.Range
	// SizeWhat says where Size comes from, for messages.
	SizeWhat string
}

// Stream is a response that streams.
type Stream struct {
	// What is the media type, or "websocket upgrade (101)".
	What   string
	Status string
	Range  parsers.Range
}

// Label is "POST /upload".
func (r *Route) Label() string { return r.Method + " " + r.Template }

// Paths returns the route's full paths, one per distinct server base path:
// the base path joined with the template.
func (r *Route) Paths() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range r.Servers {
		p := JoinPath(s.Base, r.Template)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// JoinPath joins a server base path and a path template.
func JoinPath(base, template string) string {
	base = strings.TrimSuffix(base, "/")
	if !strings.HasPrefix(template, "/") {
		template = "/" + template
	}
	return base + template
}

// Opener reads a file a $ref names. It must refuse anything outside the
// linted root (topology's Env.Open does).
type Opener func(abs string) (*parsers.File, error)

// errRefused is what the loader's reader answers for a location hoplint
// will not read. It never fires for refs hoplint blanked before loading;
// it is the second line of defence.
type errRefused struct{ loc string }

func (e *errRefused) Error() string {
	return "hoplint does not read " + e.loc + " (remote or outside the linted root)"
}

type state struct {
	spec *Spec
	open Opener
	docs map[string]*doc // by absolute path
	seen map[*yaml.Node]bool
	// json is each document as handed to the loader, rendered once;
	// reads counts the loader's requests, workLimit bounds them.
	json             map[string][]byte
	reads, workLimit int
}

// Parse loads the spec in f. open reads the files its $refs name.
func Parse(f *parsers.File, open Opener) *Spec {
	sp := &Spec{File: f, Range: f.LineRange(1)}
	st := &state{spec: sp, open: open, docs: map[string]*doc{}, seen: map[*yaml.Node]bool{}}
	d, err := parseDoc(f)
	if err != nil {
		sp.parseError(yamlErrRange(f, err), "the spec does not parse: "+cleanYAMLErr(err))
		return sp
	}
	if d.root == nil || d.root.Kind != yaml.MappingNode {
		sp.parseError(f.LineRange(1), "the spec does not load: its top level is not a mapping")
		return sp
	}
	st.docs[f.Abs] = d
	var cs parsers.YAMLComments
	cs.Collect(d.root)
	sp.Comments = cs.Locate(f)
	if k, v := get(d.root, "openapi"); v != nil {
		sp.Version, sp.Range = v.Value, nodeRange(f, k)
	} else if k, v := get(d.root, "swagger"); v != nil {
		sp.Version, sp.Range, sp.Swagger = v.Value, nodeRange(f, k), true
	} else {
		// The classifier saw an openapi or swagger key, but not at the
		// top level: some other YAML or JSON file, not a spec.
		return sp
	}
	if !versionRe.MatchString(sp.Version) {
		// swagger: {enabled: true} in a Helm values file, say: not a spec.
		return sp
	}
	family, want := "OpenAPI", "3"
	if sp.Swagger {
		family, want = "Swagger", "2"
	}
	if strings.SplitN(sp.Version, ".", 2)[0] != want {
		sp.Problems = append(sp.Problems, parsers.Problem{Kind: parsers.ProblemSkipped, Range: sp.Range,
			Message: fmt.Sprintf("%s %s is not a version hoplint reads (OpenAPI 3.0 and 3.1, Swagger 2.0), so its routes are not checked", family, sp.Version)})
		return sp
	}
	if _, info := get(d.root, "info"); info != nil {
		if _, t := get(info, "title"); t != nil {
			sp.Title = t.Value
		}
	}
	js, err := d.toJSONSpliced(st.keeper(d), st.splice)
	if err != nil {
		sp.parseError(sp.Range, "the spec does not load: "+err.Error())
		return sp
	}
	if !st.checkWork(d) {
		return sp
	}
	t, err := st.load(js)
	if err != nil {
		sp.parseError(st.errRange(err), "the spec does not load: "+loadErrWords(err))
		return sp
	}
	sp.Loaded = true
	st.routes(t)
	return sp
}

func (sp *Spec) parseError(r parsers.Range, msg string) {
	sp.Problems = append(sp.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: r, Message: msg})
}

// keeper decides, for each $ref of d, whether the loader may follow it, and
// reports the ones it may not.
func (st *state) keeper(d *doc) func(ref string, at *yaml.Node) bool {
	return func(ref string, at *yaml.Node) bool {
		fate, target := classifyRef(ref, d.file.Abs, d.file.Root)
		switch fate {
		case refLocal, refFile:
			return true
		}
		if !st.seen[at] {
			st.seen[at] = true
			why := "hoplint never fetches remote documents"
			switch fate {
			case refOutside:
				why = fmt.Sprintf("%s lies outside the linted root", parsers.RelPath(d.file.Root, target))
			case refSpecial:
				why = fmt.Sprintf("%s is not a regular file (a FIFO, device or directory), which hoplint never reads", parsers.RelPath(d.file.Root, target))
			case refMissing:
				why = fmt.Sprintf("%s does not exist", parsers.RelPath(d.file.Root, target))
			}
			st.spec.Problems = append(st.spec.Problems, parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: nodeRange(d.file, at),
				Message: fmt.Sprintf("$ref %s was not followed (%s): what it defines is unknown to hoplint, so a size or streaming response declared there is not checked", ref, why)})
		}
		return false
	}
}

// mapRefPaths are the places of a spec that hold a map of named objects. A
// $ref there, in place of the map, is not OpenAPI (the loader would take
// "$ref" for an object's name), but bundlers (swagger-cli, json-schema-
// ref-parser) accept it and split specs use it: components: {schemas:
// {$ref: ./schemas/_index.yaml}}.
func mapRefPath(swagger bool, path []string) bool {
	switch {
	case len(path) == 1 && path[0] == "paths":
		return true
	case swagger:
		return len(path) == 1 && (path[0] == "definitions" || path[0] == "parameters" || path[0] == "responses" || path[0] == "securityDefinitions")
	}
	return len(path) == 1 && path[0] == "components" || len(path) == 2 && path[0] == "components"
}

// splice writes, in place of such a map-valued $ref of the root file, the
// map it names, with the $refs written in that file rewritten to mean the
// same from the root file's directory. A ref it cannot follow is reported
// and leaves an empty map.
func (st *state) splice(path []string, n *yaml.Node) *splice {
	if !mapRefPath(st.spec.Swagger, path) || len(n.Content) != 2 {
		return nil
	}
	_, rv := get(n, "$ref")
	if rv == nil || rv.Kind != yaml.ScalarNode {
		return nil
	}
	root := st.docs[st.spec.File.Abs]
	fate, target := classifyRef(rv.Value, root.file.Abs, root.file.Root)
	if fate != refFile {
		return nil // local: the loader's; remote or outside: the keeper blanks it
	}
	empty := &splice{node: &yaml.Node{Kind: yaml.MappingNode}, keep: st.keeper(root), rebase: func(r string) string { return r }}
	td, err := st.docAt(target)
	if err != nil {
		st.unfollowed(root, rv, err.Error())
		return empty
	}
	m := td.root
	if i := strings.IndexByte(rv.Value, '#'); i >= 0 {
		for _, tok := range pointer(rv.Value[i+1:]) {
			if m = child(deref(m), tok); m == nil {
				break
			}
		}
	}
	if m = deref(m); m == nil || m.Kind != yaml.MappingNode {
		st.unfollowed(root, rv, "it names no map of "+strings.Join(path, "/")+" in "+td.file.Path)
		return empty
	}
	return &splice{node: m, keep: st.keeper(td), rebase: st.rebaser(td), budget: 4*countNodes(td.root, 0) + 1000}
}

// rebaser rewrites a $ref written in d so that it names the same place
// when written in the root file: "#/X" becomes "d.yaml#/X", "../b.yaml"
// becomes the path of b.yaml from the root file's directory.
func (st *state) rebaser(d *doc) func(string) string {
	dir := filepath.Dir(st.spec.File.Abs)
	return func(ref string) string {
		fate, target := classifyRef(ref, d.file.Abs, d.file.Root)
		switch fate {
		case refLocal:
			target = d.file.Abs
		case refFile:
		default:
			return ref
		}
		rel, err := filepath.Rel(dir, target)
		if err != nil {
			return ref
		}
		frag := ""
		if i := strings.IndexByte(ref, '#'); i >= 0 {
			frag = ref[i:]
		}
		return filepath.ToSlash(rel) + frag
	}
}

// unfollowed reports a $ref hoplint does not follow, once.
func (st *state) unfollowed(d *doc, at *yaml.Node, why string) {
	if st.seen[at] {
		return
	}
	st.seen[at] = true
	st.spec.Problems = append(st.spec.Problems, parsers.Problem{Kind: parsers.ProblemUnfollowed, Range: nodeRange(d.file, at),
		Message: fmt.Sprintf("$ref %s was not followed (%s): what it defines is unknown to hoplint, so a size or streaming response declared there is not checked", at.Value, why)})
}

// docAt returns the parsed file at abs (inside the root), reading it once.
func (st *state) docAt(abs string) (*doc, error) {
	if d := st.docs[abs]; d != nil {
		return d, nil
	}
	f, err := st.open(abs)
	if err != nil {
		return nil, err
	}
	d, err := parseDoc(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", f.Path, cleanYAMLErr(err))
	}
	st.docs[abs] = d
	return d, nil
}

// read is the loader's only way to a document. It refuses URLs and paths
// outside the root, reads through open (which confines to the root too) and
// hands the loader the same blanked JSON as for the root file. The loader
// asks again for every $ref into the document: each document is read and
// rendered once, and what is handed out is counted (checkWork bounds it
// beforehand; this is the second line of defence).
func (st *state) read(_ *openapi3.Loader, loc *url.URL) ([]byte, error) {
	if (loc.Scheme != "" && loc.Scheme != "file") || loc.Host != "" || loc.Opaque != "" {
		return nil, &errRefused{loc: loc.String()}
	}
	abs := filepath.Clean(filepath.FromSlash(loc.Path))
	if !parsers.Within(st.spec.File.Root, abs) {
		return nil, &errRefused{loc: loc.String()}
	}
	js, ok := st.json[abs]
	if !ok {
		d, err := st.docAt(abs)
		if err != nil {
			return nil, err
		}
		if js, err = d.toJSON(st.keeper(d)); err != nil {
			return nil, err
		}
		if st.json == nil {
			st.json = map[string][]byte{}
		}
		st.json[abs] = js
	}
	// Each time the loader asks is one $ref resolved into another file,
	// one unit of the work checkWork counted.
	if st.reads++; st.reads > st.workLimit {
		return nil, errReadBudget
	}
	return js, nil
}

var errReadBudget = errors.New("its $refs ask for the same documents over and over, beyond hoplint's budget (a chain of refs copied anew at every use); hoplint does not load it")

func (st *state) load(js []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	// The reader below owns the policy: with a custom reader kin-openapi
	// does not apply IsExternalRefsAllowed itself (see its Loader docs), so
	// it is switched on only to let local files through to our reader.
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = st.read
	abs := st.spec.File.Abs
	if st.spec.Swagger {
		var d2 openapi2.T
		if err := json.Unmarshal(js, &d2); err != nil {
			return nil, err
		}
		return openapi2conv.ToV3WithLoader(&d2, loader, &url.URL{Path: filepath.ToSlash(abs)})
	}
	si, err := load.NewSpecInfoFromData(loader, js, filepath.ToSlash(abs))
	if err != nil {
		return nil, err
	}
	return si.Spec, nil
}

var (
	versionRe      = regexp.MustCompile(`^[0-9]+(\.[0-9]+){0,2}$`)
	yamlLineRe     = regexp.MustCompile(`line (\d+)`)
	yamlLinePrefix = regexp.MustCompile(`^line \d+: `)
)

// parserErrors are yaml.v3's parser (not scanner) errors: it prints their
// line 0-based, where the construct that failed began.
var parserErrors = []string{"expected <document start>", "expected key", "expected node content", "expected ',' or '}'", "expected ',' or ']'", "expected '-' indicator"}

func yamlErrRange(f *parsers.File, err error) parsers.Range {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		for _, p := range parserErrors {
			if strings.HasSuffix(msg, "did not find "+p) {
				n++
				break
			}
		}
		if n >= 1 && n <= f.NumLines() {
			return f.LineRange(n)
		}
	}
	return f.LineRange(1)
}

func cleanYAMLErr(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	// The finding's position says where; the message need not.
	s = yamlLinePrefix.ReplaceAllString(s, "")
	return strings.ReplaceAll(s, "\n", "; ")
}

func loadErrWords(err error) string {
	var r *errRefused
	if errors.As(err, &r) {
		return r.Error()
	}
	msg := err.Error()
	// The loader is given JSON (hoplint converts YAML itself), so its
	// second attempt, reading the JSON as YAML, only adds noise and line 1.
	if i := strings.Index(msg, ", yaml error:"); i >= 0 {
		msg = msg[:i]
	}
	return strings.ReplaceAll(msg, "\n", "; ")
}

var pointerRe = regexp.MustCompile(` in (/[^\s,]+)`)

var quotedRe = regexp.MustCompile(`"([^"]+)"`)

// errRange places a load error: at the $ref or key it quotes when one is
// found in the root file, else at the openapi: line.
func (st *state) errRange(err error) parsers.Range {
	d := st.docs[st.spec.File.Abs]
	if m := pointerRe.FindStringSubmatch(err.Error()); m != nil {
		if fd, k, _ := st.find(pointer(m[1])); k != nil {
			return nodeRange(fd.file, k)
		}
	}
	for _, m := range quotedRe.FindAllStringSubmatch(err.Error(), -1) {
		if n := findScalar(d.root, m[1], 0); n != nil {
			return nodeRange(d.file, n)
		}
	}
	return st.spec.Range
}

// findScalar finds the first scalar (key or value) equal to s.
func findScalar(n *yaml.Node, s string, depth int) *yaml.Node {
	if n == nil || depth > 200 {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Value == s {
		return n
	}
	for _, c := range n.Content {
		if f := findScalar(c, s, depth+1); f != nil {
			return f
		}
	}
	return nil
}

// nodeRange covers a scalar node (a key, usually).
func nodeRange(f *parsers.File, n *yaml.Node) parsers.Range {
	if n == nil {
		return f.LineRange(1)
	}
	w := len(n.Value)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		w += 2
	}
	if n.Kind != yaml.ScalarNode || w == 0 {
		w = 1
	}
	return f.At(n.Line, n.Column, n.Line, n.Column+w)
}
