package compose

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// def is one definition of a service in one layer: the chain of a service
// is its definitions from lowest to highest precedence.
type def struct {
	ly   *layer
	k, v *yaml.Node
	own  bool // a definition of the service itself, not an extends: base
}

// chain returns the definitions that make up service name: included
// files first (the including project overrides them), then the project's
// files in order; each preceded by the bases it extends.
func (l *loader) chain(name string) []def {
	var out []def
	for _, pass := range []bool{false, true} {
		for _, ly := range l.layers {
			if ly.main != pass || (!ly.main && !l.includes[ly.real]) {
				continue
			}
			d, ok := ly.services[name]
			if !ok {
				continue
			}
			out = append(out, l.expand(def{ly: ly, k: d.k, v: d.v, own: true}, 0)...)
		}
	}
	return out
}

// expand returns d preceded by the chain of the service it extends.
func (l *loader) expand(d def, depth int) []def {
	_, ext := get(d.v, "extends")
	if ext == nil || depth > 16 {
		return []def{d}
	}
	var svc, file string
	switch ext.Kind {
	case yaml.ScalarNode:
		svc = ext.Value
	case yaml.MappingNode:
		if _, s := get(ext, "service"); s != nil {
			svc = s.Value
		}
		if _, f := get(ext, "file"); f != nil {
			file, _ = l.interpolate(f.Value)
		}
	}
	svc, _ = l.interpolate(svc)
	layers := l.byAbs[d.ly.real]
	if file != "" {
		abs := file
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(filepath.Dir(d.ly.real), abs)
		}
		layers = l.byAbs[parsers.RealPath(filepath.Clean(abs))]
	}
	for i := len(layers) - 1; i >= 0; i-- {
		if b, ok := layers[i].services[svc]; ok {
			if b.v == d.v {
				break // extends itself: compose-go refuses the cycle
			}
			return append(l.expand(def{ly: layers[i], k: b.k, v: b.v}, depth+1), d)
		}
	}
	return []def{d}
}

// field returns the last definition that sets the path below the service,
// with the key and value nodes of the path's last element.
func field(ch []def, path ...string) (def, *yaml.Node, *yaml.Node) {
	for i := len(ch) - 1; i >= 0; i-- {
		n := ch[i].v
		var k *yaml.Node
		for _, p := range path {
			k, n = get(n, p)
			if k == nil {
				break
			}
		}
		if k != nil {
			return ch[i], k, n
		}
	}
	return def{}, nil, nil
}

// items returns the entries of a list (or mapping) field of each
// definition, latest first.
func items(ch []def, key any, each func(d def, item, val *yaml.Node) bool) {
	path, _ := key.([]string)
	if k, ok := key.(string); ok {
		path = []string{k}
	}
	for i := len(ch) - 1; i >= 0; i-- {
		n := ch[i].v
		for _, p := range path {
			_, n = get(n, p)
		}
		if n == nil {
			continue
		}
		switch n.Kind {
		case yaml.SequenceNode:
			for _, it := range n.Content {
				if each(ch[i], deref(it), nil) {
					return
				}
			}
		case yaml.MappingNode:
			for _, p := range pairs(n) {
				if each(ch[i], p.k, p.v) {
					return
				}
			}
		}
	}
}

// knownNode reports whether every scalar under n interpolates to a known
// value.
func (l *loader) knownNode(n *yaml.Node, depth int) bool {
	n = deref(n)
	if n == nil || depth > 32 {
		return true
	}
	if n.Kind == yaml.ScalarNode {
		return l.known(n.Value)
	}
	for _, c := range n.Content {
		if !l.knownNode(c, depth+1) {
			return false
		}
	}
	return true
}

func (l *loader) build(project *types.Project) {
	p := l.p
	p.Configs = map[string]*Config{}
	for _, name := range sortedKeys(project.Configs) {
		c := project.Configs[name]
		cfg := &Config{Name: name, File: c.File, Inline: c.Content != "" || c.Environment != ""}
		if c.File != "" {
			cfg.FilePath, cfg.Outside = l.confine(c.File)
		}
		cfg.Range = l.topRange("configs", name)
		p.Configs[name] = cfg
	}
	names := sortedKeys(project.Services)
	if len(names) > maxServices {
		l.problem(parsers.ProblemSkipped, p.Files[0].LineRange(1), fmt.Sprintf("this project has %d services; hoplint reads the first %d", len(names), maxServices))
		names = names[:maxServices]
	}
	for _, name := range names {
		p.Services = append(p.Services, l.service(name, project.Services[name]))
	}
	l.reportUnknown()
}

