package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hoplint/hoplint/plan"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// cmdPlan prints, for every path, one set of timeout values that satisfies
// keepalive-order and read-timeout-order at once (rules.PlanFor): the
// values the findings' advice comes from.
func cmdPlan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	configFile := fs.String("config", "", "")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return fail(stderr, err)
	}
	if *format != "text" && *format != "json" {
		return fail(stderr, fmt.Errorf("unknown format %q for plan (want text or json)", *format))
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	cfg, err := loadConfig(*configFile, paths)
	if err != nil {
		return fail(stderr, err)
	}
	g, _, _, err := loadTree(cfg, paths)
	if err != nil {
		return fail(stderr, err)
	}
	doc := planDoc(rules.PlanFor(g).Plan)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return fail(stderr, err)
		}
		return exitClean
	}
	writePlanText(stdout, doc)
	return exitClean
}

// planJSON is the plan's machine-readable form (version 1): what a script
// needs to apply it (the file and line where each value is written or, for
// a default, the object to add it to) and what a reviewer needs to trust it.
type planJSON struct {
	Version int            `json:"version"`
	Paths   []planPathJSON `json:"paths"`
}

type planPathJSON struct {
	// Broken counts the orderings that fail today.
	Broken     int               `json:"broken"`
	Impossible string            `json:"impossible,omitempty"`
	GaveUp     bool              `json:"gaveUp,omitempty"`
	Settings   []planSettingJSON `json:"settings"`
}

type planSettingJSON struct {
	Hop     string `json:"hop"`
	Setting string `json:"setting"`
	// File and Line: where the value is written (Written) or the object
	// relying on the product default.
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Written bool   `json:"written"`
	Source  string `json:"source"`
	Current string `json:"current"`
	// CurrentSeconds and PlannedSeconds are -1 for "no limit".
	CurrentSeconds int64    `json:"currentSeconds"`
	Planned        string   `json:"planned"`
	PlannedSeconds int64    `json:"plannedSeconds"`
	Changed        bool     `json:"changed"`
	Quota          bool     `json:"quotaIncrease,omitempty"`
	Limit          string   `json:"limit,omitempty"`
	Kept           string   `json:"kept,omitempty"`
	Why            []string `json:"why,omitempty"`
}

func seconds(d time.Duration) int64 {
	if d == topology.Forever {
		return -1
	}
	return int64(d / time.Second)
}

func planDoc(p *plan.Plan) planJSON {
	doc := planJSON{Version: 1, Paths: []planPathJSON{}}
	for _, pa := range p.Paths {
		pj := planPathJSON{Broken: pa.Broken(), Impossible: pa.Impossible, GaveUp: pa.GaveUp, Settings: []planSettingJSON{}}
		for _, v := range pa.Vars {
			to, changed := pa.Planned(v)
			ch, _ := pa.ChangeOf(v)
			pj.Settings = append(pj.Settings, planSettingJSON{
				Hop: v.Hop, Setting: v.Setting, File: v.Edit.File, Line: v.Edit.Start.Line, Column: v.Edit.Start.Col,
				Written: v.Written, Source: v.Source,
				Current: topology.FormatDuration(v.Current), CurrentSeconds: seconds(v.Current),
				Planned: topology.FormatDuration(to), PlannedSeconds: seconds(to), Changed: changed,
				Quota: ch.Quota, Limit: v.Limit.Text, Kept: v.Fixed, Why: pa.Why(v),
			})
		}
		doc.Paths = append(doc.Paths, pj)
	}
	return doc
}

func writePlanText(w io.Writer, doc planJSON) {
	if len(doc.Paths) == 0 {
		fmt.Fprintln(w, "no timeout orderings to plan: hoplint found no linked hops whose timeouts it compares")
		return
	}
	for i, pa := range doc.Paths {
		if i > 0 {
			fmt.Fprintln(w)
		}
		switch {
		case pa.Broken == 0:
			fmt.Fprintf(w, "path %d: every ordering holds; nothing to change\n", i+1)
		case pa.Impossible != "":
			fmt.Fprintf(w, "path %d: %s, and no values satisfy them all: %s\n", i+1, broken(pa.Broken), pa.Impossible)
		case pa.GaveUp:
			fmt.Fprintf(w, "path %d: %s; no plan found within the search budget (it would change more than 4 settings): follow each finding's advice\n", i+1, broken(pa.Broken))
		default:
			fmt.Fprintf(w, "path %d: %s; this plan fixes it all\n", i+1, broken(pa.Broken))
		}
		for _, s := range pa.Settings {
			value := s.Current + " (kept)"
			if s.Changed {
				value = s.Current + " -> " + s.Planned
				if !s.Written {
					value = s.Current + " (default) -> set " + s.Planned
				}
			}
			fmt.Fprintf(w, "  %s %s: %s\n", s.Hop, s.Setting, value)
			if pa.Broken == 0 {
				continue
			}
			if at := fmt.Sprintf("%s:%d", s.File, s.Line); at == s.Source {
				fmt.Fprintf(w, "      at %s\n", at)
			} else {
				fmt.Fprintf(w, "      at %s (%s)\n", at, s.Source)
			}
			if s.Quota {
				fmt.Fprintf(w, "      needs a quota increase: %s\n", s.Limit)
			}
			if s.Kept != "" && !s.Changed {
				fmt.Fprintf(w, "      kept: %s\n", s.Kept)
			}
			for _, why := range s.Why {
				fmt.Fprintf(w, "      %s\n", why)
			}
		}
	}
}

func broken(n int) string {
	if n == 1 {
		return "1 ordering broken"
	}
	return fmt.Sprintf("%d orderings broken", n)
}
