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

// Where the Python servers' defaults are written (docs/facts/python.md).
const (
	gunicornDoc = "https://docs.gunicorn.org/en/stable/settings.html#keepalive"
	uvicornDoc  = "https://www.uvicorn.org/settings/#timeouts"
)

// keepAliveWorkers are the gunicorn worker classes that keep client
// connections open between requests. The sync worker closes every
// connection after its response.
var keepAliveWorkers = map[string]bool{
	"gthread": true, "gevent": true, "eventlet": true, "tornado": true,
	"uvicorn.workers.UvicornWorker": true, "uvicorn.workers.UvicornH11Worker": true,
	"uvicorn_worker.UvicornWorker": true, "uvicorn_worker.UvicornH11Worker": true,
}

// gunicornConf is a gunicorn config file read for a process: the file and
// what it says; nil when none was found.
type gunicornConf struct {
	file *parsers.File
	res  *cfg.Result
}

// gunicornConfigFlag returns the -c/--config value of a gunicorn command
// line, "" when there is none.
func gunicornConfigFlag(words []Word) string {
	for i := range words {
		if v, _, _, ok := FlagValue(words, i, "--config", "-c"); ok {
			return v
		}
	}
	return ""
}

// gunicorn reads the command line that starts at words[0] ("gunicorn"),
// GUNICORN_CMD_ARGS and the config file (conf, nil when none was read):
// the command line wins over the variable, which wins over the file.
func gunicorn(words []Word, env map[string]Str, version string, conf *gunicornConf) Info {
	info := Info{}
	worker, threads := "sync", 1
	var ka *setting.Duration
	config := false
	unknownFromFile := ""
	if conf != nil {
		if s := conf.res.Get("worker_class", ""); s != nil {
			if v, ok := resolveConf(s, env); ok && v.Kind == cfg.String {
				worker = v.Str
			} else {
				unknownFromFile = "worker_class"
			}
		}
		if s := conf.res.Get("threads", ""); s != nil {
			if v, ok := resolveConf(s, env); ok && v.Kind == cfg.Int {
				threads = int(v.Int)
			} else {
				unknownFromFile = "threads"
			}
		}
		if s := conf.res.Get("keepalive", ""); s != nil {
			if v, ok := resolveConf(s, env); ok && v.Kind == cfg.Duration && v.Duration >= 0 {
				d := setting.SetAt("keepalive", v.Duration, s.Range)
				ka = &d
			} else {
				d := setting.Duration{Name: "keepalive", Range: s.Range}
				ka = &d
			}
		}
	}
	read := func(ws []Word) {
		for i := 0; i < len(ws); i++ {
			if v, _, j, ok := FlagValue(ws, i, "--worker-class", "-k"); ok {
				worker, i = v, j
				continue
			}
			if v, _, j, ok := FlagValue(ws, i, "--threads", ""); ok {
				threads, _ = strconv.Atoi(v)
				i = j
				continue
			}
			if v, at, j, ok := FlagValue(ws, i, "--keep-alive", ""); ok {
				if n, err := strconv.Atoi(v); err == nil && n >= 0 {
					d := setting.SetAt("--keep-alive", time.Duration(n)*time.Second, at.From.Range)
					ka = &d
				}
				i = j
				continue
			}
			if _, _, j, ok := FlagValue(ws, i, "--config", "-c"); ok {
				config, i = true, j
			}
		}
	}
	// Command-line settings win over GUNICORN_CMD_ARGS.
	if e, ok := env["GUNICORN_CMD_ARGS"]; ok {
		read(Words([]Str{e}))
		if ka != nil {
			ka.Name = "--keep-alive (in GUNICORN_CMD_ARGS)"
		}
	}
	read(words)
	if unknownFromFile != "" {
		info.Label = "gunicorn"
		info.KeepAlive = setting.Duration{Name: "--keep-alive"}
		return info
	}
	if worker == "sync" && threads > 1 {
		// gunicorn switches to gthread when sync is given threads.
		worker = "gthread"
	}
	info.Label = "gunicorn (" + worker + ")"
	if !keepAliveWorkers[worker] {
		if worker == "sync" {
			info.Notes = append(info.Notes, "gunicorn's sync worker closes every connection after its response, so no connection is reused")
		}
		info.KeepAlive = setting.Duration{Name: "--keep-alive"}
		return info
	}
	if ka != nil {
		info.KeepAlive = *ka
		if conf != nil && ka.Name == "keepalive" {
			info.KeepAlive.Name = "keepalive (in " + conf.file.Path + ")"
		}
		return info
	}
	src := &setting.DefaultSource{Product: "gunicorn", Version: versionOr(version, "all versions"), URL: gunicornDoc}
	info.KeepAlive = setting.DefaultFor("--keep-alive", 2*time.Second, words[0].From.Range, src)
	note := "assuming no gunicorn.conf.py in the image sets keepalive"
	if config {
		note = "assuming the gunicorn config file named by -c does not set keepalive"
	}
	if conf != nil {
		note = ""
		info.KeepAlive.Name = "keepalive (not set in " + conf.file.Path + ")"
	}
	info.KeepAlive.Note = note
	return info
}