// topRange is the range of a top-level entry (configs: NAME) in the last
// file that defines it.
func (l *loader) topRange(section, name string) parsers.Range {
	for i := len(l.layers) - 1; i >= 0; i-- {
		ly := l.layers[i]
		if _, sec := get(ly.root, section); sec != nil {
			if k, v := get(sec, name); k != nil {
				return pairRange(ly.file, k, v)
			}
		}
	}
	return parsers.Range{}
}

// confine returns abs when it lies inside the root, else "" and true.
func (l *loader) confine(abs string) (string, bool) {
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(l.dir, abs)
	}
	if l.inside(abs) {
		return filepath.Clean(abs), false
	}
	return "", true
}

func (l *loader) service(name string, s types.ServiceConfig) *Service {
	ch := l.chain(name)
	svc := &Service{Name: name, Profiles: s.Profiles, Environment: map[string]EnvVar{}, Labels: map[string]String{}}
	fallback := l.p.Files[0].LineRange(1)
	for _, d := range ch {
		if d.own {
			svc.Range = nodeRange(d.ly.file, d.k)
			fallback = svc.Range
			break
		}
	}
	str := func(value string, path ...string) String {
		d, k, v := field(ch, path...)
		if k == nil {
			return String{Value: value, Set: value != "", Known: true}
		}
		return String{Value: value, Set: true, Known: l.knownNode(v, 0), Range: pairRange(d.ly.file, k, v)}
	}
	svc.Image = str(s.Image, "image")
	svc.Command = l.command(ch, s.Command, "command")
	svc.Entrypoint = l.command(ch, s.Entrypoint, "entrypoint")
	l.environment(svc, ch, s)
	for k, v := range s.Labels {
		svc.Labels[k] = l.mapEntry(ch, "labels", k, v, fallback)
	}
	if s.Build != nil {
		svc.Build = l.buildOf(ch, s.Build, fallback)
	}
	l.ports(svc, ch, s, fallback)
	for _, e := range s.Expose {
		r := fallback
		known := true
		items(ch, "expose", func(d def, it, _ *yaml.Node) bool {
			if v, _ := l.interpolate(it.Value); v == e || strings.HasPrefix(v, e+"/") {
				r, known = nodeRange(d.ly.file, it), l.known(it.Value)
				return true
			}
			return false
		})
		svc.Expose = append(svc.Expose, String{Value: e, Set: true, Known: known, Range: r})
	}
	for _, n := range sortedKeys(s.Networks) {
		net := Network{Name: n, Range: fallback}
		if c := s.Networks[n]; c != nil {
			net.Aliases = c.Aliases
		}
		items(ch, "networks", func(d def, it, v *yaml.Node) bool {
			if it.Value == n {
				net.Range = pairRange(d.ly.file, it, v)
				return true
			}
			return false
		})
		svc.Networks = append(svc.Networks, net)
	}
	l.volumes(svc, ch, s, fallback)
	for _, c := range s.Configs {
		m := ConfigMount{Name: c.Source, Config: l.p.Configs[c.Source], Target: c.Target, Range: fallback}
		if m.Target == "" {
			m.Target = "/" + c.Source
		}
		items(ch, "configs", func(d def, it, _ *yaml.Node) bool {
			src := it.Value
			if it.Kind == yaml.MappingNode {
				if _, sv := get(it, "source"); sv != nil {
					src = sv.Value
				}
			}
			if v, _ := l.interpolate(src); v == c.Source {
				m.Range = nodeRange(d.ly.file, it)
				return true
			}
			return false
		})
		svc.Configs = append(svc.Configs, m)
	}
	if s.Deploy != nil {
		if r := s.Deploy.Resources.Limits; r != nil {
			svc.Limits = l.resources(ch, r, "limits")
		}
		if r := s.Deploy.Resources.Reservations; r != nil {
			svc.Reservations = l.resources(ch, r, "reservations")
		}
	}
	svc.MemLimit = l.bytes(ch, int64(s.MemLimit), "mem_limit")
	svc.MemReservation = l.bytes(ch, int64(s.MemReservation), "mem_reservation")
	svc.CPUs = l.cpus(ch, float64(s.CPUS), "cpus")
	if s.StopGracePeriod != nil {
		d, k, v := field(ch, "stop_grace_period")
		svc.StopGracePeriod = Duration{Value: time.Duration(*s.StopGracePeriod), Set: true, Known: true}
		if k != nil {
			svc.StopGracePeriod.Raw, _ = l.interpolate(v.Value)
			svc.StopGracePeriod.Known = l.known(v.Value)
			svc.StopGracePeriod.Range = pairRange(d.ly.file, k, v)
		}
	}
	return svc
}

