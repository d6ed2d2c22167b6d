package render

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/api/types"
)

// hoplint never goes to the network, and kustomize's file loader cannot be
// told so. krusty.Kustomizer.Run builds its own loader (api/internal/loader
// FileLoader) with an http.Client and a git cloner that run git (and ssh)
// for any entry shaped like a repository, and the build target that takes a
// loader (api/internal/target) is internal too: the only dependency a
// caller gives kustomize is the filesystem. So the network is closed at the
// two places that are reachable from outside:
//
//   - the loader's HTTP client is a bare &http.Client{}, which sends
//     through http.DefaultTransport: that transport refuses every request,
//     for every field kustomize has or will have, and for any file a
//     transformer's own configuration names (see init below);
//   - git runs only from loader.New, which kustomize calls only for the
//     entries of resources, bases, components, generators, transformers and
//     validators (kusttarget.go in kustomize api v0.21.2). The filesystem
//     hands kustomize every kustomization file decoded exactly as kustomize
//     decodes it (types.Kustomization.Unmarshal, so YAML aliases, merge keys
//     and !!binary resolve the same way) with every entry that would be
//     fetched or cloned taken out (neutralize), and parseKustomization
//     reports each one on the line that names it. Taking the entry out,
//     rather than letting the request fail, keeps the rest of the
//     kustomization built and linted.
//
// A kustomize upgrade must check that loader.New has no new caller.

// errNoNetwork is what every HTTP request made in hoplint's process gets.
var errNoNetwork = errors.New("hoplint never goes to the network")

func init() {
	// hoplint has no use for HTTP; replacing the default transport closes
	// it for kustomize's loader (and any library that uses a default
	// client) before any of them can run. It stays an *http.Transport,
	// which some libraries assert (k8s.io/apimachinery copies its
	// defaults), but one whose every dial fails before a socket is made,
	// with no proxy to dial instead.
	refuse := func(context.Context, string, string) (net.Conn, error) { return nil, errNoNetwork }
	http.DefaultTransport = &http.Transport{DialContext: refuse, DialTLSContext: refuse}
}

// fetchedURL finds the URL in the error of a request the transport refused.
var fetchedURL = lazyRegexp(`Get "([^"]+)"`)

// isURL is what kustomize's loader fetches with HTTP (its IsRemoteFile):
// an http or https URL, in any field that names a file.
func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https")
}

// userAt is an scp-style user ("git@"), as kustomize reads one.
var userAt = lazyRegexp(`^[a-zA-Z][a-zA-Z0-9-]*@`)

// isRepo reports whether kustomize may take s, an entry of a field that
// names a base, for a git repository to clone. It accepts everything
// kustomize's git.NewRepoSpecFromURL accepts, and a little more: any
// scheme (kustomize clones ssh, https, http and file URLs and refuses the
// rest, which are not local paths either), a github.com path, and an
// scp-style user@host:path whose path kustomize could split into a
// repository. "ops@patch.yaml" and "team@2024/app" stay local paths.
func isRepo(s string) bool {
	if filepath.IsAbs(s) {
		return false
	}
	s, _, _ = strings.Cut(s, "?")
	l := strings.ToLower(s)
	l = strings.TrimPrefix(l, "git::")
	if i := strings.Index(l, "://"); i > 0 && !strings.ContainsAny(l[:i], "/.") {
		return true
	}
	if strings.HasPrefix(l, "github.com/") || strings.HasPrefix(l, "github.com:") {
		return true
	}
	m := userAt().FindString(l)
	if m == "" {
		return false
	}
	rest := l[len(m):]
	i := strings.IndexAny(rest, "/:")
	if i < 0 {
		return false
	}
	path := rest[i+1:]
	return strings.Contains(path, "//") || strings.Contains(path, "_git/") || strings.Contains(path, ".git") ||
		strings.Count(path, "/") >= 1
}

// remoteBase is isRepo or isURL: what kustomize fetches for an entry of
// resources, bases, components, generators, transformers or validators.
func remoteBase(s string) bool { return isURL(s) || isRepo(s) }

// dropped is one entry neutralize took out: the kustomization field it
// was in and its value.
type dropped struct {
	field, value string
}

