// Package openapi is the OpenAPI source of the path: its loader makes a
// hop for each spec and each operation (what the application accepts:
// body media types, declared sizes, streaming responses), and its linker
// links each operation to the nginx location, Apache virtual host,
// Ingress, HTTPRoute or ALB listener rule that serves its path, so that
// rules compare the proxies' limits with what the route needs.
//
// It registers with topology from init: import topology/sources.
package openapi

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	oas "github.com/hoplint/hoplint/parsers/openapi"
	"github.com/hoplint/hoplint/topology"
)

func init() {
	topology.RegisterLoader(parsers.FormatOpenAPI, loadOpenAPI)
	topology.RegisterDetails(topology.KindOpenAPIRoute, routeDetails)
}

// loadOpenAPI loads every spec (in parallel: the large ones take a while)
// and makes a hop for the spec and one for each of its operations. $refs
// are read through env.Open, confined to the linted root.
func loadOpenAPI(part *topology.Graph, files []*parsers.File, env *topology.Env) {
	specs := make([]*oas.Spec, len(files))
	topology.ParallelEach(files, func(i int, f *parsers.File) {
		root := f.Root
		specs[i] = oas.Parse(f, func(abs string) (*parsers.File, error) {
			return env.Open(root, abs, parsers.FormatOpenAPI)
		})
	})
	for _, sp := range specs {
		part.AddProblems(sp.Problems...)
		part.AddComments(sp.File.Path, sp.Comments)
		if !sp.Loaded {
			continue
		}
		c := &topology.OpenAPIConfig{Spec: sp, Routes: map[*oas.Route]*topology.Hop{}}
		name := "OpenAPI " + sp.Version + " spec"
		if sp.Swagger {
			name = "Swagger " + sp.Version + " spec"
		}
		if sp.Title != "" {
			name += " " + sp.Title
		}
		c.Hop = &topology.Hop{ID: sp.File.Path + "#spec", Kind: topology.KindOpenAPISpec, Name: name + " (" + sp.File.Path + ")",
			File: sp.File.Path, Range: sp.Range, Config: sp}
		part.AddHop(c.Hop)
		seen := map[string]int{}
		for _, r := range sp.Routes {
			id := sp.File.Path + "#" + r.Label()
			if seen[id]++; seen[id] > 1 {
				id += fmt.Sprintf("#%d", seen[id])
			}
			h := &topology.Hop{ID: id, Kind: topology.KindOpenAPIRoute, Name: "route " + r.Label(), File: sp.File.Path, Range: r.Range, Config: r}
			part.AddHop(h)
			c.Routes[r] = h
			part.Link(&topology.Edge{From: c.Hop, To: h, Confidence: topology.Reference, Within: true, Range: r.Range,
				Why: fmt.Sprintf("%s is an operation of %s", r.Label(), sp.File.Path)})
		}
		part.AddConfig(parsers.FormatOpenAPI, c)
	}
}

// routeDetails describes a route hop for `hoplint graph`: where it is
// served, its body and its streaming responses, as label/value pairs.
func routeDetails(h *topology.Hop) [][2]string {
	r, ok := h.Config.(*oas.Route)
	if !ok {
		return nil
	}
	var out [][2]string
	for _, srv := range r.Servers {
		where := oas.JoinPath(srv.Base, r.Template)
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
			v += fmt.Sprintf(", declared up to %s: %s (%s)", topology.FormatSize(b.Size), b.SizeWhat, b.SizeRange)
		}
		out = append(out, [2]string{"takes a body", v})
	}
	for _, st := range r.Streams {
		out = append(out, [2]string{"streams", fmt.Sprintf("%s (%s, %s)", st.What, st.Status, st.Range)})
	}
	return out
}
