package render

import (
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// netCase is a kustomization that names a URL (u stands for
// http://127.0.0.1:PORT) in one of the fields kustomize reads a file or a
// base from, and the line that names it.
type netCase struct {
	name string
	kust string
	line int
}

// localCM is the kustomization's own object: it must still be built when
// the remote entry is refused.
const localCM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\ndata:\n  k: v\n"

func netCases(u string) []netCase {
	host := strings.TrimPrefix(u, "http://")
	b64 := base64.StdEncoding.EncodeToString([]byte(u + "/base"))
	return []netCase{
		{"resources", "resources:\n- cm.yaml\n- " + u + "/base\n", 3},
		{"resources file", "resources:\n- cm.yaml\n- " + u + "/cm.yaml\n", 3},
		{"bases", "resources:\n- cm.yaml\nbases:\n- " + u + "/base\n", 4},
		{"components", "resources:\n- cm.yaml\ncomponents:\n- " + u + "/comp\n", 4},
		{"patches", "resources:\n- cm.yaml\npatches:\n- path: " + u + "/p.yaml\n", 4},
		{"patches with target", "resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  path: " + u + "/p.yaml\n", 6},
		{"patchesStrategicMerge", "resources:\n- cm.yaml\npatchesStrategicMerge:\n- " + u + "/p.yaml\n", 4},
		{"patchesJson6902", "resources:\n- cm.yaml\npatchesJson6902:\n- target:\n    version: v1\n    kind: ConfigMap\n    name: local\n  path: " + u + "/p.json\n", 8},
		{"configMapGenerator files", "resources:\n- cm.yaml\nconfigMapGenerator:\n- name: g\n  files:\n  - " + u + "/f.conf\n", 6},
		{"configMapGenerator keyed file", "resources:\n- cm.yaml\nconfigMapGenerator:\n- name: g\n  files:\n  - f.conf=" + u + "/f.conf\n", 6},
		{"configMapGenerator envs", "resources:\n- cm.yaml\nconfigMapGenerator:\n- name: g\n  envs:\n  - " + u + "/e.env\n", 6},
		{"secretGenerator files", "resources:\n- cm.yaml\nsecretGenerator:\n- name: s\n  files:\n  - " + u + "/f.conf\n", 6},
		{"secretGenerator env", "resources:\n- cm.yaml\nsecretGenerator:\n- name: s\n  env: " + u + "/e.env\n", 5},
		{"crds", "resources:\n- cm.yaml\ncrds:\n- " + u + "/crd.json\n", 4},
		{"configurations", "resources:\n- cm.yaml\nconfigurations:\n- " + u + "/c.yaml\n", 4},
		{"openapi", "resources:\n- cm.yaml\nopenapi:\n  path: " + u + "/s.json\n", 4},
		{"replacements", "resources:\n- cm.yaml\nreplacements:\n- path: " + u + "/r.yaml\n", 4},
		{"transformers", "resources:\n- cm.yaml\ntransformers:\n- " + u + "/t.yaml\n", 4},
		{"generators", "resources:\n- cm.yaml\ngenerators:\n- " + u + "/g.yaml\n", 4},
		{"validators", "resources:\n- cm.yaml\nvalidators:\n- " + u + "/v.yaml\n", 4},
		// The same URLs, hidden from a reader that looks only at plain
		// scalars in the field.
		{"scalar alias", "commonAnnotations:\n  src: &r " + u + "/base\nresources:\n- cm.yaml\n- *r\n", 5},
		{"mapping alias", "metadata:\n  annotations: &p\n    path: " + u + "/p.yaml\nresources:\n- cm.yaml\npatches:\n- *p\n", 7},
		{"merge key", "metadata:\n  annotations: &p\n    path: " + u + "/p.yaml\nresources:\n- cm.yaml\npatches:\n- <<: *p\n  target:\n    kind: ConfigMap\n", 7},
		{"top-level merge key", "<<: {resources: [cm.yaml, " + u + "/base]}\n", 1},
		{"binary", "resources:\n- cm.yaml\n- !!binary " + b64 + "\n", 3},
		// Git-like URLs: kustomize would run git (and git ssh).
		{"git::https", "resources:\n- cm.yaml\n- git::https://" + host + "/x.git\n", 3},
		{"ssh", "resources:\n- cm.yaml\n- ssh://git@" + host + "/x\n", 3},
		{"scp-like", "resources:\n- cm.yaml\n- git@" + host + ":owner/repo\n", 3},
		{"github", "resources:\n- cm.yaml\n- github.com/owner/repo//path?ref=v1\n", 3},
		{"file scheme", "resources:\n- cm.yaml\n- file:///tmp/hoplint-no-such/x.git\n", 3},
		{"git component", "resources:\n- cm.yaml\ncomponents:\n- git::https://" + host + "/x.git//c\n", 4},
		{"git transformer", "resources:\n- cm.yaml\ntransformers:\n- ssh://git@" + host + "/x\n", 4},
		{"git generator", "resources:\n- cm.yaml\ngenerators:\n- github.com/owner/repo//g?ref=v1\n", 4},
		{"git validator", "resources:\n- cm.yaml\nvalidators:\n- git@" + host + ":owner/repo\n", 4},
	}
}

// Configurations of transformers that name a URL themselves: kustomize
// cannot build without the file, so the build is lost, but no request
// leaves and the finding says why.
func netConfigCases(u string) []netCase {
	pt := "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: " + u + "/p.yaml\ntarget:\n  kind: ConfigMap\n"
	return []netCase{
		{"transformer file", "resources:\n- cm.yaml\ntransformers:\n- t.yaml\n", 0},
		{"inline transformer", "resources:\n- cm.yaml\ntransformers:\n- |\n" + indent(pt, "  "), 0},
		{"replacement file", "resources:\n- cm.yaml\ntransformers:\n- r.yaml\n", 0},
	}
}

func indent(s, by string) string {
	return by + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+by) + "\n"
}

