package compose

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
	"github.com/hoplint/hoplint/topology/appserver"
)

// traefikStatic is Traefik's static configuration as hoplint could read
// it. Traefik takes it from exactly one source (docs/facts/traefik.md): a
// configuration file when it finds one, else the command-line arguments,
// else TRAEFIK_* environment variables; every option no source sets keeps
// its default.
type traefikStatic struct {
	// from words the source for messages: "the command line of compose
	// service proxy", "traefik.yml".
	from string
	// known is false when the source exists but hoplint cannot read it
	// (a TOML file, a file outside the tree): every option is then
	// assumed at its default, and note says so.
	known bool
	note  string
	// values by option, lowercased and dotted as the flags write them
	// ("serverstransport.forwardingtimeouts.idleconntimeout").
	values map[string]staticValue
	// file is the configuration file read, for reports to quote.
	file *parsers.File
}

type staticValue struct {
	value string
	// written is the option as the source writes it, for messages
	// ("--serversTransport.forwardingTimeouts.idleConnTimeout").
	written string
	rng     parsers.Range
	unknown bool
}

// traefikConfigFiles are where Traefik looks for its configuration file
// in a container (its working directory is /).
var traefikConfigFiles = []string{"/etc/traefik/traefik.yml", "/etc/traefik/traefik.yaml", "/etc/traefik/traefik.toml", "/traefik.yml", "/traefik.yaml", "/traefik.toml"}

// readTraefikStatic finds and reads the static configuration of a
// service running Traefik.
func readTraefikStatic(pr *project, sv *service, env *topology.Env) *traefikStatic {
	words := appserver.Words(sv.ct.Command)
	flags := traefikFlags(words, "the command line of compose service "+sv.s.Name)
	candidates := traefikConfigFiles
	if cf, ok := flags.values["configfile"]; ok {
		if cf.unknown {
			return &traefikStatic{from: "the file --configFile names", note: "Traefik reads its static configuration from a file whose name hoplint cannot tell"}
		}
		candidates = []string{path.Clean(cf.value)}
	}
	for _, c := range candidates {
		if st := traefikFile(pr, sv, c, env); st != nil {
			return st
		}
	}
	if len(flags.values) > 0 {
		return flags
	}
	vars := &traefikStatic{from: "the TRAEFIK_* environment variables of compose service " + sv.s.Name, known: true, values: map[string]staticValue{}}
	for k, v := range sv.env {
		if rest, ok := strings.CutPrefix(k, "TRAEFIK_"); ok {
			key := strings.ToLower(strings.ReplaceAll(rest, "_", "."))
			vars.values[key] = staticValue{value: v.Value, written: k, rng: v.Range, unknown: v.Unknown}
		}
	}
	for k, v := range sv.s.Environment {
		if rest, ok := strings.CutPrefix(k, "TRAEFIK_"); ok && !v.Known {
			// A value from a variable with no value: set, but unknown.
			key := strings.ToLower(strings.ReplaceAll(rest, "_", "."))
			vars.values[key] = staticValue{written: k, rng: v.Range, unknown: true}
		}
	}
	if len(vars.values) > 0 {
		return vars
	}
	if sv.stage != nil {
		// A built image may carry its own traefik.yml, which hoplint
		// cannot see unless the tree's COPY puts it there.
		return &traefikStatic{from: "the image compose service " + sv.s.Name + " builds", note: "the image it builds may carry a static configuration hoplint does not see"}
	}
	return &traefikStatic{from: "Traefik's defaults", known: true, values: map[string]staticValue{}}
}

