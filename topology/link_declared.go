package topology

import (
	"fmt"
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
	for i, st := range cfg.Stacks {
		var prev *Hop
		name := st.Name
		if name == "" {
			name = fmt.Sprintf("stack %d", i+1)
		}
		for _, id := range st.Hops {
			h, err := resolveHop(g, id)
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

func resolveHop(g *Graph, id string) (*Hop, error) {
	if h := g.Hop(id); h != nil {
		return h, nil
	}
	var found []*Hop
	for _, h := range g.Hops {
		if strings.HasPrefix(h.ID, id+"/") || strings.HasPrefix(h.ID, id+".") || strings.HasPrefix(h.ID, id+"#") {
			found = append(found, h)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("no hop %q", id)
	}
	return nil, fmt.Errorf("%q names %d hops (%s, …); name one", id, len(found), found[0].ID)
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