func (l *loader) command(ch []def, cmd types.ShellCommand, key string) Command {
	d, k, v := field(ch, key)
	if k == nil || cmd == nil {
		return Command{Args: cmd, Known: true, Set: cmd != nil}
	}
	c := Command{Args: []string(cmd), Set: true, Form: "string", Known: l.knownNode(v, 0), Range: pairRange(d.ly.file, k, v)}
	if v.Kind == yaml.SequenceNode {
		c.Form = "list"
	}
	return c
}

// mapEntry finds the entry of a map-or-list field (environment, labels)
// that sets key: "KEY: v" or "- KEY=v".
func (l *loader) mapEntry(ch []def, field, key string, value string, fallback parsers.Range) String {
	out := l.mapEntryIn(ch, []string{field}, key, fallback)
	out.Value = value
	return out
}

// mapEntryIn is mapEntry for a field below the service (build.args).
func (l *loader) mapEntryIn(ch []def, path []string, key string, fallback parsers.Range) String {
	out := String{Set: true, Known: true, Range: fallback}
	items(ch, path, func(d def, it, v *yaml.Node) bool {
		if v != nil {
			if it.Value != key {
				return false
			}
			out.Range, out.Known = pairRange(d.ly.file, it, v), l.knownNode(v, 0)
			return true
		}
		raw := it.Value
		name, _, _ := strings.Cut(raw, "=")
		if n, _ := l.interpolate(name); n != key {
			return false
		}
		out.Range, out.Known = nodeRange(d.ly.file, it), l.known(raw)
		return true
	})
	return out
}

// environment fills the service's variables: env_file values first, then
// environment: over them, as compose does.
func (l *loader) environment(svc *Service, ch []def, s types.ServiceConfig) {
	for _, ef := range s.EnvFiles {
		l.envFile(svc, ch, ef)
	}
	for k, v := range s.Environment {
		e := l.mapEntry(ch, "environment", k, "", parsers.Range{})
		if e.Range.IsZero() {
			e.Range = svc.Range
		}
		ev := EnvVar{Known: e.Known && v != nil, From: "environment", Range: e.Range}
		if v != nil {
			ev.Value = *v
		}
		svc.Environment[k] = ev
	}
}

// envFile reads one env_file: entry, inside the root.
func (l *loader) envFile(svc *Service, ch []def, ef types.EnvFile) {
	d, k, v := field(ch, "env_file")
	at := svc.Range
	if k != nil {
		at = pairRange(d.ly.file, k, v)
	}
	path := ef.Path
	if !filepath.IsAbs(path) {
		path = filepath.Join(l.dir, path)
	}
	if !l.inside(path) {
		svc.EnvIncomplete = true
		l.problem(parsers.ProblemUnfollowed, at, fmt.Sprintf("env_file %s is outside the linted root, so the variables it sets for service %s are unknown to hoplint", ef.Path, svc.Name))
		return
	}
	f, err := l.readEnv(path)
	if err != nil {
		if !bool(ef.Required) {
			return // docker compose skips a missing optional env_file too
		}
		svc.EnvIncomplete = true
		l.problem(parsers.ProblemUnfollowed, at, fmt.Sprintf("env_file %s is not in the linted files (%s), so the variables it sets are unknown to hoplint", l.display(path), err))
		return
	}
	vars := map[string]string{}
	format := ef.Format
	if err := dotenv.ParseWithFormat(bytes.NewReader(f.Bytes()), path, vars, l.lookup, format); err != nil {
		svc.EnvIncomplete = true
		l.problem(parsers.ProblemParse, f.LineRange(1), "docker compose would not read this env_file: "+err.Error())
		return
	}
	for key, val := range vars {
		svc.Environment[key] = EnvVar{Value: val, Known: true, From: f.Path, Range: envLine(f, key)}
	}
}

