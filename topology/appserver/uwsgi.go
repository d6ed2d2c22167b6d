package appserver

import (
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	cfg "github.com/hoplint/hoplint/parsers/app/config"
	"github.com/hoplint/hoplint/topology/setting"
)

// uwsgiBodyRefusal is what uWSGI does with a body over limit-post: it
// refuses the request before the application sees it
// (docs/facts/python.md).
const uwsgiBodyRefusal = "uWSGI refuses them (limit-post) before the application runs"

// uwsgi reads the uWSGI command that starts at ws[0]: its ini file (a
// positional .ini or --ini, found among the container's files or in the
// build context), UWSGI_* environment variables and flags; an option set
// in more than one of them is left unknown. harakiri becomes the request limit (uWSGI
// kills the worker), limit-post the body limit. uWSGI's keep-alive is not
// derived (docs/facts/python.md).
func (r *resolver) uwsgi(ws []Word) Info {
	info := Info{Label: "uWSGI"}
	ini := ""
	for i := 1; i < len(ws); i++ {
		t := ws[i].Text
		if v, _, j, ok := FlagValue(ws, i, "--ini", ""); ok {
			ini, i = v, j
			continue
		}
		if strings.HasPrefix(t, "--yaml") || strings.HasPrefix(t, "--xml") || strings.HasPrefix(t, "--json") || strings.HasSuffix(t, ".yaml") ||
			strings.HasSuffix(t, ".yml") || strings.HasSuffix(t, ".xml") || strings.HasSuffix(t, ".json") || strings.Contains(t, "$") {
			return info // a config hoplint does not read
		}
		if !strings.HasPrefix(t, "-") && strings.HasSuffix(t, ".ini") && ini == "" {
			ini = t
		}
	}
	vals := map[string]*springSetting{}
	if ini != "" {
		f := r.uwsgiFile(ini)
		if f == nil {
			return info
		}
		res := cfg.ParseUWSGIIni(f)
		if r.p.Files.once("config:" + f.Path) {
			r.problems = append(r.problems, res.Problems...)
		}
		r.sources = append(r.sources, f)
		for i := range res.Settings {
			st := &res.Settings[i]
			if st.Condition != "" {
				if st.Name == "harakiri" || st.Name == "limit-post" {
					vals[st.Name] = &springSetting{} // set under a condition: unknown
				}
				continue
			}
			vals[st.Name] = &springSetting{st: st, file: f}
		}
	}
	type flagVal struct {
		v   string
		rng parsers.Range
		src string
	}
	flags := map[string]flagVal{}
	for _, name := range []string{"harakiri", "limit-post"} {
		env := "UWSGI_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
		if e, ok := r.p.Env[env]; ok {
			if e.Unknown {
				vals[name] = &springSetting{}
				continue
			}
			flags[name] = flagVal{e.Value, e.Range, env}
		}
		for i := range ws {
			if v, at, _, ok := FlagValue(ws, i, "--"+name, ""); ok {
				if _, dup := flags[name]; dup {
					vals[name] = &springSetting{}
				}
				flags[name] = flagVal{v, at.From.Range, "--" + name}
			}
		}
	}
	num := func(name string) (int64, string, parsers.Range, bool) {
		if f, ok := flags[name]; ok {
			if vals[name] != nil {
				// Set in the file too: which one uWSGI takes depends on
				// the order it reads them in.
				return 0, "", parsers.Range{}, false
			}
			n, err := strconv.ParseInt(strings.TrimSpace(f.v), 10, 64)
			return n, f.src, f.rng, err == nil && n >= 0
		}
		s := vals[name]
		if s == nil || s.st == nil {
			return 0, "", parsers.Range{}, false
		}
		v, ok := resolveConf(s.st, r.p.Env)
		if !ok {
			return 0, "", parsers.Range{}, false
		}
		switch v.Kind {
		case cfg.Duration:
			return int64(v.Duration / time.Second), name + " in " + s.file.Path, s.st.Range, true
		case cfg.Bytes:
			return v.Bytes, name + " in " + s.file.Path, s.st.Range, true
		}
		return 0, "", parsers.Range{}, false
	}
	if n, name, rng, ok := num("harakiri"); ok && n > 0 {
		info.RequestTimeout = setting.SetAt(name, time.Duration(n)*time.Second, rng)
	}
	if n, name, rng, ok := num("limit-post"); ok && n > 0 {
		info.BodyLimit, info.BodyRefusal = setting.SetAt(name, n, rng), uwsgiBodyRefusal
	}
	return info
}

// uwsgiFile finds the ini file a uWSGI command names: among the files the
// container has from the tree, else in the build context (an absolute
// path matched by its longest tail there).
func (r *resolver) uwsgiFile(name string) *parsers.File {
	if r.p.Files == nil {
		return nil
	}
	if path.IsAbs(name) {
		if r.opaqueOver(path.Dir(path.Clean(name))) {
			return nil
		}
		if src, ok := r.containerFiles()[path.Clean(name)]; ok {
			f, err := r.read(src)
			if err == nil {
				return f
			}
			return nil
		}
	}
	if r.p.Context == "" {
		return nil
	}
	rel := r.find(path.Clean(r.p.Context), name)
	if rel == "" {
		return nil
	}
	f, err := r.read(rel)
	if err != nil {
		return nil
	}
	return f
}
