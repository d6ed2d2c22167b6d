package appserver

import (
	"strconv"
	"strings"
	"time"

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

// gunicorn reads the command line that starts at words[0] ("gunicorn")
// and GUNICORN_CMD_ARGS.
func gunicorn(words []Word, env map[string]Str, version string) Info {
	info := Info{}
	worker, threads := "sync", 1
	var ka *setting.Duration
	config := false
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
		return info
	}
	src := &setting.DefaultSource{Product: "gunicorn", Version: versionOr(version, "all versions"), URL: gunicornDoc}
	info.KeepAlive = setting.DefaultFor("--keep-alive", 2*time.Second, words[0].From.Range, src)
	note := "assuming no gunicorn.conf.py in the image sets keepalive"
	if config {
		note = "assuming the gunicorn config file named by -c does not set keepalive"
	}
	info.KeepAlive.Note = note
	return info
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
