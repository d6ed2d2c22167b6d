package topology

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
)

func init() { RegisterLinker("a-declared", linkDeclared) }

// linkDeclared draws the edges of the stacks declared in .hoplint.yml, hop
// after hop. Declared links are the most trusted: inference adds no other
// link from a hop that has a declared one.
//
// A hop is named FILE#OBJECT, exactly as `hoplint graph` prints its id
// (terraform/alb.tf#aws_lb.web, nginx/nginx.conf#server:api.example.com:443,
// k8s/app.yaml#Deployment/shop/web/containers/web). A FILE#OBJECT prefix
// that names one hop also works (k8s/app.yaml#Deployment/shop/web).
func linkDeclared(g *Graph, env *Env) {
	cfg := env.Config
	if len(cfg.Stacks) == 0 {
		return
	}
	ids := sortedIDs(g)
	for i, st := range cfg.Stacks {
		var prev *Hop
		name := st.Name
		if name == "" {
			name = fmt.Sprintf("stack %d", i+1)
		}
		for _, id := range st.Hops {
			h, err := resolveHop(g, ids, id)
			if err != nil {
				g.AddProblems(parsers.Problem{Kind: parsers.ProblemParse, Range: stackRange(cfg, st),
					Message: fmt.Sprintf("stacks: %s: %v; `hoplint graph` lists the hop ids", name, err)})
				prev = nil
				continue
			}
			if prev != nil {
				g.Link(&Edge{From: prev, To: h, Confidence: Declared, Range: stackRange(cfg, st),
					Why: fmt.Sprintf("declared in %s (%s)", configName(cfg), name)})
			}
			prev = h
		}
	}
}

// sortedIDs lists the hops by ID, so that a FILE#OBJECT prefix finds the
// hops it names by binary search instead of a scan per declared hop.
func sortedIDs(g *Graph) []*Hop {
	hs := append([]*Hop(nil), g.Hops...)
	sort.Slice(hs, func(i, j int) bool { return hs[i].ID < hs[j].ID })
	return hs
}

func resolveHop(g *Graph, sorted []*Hop, id string) (*Hop, error) {
	if h := g.Hop(id); h != nil {
		return h, nil
	}
	var found []*Hop
	for _, sep := range []string{"/", ".", "#"} {
		p := id + sep
		for i := sort.Search(len(sorted), func(i int) bool { return sorted[i].ID >= p }); i < len(sorted) && strings.HasPrefix(sorted[i].ID, p); i++ {
			found = append(found, sorted[i])
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("no hop %q", id)
	}
	// Name the first of them in the graph's order, as users see it listed.
	in := map[*Hop]bool{}
	for _, h := range found {
		in[h] = true
	}
	first := found[0]
	for _, h := range g.Hops {
		if in[h] {
			first = h
			break
		}
	}
	return nil, fmt.Errorf("%q names %d hops (%s, …); name one", id, len(found), first.ID)
}

func configName(cfg *config.Config) string {
	if cfg.File != "" {
		return cfg.File
	}
	return config.DefaultFile
}

func stackRange(cfg *config.Config, st config.Stack) parsers.Range {
	return parsers.Range{File: configName(cfg), Start: parsers.Pos{Line: st.Line, Col: 1}, End: parsers.Pos{Line: st.Line, Col: 1}}
}

// hasDeclared reports whether h has a declared outgoing link.
func hasDeclared(g *Graph, h *Hop) bool {
	for _, e := range g.Out(h) {
		if e.Confidence == Declared {
			return true
		}
	}
	return false
}