// neutralize is what kustomize reads instead of a kustomization file: the
// file decoded as kustomize decodes it, without the entries it would fetch
// from the network or clone with git, and without Helm (hoplint does not
// inflate charts through kustomize; each is reported on its own line). It
// returns the data unchanged when there is nothing to take out, or when
// kustomize cannot decode it (kustomize then reports the error itself).
func neutralize(data []byte) ([]byte, []dropped) {
	var k types.Kustomization
	if err := k.Unmarshal(data); err != nil {
		return data, nil
	}
	var out []dropped
	changed := false
	list := func(field string, in []string, remote func(string) bool) []string {
		kept := in[:0:0]
		for _, s := range in {
			if remote(s) {
				out = append(out, dropped{field, s})
				continue
			}
			kept = append(kept, s)
		}
		if len(kept) != len(in) {
			changed = true
		}
		if len(kept) == 0 {
			return nil
		}
		return kept
	}
	k.Resources = list("resources", k.Resources, remoteBase)
	k.Bases = list("bases", k.Bases, remoteBase) //nolint:staticcheck // deprecated, still read by kustomize
	k.Components = list("components", k.Components, remoteBase)
	k.Generators = list("generators", k.Generators, remoteBase)
	k.Transformers = list("transformers", k.Transformers, remoteBase)
	k.Validators = list("validators", k.Validators, remoteBase)
	k.Crds = list("crds", k.Crds, isURL)
	k.Configurations = list("configurations", k.Configurations, isURL)
	var psm []types.PatchStrategicMerge
	for _, p := range k.PatchesStrategicMerge { //nolint:staticcheck // deprecated, still read by kustomize
		if isURL(string(p)) {
			out = append(out, dropped{"patchesStrategicMerge", string(p)})
			changed = true
			continue
		}
		psm = append(psm, p)
	}
	k.PatchesStrategicMerge = psm //nolint:staticcheck // deprecated, still read by kustomize
	patches := func(field string, in []types.Patch) []types.Patch {
		var kept []types.Patch
		for _, p := range in {
			if isURL(p.Path) {
				out = append(out, dropped{field, p.Path})
				changed = true
				continue
			}
			kept = append(kept, p)
		}
		return kept
	}
	k.Patches = patches("patches", k.Patches)
	k.PatchesJson6902 = patches("patchesJson6902", k.PatchesJson6902) //nolint:staticcheck // deprecated, still read by kustomize
	var repl []types.ReplacementField
	for _, r := range k.Replacements {
		if isURL(r.Path) {
			out = append(out, dropped{"replacements", r.Path})
			changed = true
			continue
		}
		repl = append(repl, r)
	}
	k.Replacements = repl
	if p, ok := k.OpenAPI["path"]; ok && isURL(p) {
		out = append(out, dropped{"openapi", p})
		delete(k.OpenAPI, "path")
		changed = true
	}
	sources := func(field string, s *types.KvPairSources) {
		var files []string
		for _, f := range s.FileSources {
			_, file, ok := strings.Cut(f, "=")
			if !ok {
				file = f
			}
			if isURL(file) {
				out = append(out, dropped{field, file})
				changed = true
				continue
			}
			files = append(files, f)
		}
		s.FileSources = files
		s.EnvSources = list(field, s.EnvSources, isURL)
		if isURL(s.EnvSource) {
			out = append(out, dropped{field, s.EnvSource})
			s.EnvSource = ""
			changed = true
		}
	}
	for i := range k.ConfigMapGenerator {
		sources("configMapGenerator", &k.ConfigMapGenerator[i].KvPairSources)
	}
	for i := range k.SecretGenerator {
		sources("secretGenerator", &k.SecretGenerator[i].KvPairSources)
	}
	if k.HelmCharts != nil || k.HelmGlobals != nil || k.HelmChartInflationGenerator != nil {
		k.HelmCharts, k.HelmGlobals, k.HelmChartInflationGenerator = nil, nil, nil
		changed = true
	}
	if !changed {
		return data, nil
	}
	// JSON is YAML, and kustomize decodes a kustomization through JSON
	// into the same struct, so nothing else changes on the way.
	b, err := json.Marshal(&k)
	if err != nil {
		// Never hand kustomize the entries it would fetch: an empty
		// kustomization fails to build, visibly.
		return []byte("{}"), out
	}
	return b, out
}
