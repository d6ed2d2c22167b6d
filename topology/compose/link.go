package compose

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/hoplint/hoplint/parsers/compose"
	"github.com/hoplint/hoplint/topology"
)

// link joins proxies to the compose services they send to:
//   - inside a project, a service's name and its network aliases are DNS
//     names on the networks it joins: a proxy running in another service
//     of the project on one of those networks (proxy_pass http://web:8000,
//     server app:9000 in an upstream, ProxyPass / http://backend:8080/)
//     reaches that service's container;
//   - a port a service publishes on the host is what a proxy on that host
//     reaches through 127.0.0.1: a proxy whose configuration no container
//     runs, in the project's directory tree, reaches it.
func link(g *topology.Graph, env *topology.Env) {
	if st := planOf(env); st != nil {
		g.AddProblems(st.problems...)
	}
	idx := newIndex(g)
	if len(idx.byPod) == 0 {
		return
	}
	for _, h := range append([]*topology.Hop(nil), g.Hops...) {
		if len(h.Targets) == 0 || idx.byPod[h.ID] != nil || namesUpstream(g, h) {
			continue
		}
		for _, t := range h.Targets {
			if to, why := idx.byName(h, t); to != nil {
				addLink(g, h, to, t, topology.Reference, why)
			} else if to, why := idx.published(h, t); to != nil {
				addLink(g, h, to, t, topology.Address, why)
			}
		}
	}
}

// namesUpstream reports a hop whose target is an upstream block of its own
// configuration (proxy_pass http://app with upstream app {}): the name is
// the upstream's, not a DNS name, and the upstream's servers are linked
// instead.
func namesUpstream(g *topology.Graph, h *topology.Hop) bool {
	for _, e := range g.Out(h) {
		if !e.Within && e.To.Kind == topology.KindNginxUpstream {
			return true
		}
	}
	return false
}

func addLink(g *topology.Graph, from, to *topology.Hop, t topology.Target, c topology.Confidence, why string) {
	for _, e := range g.Out(from) {
		if e.To == to {
			return
		}
	}
	g.Link(&topology.Edge{From: from, To: to, Confidence: c, Range: t.Range, Why: why})
}

type index struct {
	// byPod maps a service hop's ID (its pod) to the hop.
	byPod map[string]*topology.Hop
	// names maps each project's service names and aliases (lower case)
	// to the service hops answering to them.
	names map[*compose.Project]map[string][]*topology.Hop
	// byPort maps a host port to the service hops publishing it.
	byPort map[int][]*topology.Hop
}

func newIndex(g *topology.Graph) *index {
	idx := &index{byPod: map[string]*topology.Hop{}, names: map[*compose.Project]map[string][]*topology.Hop{}, byPort: map[int][]*topology.Hop{}}
	for _, h := range g.Hops {
		s, ok := h.Config.(*Service)
		if !ok {
			continue
		}
		idx.byPod[h.ID] = h
		m := idx.names[s.Project]
		if m == nil {
			m = map[string][]*topology.Hop{}
			idx.names[s.Project] = m
		}
		keys := map[string]bool{strings.ToLower(s.Service.Name): true}
		for _, n := range s.Service.Networks {
			for _, a := range n.Aliases {
				keys[strings.ToLower(a)] = true
			}
		}
		for k := range keys {
			m[k] = append(m[k], h)
		}
		for _, l := range h.Listen {
			if !l.Private {
				idx.byPort[l.Port] = append(idx.byPort[l.Port], h)
			}
		}
	}
	return idx
}

// networks are the networks a service joins, in name order: "default"
// when it names none, as compose attaches it to the project's default
// network.
func networks(s *Service) []compose.Network {
	if len(s.Service.Networks) == 0 {
		return []compose.Network{{Name: "default"}}
	}
	out := append([]compose.Network(nil), s.Service.Networks...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// byName finds the service a target's host names, seen from the services
// the hop runs in.
func (idx *index) byName(h *topology.Hop, t topology.Target) (*topology.Hop, string) {
	host := strings.ToLower(strings.TrimSuffix(t.Host, "."))
	if host == "" {
		return nil, ""
	}
	var found *topology.Hop
	var why string
	for _, pod := range h.Pods {
		from := idx.byPod[pod]
		if from == nil {
			continue
		}
		fs := from.Config.(*Service)
		fromNets := map[string]bool{}
		for _, n := range networks(fs) {
			fromNets[n.Name] = true
		}
		for _, cand := range idx.names[fs.Project][host] {
			cs := cand.Config.(*Service)
			if cand == from || cand == found {
				continue
			}
			for _, net := range networks(cs) {
				if !fromNets[net.Name] {
					continue
				}
				name := ""
				if strings.EqualFold(cs.Service.Name, host) {
					name = "the name"
				}
				for _, a := range net.Aliases {
					if strings.EqualFold(a, host) {
						name = "an alias"
					}
				}
				if name == "" {
					continue
				}
				if t.Port > 0 && declaresPorts(cand) && !listens(cand, t.Port, true) {
					continue // a port the service does not listen on: refused, not this path
				}
				if found != nil {
					return nil, "" // two services answer to the name: no guess
				}
				found = cand
				why = fmt.Sprintf("%s sends to %s, %s of compose service %s on network %s, which %s joins too", h.Name, t.Host, name, cs.Service.Name, net.Name, from.Name)
				if t.Port > 0 && !declaresPorts(cand) {
					why += fmt.Sprintf(" (the service declares no port; assuming its server listens on %d)", t.Port)
				}
				break
			}
		}
	}
	return found, why
}

// published finds the service that publishes a loopback target's port on
// the host, for a proxy no container runs, in the project's tree.
func (idx *index) published(h *topology.Hop, t topology.Target) (*topology.Hop, string) {
	if len(h.Pods) > 0 || t.Port == 0 || !topology.IsLoopback(t.Host) {
		return nil, ""
	}
	var cands []*topology.Hop
	for _, cand := range idx.byPort[t.Port] {
		if sameTree(h.File, cand.Config.(*Service).Project) && !containsHop(cands, cand) {
			cands = append(cands, cand)
		}
	}
	if len(cands) != 1 {
		return nil, ""
	}
	c := cands[0]
	return c, fmt.Sprintf("%s sends to %s:%d on its own host, where compose service %s publishes port %d, and its configuration sits in that compose project's directory; assuming both run on the same host",
		h.Name, t.Host, t.Port, c.Config.(*Service).Service.Name, t.Port)
}

// declaresPorts reports whether a service hop says which container ports
// it serves on (ports:, expose:, its Dockerfile's EXPOSE).
func declaresPorts(h *topology.Hop) bool {
	for _, l := range h.Listen {
		if l.Private {
			return true
		}
	}
	return false
}

// listens reports whether a service hop declares port: a container port
// (private) or a port published on the host.
func listens(h *topology.Hop, port int, private bool) bool {
	for _, l := range h.Listen {
		if l.Port == port && l.Private == private {
			return true
		}
	}
	return false
}

// sameTree reports whether a file lies in the directory tree of a
// compose project, or the project in the directory of the file.
func sameTree(file string, p *compose.Project) bool {
	if p == nil || len(p.Files) == 0 {
		return false
	}
	dir := path.Dir(p.Files[0].Path)
	fdir := path.Dir(file)
	return inTree(file, dir) || inTree(p.Files[0].Path, fdir)
}

func inTree(file, dir string) bool {
	return dir == "." || dir == "" || strings.HasPrefix(file, dir+"/")
}

func containsHop(hs []*topology.Hop, h *topology.Hop) bool {
	for _, o := range hs {
		if o == h {
			return true
		}
	}
	return false
}