func (l *loader) readEnv(abs string) (*parsers.File, error) {
	real := parsers.RealPath(filepath.Clean(abs))
	for _, f := range l.p.EnvFiles {
		if parsers.RealPath(f.Abs) == real {
			return f, nil
		}
	}
	f, err := l.read(abs)
	if err != nil {
		return nil, err
	}
	if reason := envTooBig(f.Bytes()); reason != "" {
		return nil, fmt.Errorf("%s", reason)
	}
	l.p.EnvFiles = append(l.p.EnvFiles, f)
	return f, nil
}

// envLine finds the line of an env file that sets key.
func envLine(f *parsers.File, key string) parsers.Range {
	for i := 1; i <= f.NumLines(); i++ {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(f.Line(i)), "export "))
		if strings.HasPrefix(t, key) {
			rest := strings.TrimSpace(t[len(key):])
			if rest == "" || rest[0] == '=' || rest[0] == ':' {
				return f.LineRange(i)
			}
		}
	}
	return f.LineRange(1)
}

func (l *loader) buildOf(ch []def, b *types.BuildConfig, fallback parsers.Range) *Build {
	out := &Build{Context: b.Context, Dockerfile: b.Dockerfile, Inline: b.DockerfileInline != "", Known: true, Range: fallback}
	d, k, v := field(ch, "build")
	if k != nil {
		out.Range, out.Known = pairRange(d.ly.file, k, v), l.knownNode(v, 0)
	}
	out.Target = String{Value: b.Target, Set: b.Target != "", Known: true}
	if len(b.Args) > 0 {
		out.Args = map[string]String{}
		for k, v := range b.Args {
			a := l.mapEntryIn(ch, []string{"build", "args"}, k, fallback)
			if v != nil {
				a.Value = *v
			} else {
				a.Known = false
			}
			out.Args[k] = a
		}
	}
	if d, k, v := field(ch, "build", "target"); k != nil {
		out.Target.Known, out.Target.Range = l.known(v.Value), pairRange(d.ly.file, k, v)
	}
	if isRemote(b.Context) {
		out.Remote = true
		return out
	}
	if !l.contextKnown(ch) {
		out.ContextUnknown = true
		return out
	}
	ctx := b.Context
	if ctx == "" {
		ctx = "."
	}
	out.ContextDir, out.Outside = l.confine(ctx)
	if out.Dockerfile == "" && !out.Inline {
		out.Dockerfile = "Dockerfile"
	}
	if out.ContextDir != "" && !out.Inline {
		df := out.Dockerfile
		if !filepath.IsAbs(df) {
			df = filepath.Join(out.ContextDir, df)
		}
		out.DockerfilePath, _ = l.confine(df)
	}
	return out
}

// contextKnown tells whether a service's build context, as written
// (build: DIR or build.context: DIR), has every variable it uses.
func (l *loader) contextKnown(ch []def) bool {
	if _, k, v := field(ch, "build", "context"); k != nil {
		return l.known(v.Value)
	}
	if _, k, v := field(ch, "build"); k != nil && v.Kind == yaml.ScalarNode {
		return l.known(v.Value)
	}
	return true
}

func (l *loader) ports(svc *Service, ch []def, s types.ServiceConfig, fallback parsers.Range) {
	for _, p := range s.Ports {
		port := Port{Target: p.Target, Published: p.Published, HostIP: p.HostIP, Protocol: p.Protocol, Known: true, Range: fallback}
		items(ch, "ports", func(d def, it, _ *yaml.Node) bool {
			var cands []types.ServicePortConfig
			switch it.Kind {
			case yaml.ScalarNode:
				v, _ := l.interpolate(it.Value)
				cands, _ = types.ParsePortConfig(v)
			case yaml.MappingNode:
				var c types.ServicePortConfig
				if _, t := get(it, "target"); t != nil {
					tv, _ := l.interpolate(t.Value)
					n, _ := strconv.ParseUint(tv, 10, 32)
					c.Target = uint32(n)
				}
				if _, pub := get(it, "published"); pub != nil {
					c.Published, _ = l.interpolate(pub.Value)
				} else {
					c.Published = p.Published
				}
				cands = append(cands, c)
			}
			for _, c := range cands {
				if c.Target == p.Target && c.Published == p.Published {
					port.Range, port.Known = nodeRange(d.ly.file, it), l.knownNode(it, 0)
					return true
				}
			}
			return false
		})
		svc.Ports = append(svc.Ports, port)
	}
}

