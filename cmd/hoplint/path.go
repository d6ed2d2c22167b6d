package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/report"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// maxPictureHops keeps the step summary's Mermaid picture readable (and
// within what GitHub renders); beyond it the picture says what it left out.
const maxPictureHops = 40

// maxPictureName caps a hop's name in the picture, in characters: names
// come from config values (a server_name of a megabyte), and the summary
// has 1 MiB in all. With maxPictureHops, the picture stays in tens of KiB.
const maxPictureName = 120

// pathPicture draws, as a Mermaid flowchart, the part of the request path
// the findings touch: the hops a finding points at (its declaration, its
// proxy line, or the line of one of its settings), the links a finding
// points at, and the hops one link away, so the picture shows what sits
// on either side. A finding that points at no hop's line (a parse error)
// touches the hops declared in its file. Touched hops are outlined. It
// returns "" when no finding touches a hop.
func pathPicture(g *topology.Graph, fs []rules.Finding) string {
	type at struct {
		file string
		line int
	}
	byLine := map[at][]*topology.Hop{}
	add := func(h *topology.Hop, rg parsers.Range) {
		if rg.File != "" && rg.Start.Line > 0 {
			byLine[at{rg.File, rg.Start.Line}] = append(byLine[at{rg.File, rg.Start.Line}], h)
		}
	}
	byFile := map[string][]*topology.Hop{}
	for _, h := range g.Hops {
		byFile[h.Range.File] = append(byFile[h.Range.File], h)
		for _, rg := range []parsers.Range{h.Range, h.Proxy, h.KeepAlive.Range, h.BodyLimit.Range, h.ReadTimeout.Range, h.PoolIdle.Range, h.UpstreamTimeout.Range} {
			add(h, rg)
		}
	}
	for _, e := range g.Edges {
		add(e.From, e.Range)
		add(e.To, e.Range)
	}
	// Each line and each file marks its hops once, however many findings
	// point at it: 20,000 servers on one line with a finding each must
	// not mark 20,000 hops 20,000 times.
	touched := map[*topology.Hop]bool{}
	lineDone, fileDone := map[at]bool{}, map[string]bool{}
	for _, f := range fs {
		hit := false
		for _, rg := range f.Locations() {
			k := at{rg.File, rg.Start.Line}
			if lineDone[k] {
				hit = hit || len(byLine[k]) > 0
				continue
			}
			lineDone[k] = true
			for _, h := range byLine[k] {
				touched[h], hit = true, true
			}
		}
		if !hit && !fileDone[f.Range.File] {
			fileDone[f.Range.File] = true
			for _, h := range byFile[f.Range.File] {
				touched[h] = true
			}
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
		c.Name = pictureName(h.Name)
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

// pictureName is a hop's name as the picture shows it: control characters
// escaped (topology's Mermaid renderer escapes label syntax) and cut to
// maxPictureName characters.
func pictureName(name string) string {
	r := []rune(report.Visible(name))
	if len(r) <= maxPictureName {
		return string(r)
	}
	return string(r[:maxPictureName]) + fmt.Sprintf("… (%d more characters)", len(r)-maxPictureName)
}
