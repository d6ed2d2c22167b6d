package topology

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hoplint/hoplint/internal/textsafe"
)

// Renderers print a graph for `hoplint graph`: the way a user checks that
// hoplint understood their system.
var Renderers = map[string]func(io.Writer, *Graph) error{
	"text":    RenderText,
	"mermaid": RenderMermaid,
	"json":    RenderJSON,
}

// details holds, by hop kind, what a source adds to a hop's entry in
// `hoplint graph` besides its settings (RegisterDetails).
var details = map[HopKind]func(*Hop) [][2]string{}

// RegisterDetails installs what `hoplint graph` prints about the hops of
// one kind besides their settings, listens, targets and notes: label and
// value pairs ("serves", "/api/upload"). A source package calls it from
// init, next to RegisterLoader.
func RegisterDetails(kind HopKind, describe func(*Hop) [][2]string) { details[kind] = describe }

// hopDetails is what the source of h registered for its kind, if anything.
func hopDetails(h *Hop) [][2]string {
	if d := details[h.Kind]; d != nil {
		return d(h)
	}
	return nil
}

type settingView struct {
	Label string `json:"setting"`
	Name  string `json:"name"`
	Value string `json:"value"`
	Prov  string `json:"provenance"`
	Where string `json:"where,omitempty"`
	From  string `json:"default,omitempty"`
	Note  string `json:"note,omitempty"`
}

func durView(label string, s Duration) *settingView {
	if !s.Known() {
		return nil
	}
	return view(label, s.Name, FormatDuration(s.Value), s.Prov, s.Range.String(), s.Default, s.Note)
}

func sizeView(label string, s Size) *settingView {
	if !s.Known() {
		return nil
	}
	return view(label, s.Name, FormatSize(s.Value), s.Prov, s.Range.String(), s.Default, s.Note)
}

func view(label, name, value string, p Provenance, where string, d *DefaultSource, note string) *settingView {
	v := &settingView{Label: label, Name: name, Value: value, Prov: p.String(), Where: where, Note: note}
	if p == Default {
		v.From = d.String()
	}
	return v
}

