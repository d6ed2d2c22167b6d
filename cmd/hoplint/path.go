package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/report"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// maxPictureHops keeps the step summary's Mermaid picture readable (and
// within what GitHub renders); beyond it the picture says what it left out.
const maxPictureHops = 40

// pathPicture draws, as a Mermaid flowchart, the part of the request path
// the findings touch: every hop declared in a file a finding points into,
// the hops linked to those, and the links between them. Hops in a file
// with a finding are outlined. It returns "" when no finding touches a hop.
func pathPicture(g *topology.Graph, fs []rules.Finding) string {
	files := map[string]bool{}
	for _, f := range fs {
		for _, rg := range f.Locations() {
			files[rg.File] = true
		}
	}
	touched := map[*topology.Hop]bool{}
	for _, h := range g.Hops {
		if files[h.Range.File] || files[h.File] {
			touched[h] = true
		}
	}
	if len(touched) == 0 {
		return ""
	}
	keep := map[*topology.Hop]bool{}
	for _, e := range g.Edges {
		if touched[e.From] || touched[e.To] {
			keep[e.From], keep[e.To] = true, true
		}
	}
	for h := range touched {
		keep[h] = true
	}
	sub := &topology.Graph{}
	var marked []string
	copies := map[*topology.Hop]*topology.Hop{}
	left := 0
	for _, h := range g.Hops {
		if !keep[h] {
			continue
		}
		if len(sub.Hops) == maxPictureHops {
			left++
			continue
		}
		if touched[h] {
			marked = append(marked, fmt.Sprintf("h%d", len(sub.Hops)))
		}
		// A copy whose name, taken from config values, cannot break a
		// line of the flowchart.
		c := *h
		c.Name = report.Visible(h.Name)
		copies[h] = &c
		sub.Hops = append(sub.Hops, &c)
	}
	for _, e := range g.Edges {
		if from, to := copies[e.From], copies[e.To]; from != nil && to != nil {
			ec := *e
			ec.From, ec.To = from, to
			sub.Edges = append(sub.Edges, &ec)
		}
	}
	var b bytes.Buffer
	if err := topology.RenderMermaid(&b, sub); err != nil {
		return ""
	}
	if len(marked) > 0 {
		fmt.Fprintf(&b, "  classDef finding stroke:#d1242f,stroke-width:3px\n  class %s finding\n", strings.Join(marked, ","))
	}
	if left > 0 {
		fmt.Fprintf(&b, "  more[\"%d more hops not drawn; run hoplint graph\"]\n", left)
	}
	return b.String()
}
