package appserver

import (
	"path"
	"time"

	"github.com/hoplint/hoplint/parsers"
	cfg "github.com/hoplint/hoplint/parsers/app/config"

	"github.com/hoplint/hoplint/topology/setting"
)

const pumaDoc = "https://github.com/puma/puma/blob/master/lib/puma/configuration.rb"

// puma: persistent_timeout is 65 s from Puma 7.0 and 20 s before. With the
// version unknown, 65 s is used: a pool that outlives 65 s outlives both.
func puma(w Word, version string, conf *pumaConf, env map[string]Str) Info {
	info := Info{Label: "Puma"}
	if conf != nil {
		for _, st := range conf.res.Settings {
			if st.Name == "persistent_timeout" && st.Condition != "" {
				// Set under a condition hoplint does not evaluate.
				info.KeepAlive = setting.Duration{Name: "persistent_timeout", Range: st.Range}
				return info
			}
		}
		if st := conf.res.Get("persistent_timeout", ""); st != nil {
			v, ok := resolveConf(st, env)
			if !ok || v.Kind != cfg.Duration || v.Duration < 0 {
				info.KeepAlive = setting.Duration{Name: "persistent_timeout", Range: st.Range}
				return info
			}
			info.KeepAlive = setting.SetAt("persistent_timeout (in "+conf.file.Path+")", v.Duration, st.Range)
			return info
		}
	}
	v, src := 65*time.Second, &setting.DefaultSource{Product: "Puma", Version: "7.0 and later; 20s before 7.0", URL: pumaDoc}
	if at, known := setting.AtLeast(version, "7.0"); known {
		src.Version = version
		if !at {
			v = 20 * time.Second
		}
	}
	info.KeepAlive = setting.DefaultFor("persistent_timeout", v, w.From.Range, src)
	info.KeepAlive.Note = "assuming config/puma.rb does not set persistent_timeout"
	if conf != nil {
		info.KeepAlive.Name = "persistent_timeout (not set in " + conf.file.Path + ")"
		info.KeepAlive.Note = ""
	}
	return info
}

// pumaConf is a Puma config file read for a process.
type pumaConf struct {
	file *parsers.File
	res  *cfg.Result
}

// pumaConfig reads the config file a Puma command line uses: -C FILE,
// else config/puma.rb in the build context (Puma's default; when
// config/puma/ holds per-environment files, which one applies depends on
// the environment, and none is read).
func (r *resolver) pumaConfig(words []Word) *pumaConf {
	if r.p.Files == nil || r.p.Context == "" {
		return nil
	}
	dir := path.Clean(r.p.Context)
	name := ""
	for i := range words {
		if v, _, _, ok := FlagValue(words, i, "--config", "-C"); ok {
			name = v
		}
	}
	if name == "" {
		if r.p.Files.IsDir(path.Join(dir, "config/puma")) {
			return nil
		}
		name = "config/puma.rb"
	}
	rel := r.find(dir, name)
	if rel == "" {
		return nil
	}
	f, err := r.read(rel)
	if err != nil {
		return nil
	}
	res := cfg.ParsePumaRB(f)
	if r.p.Files.once("config:" + rel) {
		r.problems = append(r.problems, res.Problems...)
	}
	r.sources = append(r.sources, f)
	return &pumaConf{file: f, res: res}
}
