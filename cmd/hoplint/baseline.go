package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// A baseline records the findings a repository had when it adopted
// hoplint, by fingerprint, so that --baseline reports only new ones.
// Fingerprints hash content, not positions (rules/engine.go): lines
// inserted above a finding keep it known; a change to its values makes it
// new. Since version 2 they name files relative to the repository root and
// leave messages out, so that a baseline written at the root holds in a
// subdirectory; a version 1 baseline is matched with the fingerprints of
// version 1 (rules.LegacyFingerprints) until it is written again.
type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

// baselineEntry keeps the rule, file and message beside the fingerprint so
// that a reviewer can read what was accepted; only the fingerprint matches.
type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Message     string `json:"message"`
}

const baselineVersion = 2

func cmdBaseline(args []string, stdout, stderr io.Writer) int {
	var o lintOptions
	paths, err := parseInterleaved(lintFlags("baseline", &o), args)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout)
		return exitClean
	}
	if err != nil {
		return fail(stderr, err)
	}
	if o.baseline != "" || o.newFromRev != "" || len(o.formats) > 0 {
		return fail(stderr, fmt.Errorf("baseline writes every current finding as JSON; --baseline, --new-from-rev and --format do not apply"))
	}
	res, err := lint(&o, paths)
	if err != nil {
		return fail(stderr, err)
	}
	out := baselineFile{Version: baselineVersion, Tool: "hoplint", Findings: []baselineEntry{}}
	for _, f := range res.findings {
		out.Findings = append(out.Findings, baselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, File: f.Range.File, Message: f.Message})
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stderr, "hoplint: %d findings recorded\n", len(out.Findings))
	return exitClean
}

// baseline is a baseline file's fingerprints and the version that made
// them.
type baseline struct {
	fps     map[string]bool
	version int
}

// readBaseline reads a file written by hoplint baseline. Anything else is
// an error rather than an empty baseline: a wrong path must not hide
// nothing and pass for adoption, nor hide everything.
func readBaseline(path string) (*baseline, error) {
	data, err := readSmallFile(path, 64<<20)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	var b baselineFile
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("--baseline %s: not a hoplint baseline: %w", path, err)
	}
	if (b.Version != 1 && b.Version != baselineVersion) || b.Tool != "hoplint" {
		return nil, fmt.Errorf("--baseline %s: not a version 1 or %d hoplint baseline (write one with: hoplint baseline > %s)", path, baselineVersion, path)
	}
	out := &baseline{fps: map[string]bool{}, version: b.Version}
	for _, e := range b.Findings {
		out.fps[e.Fingerprint] = true
	}
	return out, nil
}

// filter drops findings in the baseline and counts those kept out and the
// baselined fingerprints that no longer occur. fs are the findings as
// rules.Run returned them, from g: a version 1 baseline is matched with
// version 1 fingerprints, which depend on their order.
func (b *baseline) filter(g *topology.Graph, fs []rules.Finding) (kept []rules.Finding, hidden, gone int) {
	fps := make([]string, len(fs))
	for i, f := range fs {
		fps[i] = f.Fingerprint
	}
	if b.version == 1 {
		fps = rules.LegacyFingerprints(g, fs)
	}
	seen := map[string]bool{}
	for i, f := range fs {
		if b.fps[fps[i]] {
			seen[fps[i]] = true
			hidden++
			continue
		}
		kept = append(kept, f)
	}
	return kept, hidden, len(b.fps) - len(seen)
}

// readSmallFile reads a regular file of at most limit bytes. It looks
// before it opens: opening a FIFO waits for a writer that may never come,
// and a device may never end. The file is opened without waiting and
// checked again, in case it was swapped between the two.
func readSmallFile(path string, limit int64) ([]byte, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes, over the limit of %d", path, st.Size(), limit)
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

func notRegular(path string, m os.FileMode) error {
	what := "not a regular file"
	switch {
	case m&os.ModeNamedPipe != 0:
		what = "a FIFO, not a regular file"
	case m&os.ModeDevice != 0:
		what = "a device, not a regular file"
	case m.IsDir():
		what = "a directory, not a regular file"
	}
	return fmt.Errorf("%s is %s", path, what)
}