// traefikFlags reads the options of a Traefik command line:
// "--providers.docker", "--entrypoints.web.address=:80",
// "--configFile foo.yml".
func traefikFlags(words []appserver.Word, from string) *traefikStatic {
	st := &traefikStatic{from: from, known: true, values: map[string]staticValue{}}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w.Text, "-") {
			continue
		}
		text := w.Text
		if raw := strings.TrimSpace(w.From.Value); raw != text && strings.HasPrefix(raw, text) && strings.HasPrefix(raw, "-") {
			// A list item that is one argument of Traefik's, spaces
			// and all (--providers.docker.constraints=Label(`a`, `b`)
			// && …): the whole item, not its shell words.
			text = raw
			for i+1 < len(words) && words[i+1].From == w.From {
				i++
			}
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(text, "-"), "=")
		if !hasValue {
			value = "true"
			if i+1 < len(words) && !strings.HasPrefix(words[i+1].Text, "-") {
				i++
				value = words[i].Text
			}
		}
		st.values[strings.ToLower(name)] = staticValue{value: value, written: "--" + name, rng: w.From.Range, unknown: w.From.Unknown}
	}
	return st
}

// traefikFile reads the static configuration file at container path p,
// when the service bind-mounts it (or the directory holding it).
func traefikFile(pr *project, sv *service, p string, env *topology.Env) *traefikStatic {
	for _, m := range sv.s.Volumes {
		if m.Type != "bind" {
			continue
		}
		target := path.Clean(m.Target)
		var abs string
		switch {
		case target == p:
		case underDir(p, target):
		default:
			continue
		}
		name := path.Base(p)
		switch {
		case m.Outside:
			return &traefikStatic{from: name, note: fmt.Sprintf("Traefik's static configuration %s is mounted from outside the linted tree, which hoplint does not read", p)}
		case !m.Known || m.SourcePath == "":
			return &traefikStatic{from: name, note: fmt.Sprintf("Traefik's static configuration %s is mounted from a path hoplint cannot tell", p)}
		}
		abs = m.SourcePath
		if target != p {
			abs = filepath.Join(m.SourcePath, filepath.FromSlash(strings.TrimPrefix(p, target+"/")))
			if _, err := os.Lstat(abs); err != nil {
				continue // not in the mounted directory: Traefik looks further
			}
		}
		root := pr.p.Files[0].Root
		data, err := parsers.ReadWithin(root, abs)
		if err != nil {
			return &traefikStatic{from: name, note: fmt.Sprintf("hoplint could not read Traefik's static configuration %s (%v)", p, err)}
		}
		f := parsers.NewFile(parsers.RelPath(env.WorkDir, abs), abs, root, "", data)
		if strings.HasSuffix(p, ".toml") {
			return &traefikStatic{from: f.Path, note: "Traefik's static configuration " + f.Path + " is TOML, which hoplint does not read"}
		}
		return yamlStatic(f)
	}
	return nil
}

// yamlStatic flattens a YAML static configuration into dotted options.
func yamlStatic(f *parsers.File) *traefikStatic {
	st := &traefikStatic{from: f.Path, known: true, values: map[string]staticValue{}, file: f}
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Bytes(), &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return &traefikStatic{from: f.Path, note: "hoplint could not read Traefik's static configuration " + f.Path + " as YAML"}
	}
	var walk func(prefix, written string, n *yaml.Node, depth int)
	walk = func(prefix, written string, n *yaml.Node, depth int) {
		if depth > 32 {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key, wr := strings.ToLower(k.Value), k.Value
			if prefix != "" {
				key, wr = prefix+"."+key, written+"."+wr
			}
			r := f.At(k.Line, k.Column, v.Line, v.Column+len(v.Value))
			switch v.Kind {
			case yaml.MappingNode:
				st.values[key] = staticValue{value: "true", written: wr, rng: r}
				walk(key, wr, v, depth+1)
			case yaml.ScalarNode:
				val := v.Value
				if v.Tag == "!!null" {
					val = "true" // "docker:" alone enables the provider
				}
				st.values[key] = staticValue{value: val, written: wr, rng: r}
			}
		}
	}
	walk("", "", doc.Content[0], 0)
	return st
}

// on reports whether an option that enables a section is set: the
// option itself (not "false") or any option below it.
func (st *traefikStatic) on(key string) bool {
	for k, v := range st.values {
		if k == key && !strings.EqualFold(v.value, "false") || strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}

// traefikDuration reads a Traefik duration: Go's syntax, or digits for
// seconds; 0 means no timeout.
func traefikDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > int64(1<<62)/int64(time.Second) {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d >= 0
}

func underDir(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }
