package topology

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/openapi"
)

// The hop kinds of OpenAPI specs. They carry no settings of their own: a
// route says what the application accepts (Config is the *openapi.Route),
// and the hops linked to it are the ones that serve it.
const (
	KindOpenAPISpec  HopKind = "openapi-spec"
	KindOpenAPIRoute HopKind = "openapi-route"
)

// IsSpecKind reports whether k is a spec or one of its routes: hops that
// describe an application rather than forward to it, which rules walking
// toward backends skip.
func IsSpecKind(k HopKind) bool { return k == KindOpenAPISpec || k == KindOpenAPIRoute }

func init() { RegisterLoader(parsers.FormatOpenAPI, loadOpenAPI) }

// OpenAPIConfig is what the loader leaves for rules: the spec and the hops
// made from it.
type OpenAPIConfig struct {
	*openapi.Spec
	Hop    *Hop
	Routes map[*openapi.Route]*Hop
}

// loadOpenAPI loads every spec (in parallel: the large ones take a while)
// and makes a hop for the spec and one for each of its operations. $refs
// are read through env.Open, confined to the linted root.
func loadOpenAPI(part *Graph, files []*parsers.File, env *Env) {
	specs := make([]*openapi.Spec, len(files))
	ParallelEach(files, func(i int, f *parsers.File) {
		root := f.Root
		specs[i] = openapi.Parse(f, func(abs string) (*parsers.File, error) {
			return env.Open(root, abs, parsers.FormatOpenAPI)
		})
	})
	for _, sp := range specs {
		part.AddProblems(sp.Problems...)
		part.AddComments(sp.File.Path, sp.Comments)
		if !sp.Loaded {
			continue
		}
		c := &OpenAPIConfig{Spec: sp, Routes: map[*openapi.Route]*Hop{}}
		name := "OpenAPI " + sp.Version + " spec"
		if sp.Swagger {
			name = "Swagger " + sp.Version + " spec"
		}
		if sp.Title != "" {
			name += " " + sp.Title
		}
		c.Hop = &Hop{ID: sp.File.Path + "#spec", Kind: KindOpenAPISpec, Name: name + " (" + sp.File.Path + ")",
			File: sp.File.Path, Range: sp.Range, Config: sp}
		part.AddHop(c.Hop)
		seen := map[string]int{}
		for _, r := range sp.Routes {
			id := sp.File.Path + "#" + r.Label()
			if seen[id]++; seen[id] > 1 {
				id += fmt.Sprintf("#%d", seen[id])
			}
			h := &Hop{ID: id, Kind: KindOpenAPIRoute, Name: "route " + r.Label(), File: sp.File.Path, Range: r.Range, Config: r}
			part.AddHop(h)
			c.Routes[r] = h
			part.Link(&Edge{From: c.Hop, To: h, Confidence: Reference, Within: true, Range: r.Range,
				Why: fmt.Sprintf("%s is an operation of %s", r.Label(), sp.File.Path)})
		}
		part.AddConfig(parsers.FormatOpenAPI, c)
	}
}

// routeDetails describes a route hop for `hoplint graph`: where it is
// served, its body and its streaming responses, as label/value pairs.
func routeDetails(h *Hop) [][2]string {
	r, ok := h.Config.(*openapi.Route)
	if !ok {
		return nil
	}
	var out [][2]string
	for _, srv := range r.Servers {
		where := openapi.JoinPath(srv.Base, r.Template)
		if srv.Host != "" {
			where = srv.Host + where
		}
		out = append(out, [2]string{"serves", where + " (servers: " + srv.URL + ")"})
	}
	if b := r.Body; b != nil {
		v := strings.Join(b.MediaTypes, ", ")
		if v == "" {
			v = "no media type"
		}
		if b.Size > 0 {
			v += fmt.Sprintf(", declared up to %s: %s (%s)", FormatSize(b.Size), b.SizeWhat, b.SizeRange)
		}
		out = append(out, [2]string{"takes a body", v})
	}
	for _, st := range r.Streams {
		out = append(out, [2]string{"streams", fmt.Sprintf("%s (%s, %s)", st.What, st.Status, st.Range)})
	}
	return out
}