func (l *loader) volumes(svc *Service, ch []def, s types.ServiceConfig, fallback parsers.Range) {
	for _, v := range s.Volumes {
		m := Mount{Type: v.Type, Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly, Known: true, Range: fallback}
		items(ch, "volumes", func(d def, it, _ *yaml.Node) bool {
			target := ""
			switch it.Kind {
			case yaml.ScalarNode:
				raw, _ := l.interpolate(it.Value)
				if pv, err := format.ParseVolume(raw); err == nil {
					target = pv.Target
				}
			case yaml.MappingNode:
				if _, t := get(it, "target"); t != nil {
					target, _ = l.interpolate(t.Value)
				}
			}
			if target != "" && filepath.Clean(target) == filepath.Clean(v.Target) {
				m.Range, m.Known = nodeRange(d.ly.file, it), l.knownNode(it, 0)
				return true
			}
			return false
		})
		if m.Type == types.VolumeTypeBind && m.Known {
			m.SourcePath, m.Outside = l.confine(v.Source)
		}
		svc.Volumes = append(svc.Volumes, m)
	}
}

func (l *loader) resources(ch []def, r *types.Resource, which string) Resources {
	return Resources{
		Memory: l.bytes(ch, int64(r.MemoryBytes), "deploy", "resources", which, "memory"),
		CPUs:   l.cpus(ch, float64(r.NanoCPUs), "deploy", "resources", which, "cpus"),
	}
}

func (l *loader) bytes(ch []def, n int64, path ...string) Bytes {
	d, k, v := field(ch, path...)
	if k == nil {
		return Bytes{Bytes: n, Set: n != 0, Known: true}
	}
	raw, _ := l.interpolate(v.Value)
	return Bytes{Bytes: n, Raw: raw, Set: true, Known: l.known(v.Value), Range: pairRange(d.ly.file, k, v)}
}

func (l *loader) cpus(ch []def, n float64, path ...string) CPUs {
	d, k, v := field(ch, path...)
	if k == nil {
		return CPUs{CPUs: n, Set: n != 0, Known: true}
	}
	raw, _ := l.interpolate(v.Value)
	return CPUs{CPUs: n, Raw: raw, Set: true, Known: l.known(v.Value), Range: pairRange(d.ly.file, k, v)}
}

// reportUnknown says once which variables had no value.
func (l *loader) reportUnknown() {
	if len(l.unknownVars) == 0 {
		return
	}
	names := sortedKeys(l.unknownVars)
	list := "${" + strings.Join(names, "}, ${") + "}"
	if len(names) > 8 {
		list = "${" + strings.Join(names[:8], "}, ${") + "} and " + strconv.Itoa(len(names)-8) + " more"
	}
	at, first := l.p.Files[0].LineRange(1), names[0]
	for _, f := range l.p.Files {
		if i := bytes.Index(f.Bytes(), []byte(first)); i >= 0 {
			at = f.LineRange(f.PosAt(i).Line - f.Shift.Line)
			break
		}
	}
	env := l.display(filepath.Join(l.dir, ".env"))
	have, them := "have", "them"
	if len(names) == 1 {
		have, them = "has", "it"
	}
	msg := fmt.Sprintf("%s %s no value in %s and no default in the file, so the settings that use %s are unknown to hoplint (docker compose takes %s from the shell that runs it)", list, have, env, them, them)
	if l.missingEnv {
		msg = fmt.Sprintf("there is no %s, so %s %s no value here and the settings that use %s are unknown to hoplint (docker compose takes %s from .env or the shell that runs it)", env, list, have, them, them)
	}
	l.problem(parsers.ProblemUnfollowed, at, msg)
}
