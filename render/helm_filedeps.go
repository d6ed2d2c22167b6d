package render

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// Dependencies from a directory of the same repository (repository:
// file://../../ui/chart), the shape of an umbrella chart that deploys the
// repository's own charts together. `helm dependency build` copies such a
// chart into charts/ as it is on disk, nothing fetched; hoplint reads it
// from where it is, as if it had been copied, when it is inside the linted
// root and its version satisfies the dependency's constraint (else helm
// dependency build refuses it, and the dependency stays missing, as
// before). A chart that another linted chart takes this way is rendered
// with that chart, not on its own, as a chart inside charts/ is.

// fileDep is a file:// dependency found: Helm is given its files under
// prefix ("charts/NAME/"), read from dir, and names its templates under
// the prefixes of its aliases too ("charts/ALIAS/templates/x.yaml").
type fileDep struct {
	prefix, dir string
	aliases     []string
}

// chartTree says where a chart's files are: its directory, the
// directories of the file:// dependencies it takes (deps, whose files are
// added to the chart's), and the subcharts vendored in charts/ under an
// alias (vendored, whose files are the chart's already: only their
// template names need mapping).
type chartTree struct {
	dir            string
	deps, vendored []fileDep
}

// newChartTree reads the dependencies of the chart whose Chart.yaml is cf
// (parsed once, from the bytes already read).
func newChartTree(cf *parsers.File) chartTree {
	t := chartTree{dir: filepath.Dir(cf.Abs)}
	meta, ok := parseChartMeta(cf.Bytes())
	if !ok {
		return t
	}
	t.deps = fileDeps(cf.Root, t.dir, meta)
	t.vendored = vendoredAliases(cf.Root, t.dir, meta)
	return t
}

// abs is the file on disk of a chart-relative path ("templates/x.yaml",
// "charts/ui/templates/y.yaml").
func (t chartTree) abs(rel string) string {
	for _, d := range append(append([]fileDep(nil), t.deps...), t.vendored...) {
		for _, p := range append([]string{d.prefix}, d.aliases...) {
			if rest, ok := strings.CutPrefix(rel, p); ok {
				return filepath.Join(d.dir, filepath.FromSlash(rest))
			}
		}
	}
	return filepath.Join(t.dir, filepath.FromSlash(rel))
}

// chartDep is one entry of Chart.yaml's dependencies.
type chartDep struct {
	Name       string `yaml:"name"`
	Alias      string `yaml:"alias"`
	Version    string `yaml:"version"`
	Repository string `yaml:"repository"`
}

type chartMeta struct {
	Name         string     `yaml:"name"`
	Version      string     `yaml:"version"`
	Dependencies []chartDep `yaml:"dependencies"`
}

func parseChartMeta(data []byte) (chartMeta, bool) {
	var m chartMeta
	if yaml.Unmarshal(data, &m) != nil {
		return chartMeta{}, false
	}
	return m, true
}

// readChartMeta reads the Chart.yaml of another chart directory, inside
// root.
func readChartMeta(root, dir string) (chartMeta, bool) {
	data, err := parsers.ReadWithin(root, filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return chartMeta{}, false
	}
	return parseChartMeta(data)
}

// fileDeps lists the file:// dependencies of the chart in dir (meta is
// its Chart.yaml) that hoplint reads from their directories: inside root,
// a chart there, its version allowed by the constraint, and no copy
// already in charts/ (which Helm would use).
func fileDeps(root, dir string, meta chartMeta) []fileDep {
	var out []fileDep
	seen := map[string]int{} // name → index in out
	for _, d := range meta.Dependencies {
		p, ok := strings.CutPrefix(d.Repository, "file://")
		if !ok || !pathName(d.Name) || d.Alias != "" && !pathName(d.Alias) {
			continue
		}
		if i, ok := seen[d.Name]; ok {
			// The same chart again under another alias: one copy in
			// charts/, Helm makes an instance per alias.
			if d.Alias != "" {
				out[i].aliases = append(out[i].aliases, path.Join("charts", d.Alias)+"/")
			}
			continue
		}
		abs := filepath.Clean(filepath.Join(dir, filepath.FromSlash(p)))
		if filepath.IsAbs(filepath.FromSlash(p)) {
			abs = filepath.Clean(filepath.FromSlash(p))
		}
		if abs == dir || !parsers.Within(root, abs) || vendored(dir, d.Name) {
			continue
		}
		dm, ok := readChartMeta(root, abs)
		if !ok || !versionAllowed(d.Version, dm.Version) {
			continue
		}
		seen[d.Name] = len(out)
		fd := fileDep{prefix: path.Join("charts", d.Name) + "/", dir: abs}
		if d.Alias != "" {
			fd.aliases = []string{path.Join("charts", d.Alias) + "/"}
		}
		out = append(out, fd)
	}
	return out
}

// vendored reports whether charts/ already holds dependency name, as a
// directory or an archive (NAME-VERSION.tgz).
func vendored(dir, name string) bool {
	entries, err := os.ReadDir(filepath.Join(dir, "charts"))
	if err != nil {
		return false
	}
	for _, e := range entries {
		n := e.Name()
		if n == name || strings.HasPrefix(n, name+"-") && strings.HasSuffix(n, ".tgz") {
			return true
		}
	}
	return false
}

// versionAllowed: the chart's version satisfies the dependency's
// constraint, as helm dependency build requires of a file:// chart (it
// refuses an empty or malformed constraint, and skips a chart whose
// version is not semver).
func versionAllowed(constraint, version string) bool {
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return false
	}
	v, err := semver.NewVersion(version)
	return err == nil && c.Check(v)
}

// pathName: a dependency name or alias that is one path element.
func pathName(n string) bool {
	return n != "" && n != "." && n != ".." && !strings.ContainsAny(n, `/\`)
}

// vendoredAliases are the mapping entries for dependencies vendored as
// directories in charts/ under an alias: Helm names their templates
// "charts/ALIAS/…" while the files are in charts/DIR (DIR is usually the
// chart's name), so without the entry a finding in one fell back to the
// parent's Chart.yaml. Their files are already the parent's; these entries
// only map names back to them.
func vendoredAliases(root, dir string, meta chartMeta) []fileDep {
	aliases := map[string][]string{} // chart name → alias prefixes
	for _, d := range meta.Dependencies {
		if d.Alias != "" && pathName(d.Alias) && d.Alias != d.Name {
			aliases[d.Name] = append(aliases[d.Name], path.Join("charts", d.Alias)+"/")
		}
	}
	if len(aliases) == 0 {
		return nil
	}
	entries, err := os.ReadDir(filepath.Join(dir, "charts"))
	if err != nil {
		return nil
	}
	var out []fileDep
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := filepath.Join(dir, "charts", e.Name())
		m, ok := readChartMeta(root, sub)
		if !ok || m.Name == "" || aliases[m.Name] == nil {
			continue
		}
		out = append(out, fileDep{prefix: path.Join("charts", e.Name()) + "/", dir: sub, aliases: aliases[m.Name]})
	}
	return out
}