// settings lists a hop's known settings in a fixed order.
func settings(h *Hop) []*settingView {
	var out []*settingView
	for _, v := range []*settingView{
		durView("keep-alive", h.KeepAlive),
		durView("stream heartbeat", h.Heartbeat),
		sizeView("body limit", h.BodyLimit),
		durView("client read timeout", h.ReadTimeout),
		durView("pool idle", h.PoolIdle),
		durView("upstream timeout", h.UpstreamTimeout),
	} {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

// vis is textsafe.Visible: every string printed by the text renderer comes
// from config values or file names, which may hold newlines and escape
// sequences (a server_name that starts a "::error" workflow command on a
// line of its own in a CI log), so each is escaped as the lint formats do.
var vis = textsafe.Visible

// RenderText prints hops with their settings, then links with their reasons.
func RenderText(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d hops, %d links in %d files\n", len(g.Hops), len(g.Edges), FileCount(g))
	inner := podInner(g)
	for _, h := range g.Hops {
		if inner.under[h] != nil {
			continue // printed under the container that runs it
		}
		writeHop(bw, h, "")
		for _, in := range inner.parts[h] {
			if inner.under[in] == h {
				writeHop(bw, in, "    ")
			} else {
				fmt.Fprintf(bw, "\n    runs %s (shown under %s)\n", vis(in.Name), vis(inner.under[in].Name))
			}
		}
	}
	if len(g.Edges) > 0 {
		fmt.Fprintf(bw, "\nlinks:\n")
	}
	for _, e := range g.Edges {
		fmt.Fprintf(bw, "  %s → %s\n    %s: %s\n", vis(e.From.Name), vis(e.To.Name), e.Confidence, vis(e.Why))
	}
	return bw.Flush()
}

// writeHop prints one hop and its settings, indented.
func writeHop(bw *bufio.Writer, h *Hop, indent string) {
	fmt.Fprintf(bw, "\n%s%s  [%s]\n%s  id %s\n%s  at %s\n", indent, vis(h.Name), h.Kind, indent, vis(h.ID), indent, vis(h.Range.String()))
	for _, s := range settings(h) {
		where := s.Where
		if s.Prov == "default" {
			where = s.From
		}
		fmt.Fprintf(bw, "%s  %-20s %-10s %s (%s)\n", indent, s.Label, vis(s.Value), vis(s.Name), vis(where))
	}
	for _, l := range h.Listen {
		where := ""
		switch {
		case l.Private:
			where = " (its own network only)"
		case l.Host != "":
			where = " on " + vis(l.Host)
		}
		fmt.Fprintf(bw, "%s  listens on           :%d%s\n", indent, l.Port, where)
	}
	for _, t := range h.Targets {
		fmt.Fprintf(bw, "%s  forwards to          %s\n", indent, vis(t.URL))
	}
	for _, d := range hopDetails(h) {
		fmt.Fprintf(bw, "%s  %-20s %s\n", indent, d[0], vis(d[1]))
	}
	for _, n := range h.Notes {
		fmt.Fprintf(bw, "%s  note: %s\n", indent, vis(n))
	}
}

// RenderMermaid prints a Mermaid flowchart, readable on GitHub as is.
func RenderMermaid(w io.Writer, g *Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "flowchart LR")
	ids := map[*Hop]string{}
	for i, h := range g.Hops {
		ids[h] = fmt.Sprintf("h%d", i)
		label := mermaidEscape(h.Name)
		for _, s := range settings(h) {
			label += "<br/>" + s.Label + " " + mermaidEscape(s.Value)
		}
		fmt.Fprintf(bw, "  %s[\"%s\"]\n", ids[h], label)
	}
	// The servers and locations a container runs are drawn inside it.
	inner := podInner(g)
	for i, h := range g.Hops {
		var in []string
		for _, p := range inner.parts[h] {
			if inner.under[p] == h {
				in = append(in, ids[p])
			}
		}
		if len(in) > 0 {
			fmt.Fprintf(bw, "  subgraph pod%d[\"%s\"]\n    %s\n  end\n", i, mermaidEscape(h.Name), strings.Join(append([]string{ids[h]}, in...), "\n    "))
		}
	}
	for _, e := range g.Edges {
		arrow := "-->"
		if e.Confidence == Assumed {
			arrow = "-.->"
		}
		fmt.Fprintf(bw, "  %s %s|%s| %s\n", ids[e.From], arrow, e.Confidence, ids[e.To])
	}
	return bw.Flush()
}

// mermaidEscape makes a config value plain text inside a quoted Mermaid
// label: control characters escaped (a newline would end the statement),
// and every character Mermaid or the Markdown around it acts on written as
// a Mermaid entity code: the quote that ends the label, '#' that starts an
// entity, '<' '>' '&' that make HTML (labels render tags), the backtick of
// Markdown strings and of the summary's code fence, and the square
// brackets of node shapes.
func mermaidEscape(s string) string {
	return mermaidReplacer.Replace(vis(s))
}

var mermaidReplacer = strings.NewReplacer(
	"#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "&", "#amp;", "`", "#96;",
	"[", "#91;", "]", "#93;",
)

// RenderJSON prints the graph as JSON for tools.
func RenderJSON(w io.Writer, g *Graph) error {
	type jhop struct {
		ID       string         `json:"id"`
		Kind     HopKind        `json:"kind"`
		Name     string         `json:"name"`
		Location string         `json:"location"`
		Settings []*settingView `json:"settings"`
		Listen   []int          `json:"listen,omitempty"`
		Targets  []string       `json:"targets,omitempty"`
		Notes    []string       `json:"notes,omitempty"`
		Route    []string       `json:"route,omitempty"`
	}
	type jedge struct {
		From       string `json:"from"`
		To         string `json:"to"`
		Why        string `json:"why"`
		Confidence string `json:"confidence"`
	}
	out := struct {
		Hops  []jhop  `json:"hops"`
		Links []jedge `json:"links"`
	}{Hops: []jhop{}, Links: []jedge{}}
	for _, h := range g.Hops {
		j := jhop{ID: h.ID, Kind: h.Kind, Name: h.Name, Location: h.Range.String(), Settings: settings(h), Notes: h.Notes}
		if j.Settings == nil {
			j.Settings = []*settingView{}
		}
		for _, l := range h.Listen {
			j.Listen = append(j.Listen, l.Port)
		}
		for _, t := range h.Targets {
			j.Targets = append(j.Targets, t.URL)
		}
		for _, d := range hopDetails(h) {
			j.Route = append(j.Route, d[0]+" "+d[1])
		}
		out.Hops = append(out.Hops, j)
	}
	for _, e := range g.Edges {
		out.Links = append(out.Links, jedge{From: e.From.ID, To: e.To.ID, Why: e.Why, Confidence: e.Confidence.String()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