// listen starts a listener on 127.0.0.1 that counts the connections it
// accepts; it returns the URL prefix and the count.
func listen(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback listener here:", err)
	}
	t.Cleanup(func() { _ = l.Close() })
	var n atomic.Int64
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			_ = c.Close()
		}
	}()
	return "http://" + l.Addr().String(), &n
}

// fakeTools puts git, ssh, git-remote-https and helm first on PATH, each
// recording in the returned directory that it ran.
func fakeTools(t *testing.T) string {
	t.Helper()
	bin, marks := t.TempDir(), t.TempDir()
	for _, name := range []string{"git", "ssh", "git-remote-https", "git-remote-http", "helm"} {
		script := fmt.Sprintf("#!/bin/sh\ntouch '%s/%s'\nexit 1\n", marks, name)
		must(t, os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755))
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return marks
}

// TestKustomizeNoNetwork: whatever field of a kustomization names a URL or
// a git repository, hoplint opens no connection and runs no program; the
// entry is reported as not fetched on the line that names it, and the
// rest of the kustomization is still built.
func TestKustomizeNoNetwork(t *testing.T) {
	u, conns := listen(t)
	marks := fakeTools(t)
	for _, c := range netCases(u) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := writeFiles(t, dir, map[string]string{"app/kustomization.yaml": c.kust, "app/cm.yaml": localCM})
			before := conns.Load()
			out, problems := Render(files, Options{WorkDir: dir})
			if n := conns.Load() - before; n > 0 {
				t.Errorf("%d connections to the listener", n)
			}
			if ran, _ := os.ReadDir(marks); len(ran) > 0 {
				for _, e := range ran {
					t.Errorf("%s was executed", e.Name())
					_ = os.Remove(filepath.Join(marks, e.Name()))
				}
			}
			var found bool
			for _, p := range problems {
				if p.Kind == parsers.ProblemUnfollowed && strings.Contains(p.Message, "is not fetched") &&
					p.Range.File == "app/kustomization.yaml" && (c.line == 0 || p.Range.Start.Line == c.line) {
					found = true
				} else if p.Kind == parsers.ProblemParse {
					t.Errorf("parse error: %s:%d %s", p.Range.File, p.Range.Start.Line, p.Message)
				}
			}
			if !found {
				t.Errorf("no 'is not fetched' finding on app/kustomization.yaml:%d; got %+v", c.line, problems)
			}
			var built bool
			for _, f := range out {
				if strings.HasSuffix(f.Path, "#build") && strings.Contains(string(f.Bytes()), "name: local") {
					built = true
				}
			}
			if !built {
				t.Errorf("the kustomization's own ConfigMap was not built")
			}
		})
	}
	pt := "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: " + u + "/p.yaml\ntarget:\n  kind: ConfigMap\n"
	rt := "apiVersion: builtin\nkind: ReplacementTransformer\nmetadata:\n  name: r\nreplacements:\n- path: " + u + "/r.yaml\n"
	for _, c := range netConfigCases(u) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := writeFiles(t, dir, map[string]string{"app/kustomization.yaml": c.kust, "app/cm.yaml": localCM, "app/t.yaml": pt, "app/r.yaml": rt})
			before := conns.Load()
			_, problems := Render(files, Options{WorkDir: dir})
			if n := conns.Load() - before; n > 0 {
				t.Errorf("%d connections to the listener", n)
			}
			if len(problems) != 1 || problems[0].Kind != parsers.ProblemUnfollowed || !strings.Contains(problems[0].Message, "hoplint never goes to the network") {
				t.Errorf("want one include-not-followed finding saying the URL was not fetched; got %+v", problems)
			}
		})
	}
}