// resolveConf gives a config file's value for the container's
// environment: a literal as written, a variable the container sets (read
// with the setting's syntax), else the file's fallback.
func resolveConf(s *cfg.Setting, env map[string]Str) (cfg.Value, bool) {
	return s.Value.Resolve(func(k string) (string, bool) {
		e, ok := env[k]
		if ok && e.Unknown {
			return "", false
		}
		return e.Value, ok
	}, s.Reparse)
}

// uvicorn reads --timeout-keep-alive and UVICORN_TIMEOUT_KEEP_ALIVE.
func uvicorn(words []Word, env map[string]Str) Info {
	info := Info{Label: "uvicorn"}
	for i := range words {
		if v, at, _, ok := FlagValue(words, i, "--timeout-keep-alive", ""); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				info.KeepAlive = setting.SetAt("--timeout-keep-alive", time.Duration(n)*time.Second, at.From.Range)
			}
			return info
		}
	}
	if e, ok := env["UVICORN_TIMEOUT_KEEP_ALIVE"]; ok {
		if n, err := strconv.Atoi(strings.TrimSpace(e.Value)); err == nil && n >= 0 && !e.Unknown {
			info.KeepAlive = setting.SetAt("UVICORN_TIMEOUT_KEEP_ALIVE", time.Duration(n)*time.Second, e.Range)
		}
		return info
	}
	src := &setting.DefaultSource{Product: "uvicorn", Version: "all versions", URL: uvicornDoc}
	info.KeepAlive = setting.DefaultFor("--timeout-keep-alive", 5*time.Second, words[0].From.Range, src)
	return info
}

func versionOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// gunicornConfig reads the config file a gunicorn command line uses: the
// file -c names, else gunicorn.conf.py in the working directory (gunicorn
// 20 and later read it by default), looked for in the build context only.
func (r *resolver) gunicornConfig(words []Word) *gunicornConf {
	if r.p.Files == nil || r.p.Context == "" {
		return nil
	}
	name := gunicornConfigFlag(words)
	if strings.HasPrefix(name, "python:") || strings.HasPrefix(name, "file:") && strings.ContainsAny(name, "$") {
		return nil
	}
	name = strings.TrimPrefix(name, "file:")
	if name == "" {
		name = "gunicorn.conf.py"
	}
	rel := r.find(path.Clean(r.p.Context), name)
	if rel == "" {
		return nil
	}
	f, err := r.read(rel)
	if err != nil {
		return nil
	}
	res := cfg.ParseGunicornConf(f)
	if r.p.Files.once("config:" + rel) {
		r.problems = append(r.problems, res.Problems...)
	}
	r.sources = append(r.sources, f)
	return &gunicornConf{file: f, res: res}
}
