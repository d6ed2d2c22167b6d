package topology

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
)

// KeepAliveAnnotation declares a keep-alive timeout that lives in
// application code (Node's server.keepAliveTimeout, Go's IdleTimeout),
// where hoplint cannot read it: hoplint.dev/keepalive-timeout: "65s".
const KeepAliveAnnotation = "hoplint.dev/keepalive-timeout"

const (
	gunicornDoc = "https://docs.gunicorn.org/en/stable/settings.html#keepalive"
	uvicornDoc  = "https://www.uvicorn.org/settings/#timeouts"
	pumaDoc     = "https://github.com/puma/puma/blob/master/lib/puma/configuration.rb"
	apacheDoc   = "https://httpd.apache.org/docs/2.4/mod/core.html#keepalivetimeout"
)

type appInfo struct {
	label     string
	keepAlive Duration
	notes     []string
}

// appServer works out which HTTP server a container runs and its
// keep-alive timeout: from the keep-alive annotation, the command line,
// the environment, the image.
func (c *k8sCluster) appServer(w *kubernetes.Workload, ct *kubernetes.Container) appInfo {
	if a, ok := w.PodAnnotations[KeepAliveAnnotation]; ok && a.Set {
		return c.declaredKeepAlive(a)
	}
	if a, ok := w.Annotations[KeepAliveAnnotation]; ok && a.Set {
		return c.declaredKeepAlive(a)
	}
	words := commandWords(ct)
	env := map[string]kubernetes.Str{}
	for _, e := range ct.Env {
		if !e.FromRef && e.Value.Set {
			env[e.Name.Value] = e.Value
		}
	}
	for i, wd := range words {
		base := wd.word
		if j := strings.LastIndex(base, "/"); j >= 0 {
			base = base[j+1:]
		}
		switch base {
		case "gunicorn":
			return gunicorn(words[i:], env, c.env.Config.Version("gunicorn"))
		case "uvicorn":
			return uvicorn(words[i:], env)
		case "puma":
			return puma(words[i], c.env.Config.Version("puma"))
		}
	}
	name, tag := imageName(ct.Image.Value)
	switch name {
	case "httpd":
		label := strings.TrimSpace("Apache httpd " + tag)
		if ka, notes, ok := c.embeddedServer(w, ct, parsers.FormatApache, nginxLayout{}); ok {
			return appInfo{label: label, keepAlive: ka, notes: notes}
		}
		for _, m := range ct.VolumeMounts {
			if strings.HasPrefix(m.MountPath, apacheConfDir) {
				return appInfo{label: label} // configured from elsewhere
			}
		}
		src := &DefaultSource{Product: "Apache httpd", Version: "all versions", URL: apacheDoc}
		ka := DefaultFor("KeepAliveTimeout", 5*time.Second, ct.Image.Range, src)
		ka.Note = "assuming the image's stock httpd.conf, which leaves KeepAliveTimeout at its default"
		return appInfo{label: label, keepAlive: ka}
	}
	if lay, ok := nginxRunner(w, ct); ok {
		label := "nginx"
		if lay.versioned && tag != "" {
			label += " " + tag
		} else if !officialNginx(imageRef(ct.Image.Value)) {
			label += " (image " + ct.Image.Value + ")"
		}
		if ka, notes, ok := c.embeddedServer(w, ct, parsers.FormatNginx, lay); ok {
			return appInfo{label: label, keepAlive: ka, notes: notes}
		}
		return appInfo{label: label}
	}
	return appInfo{}
}

func (c *k8sCluster) declaredKeepAlive(a kubernetes.Str) appInfo {
	v := strings.TrimSpace(a.Value)
	d, err := time.ParseDuration(v)
	if err != nil {
		if n, e := strconv.Atoi(v); e == nil {
			d, err = time.Duration(n)*time.Second, nil
		}
	}
	if err != nil || d < 0 {
		c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: a.Range,
			Message: fmt.Sprintf("%s %q is not a duration; write it like \"65s\" or \"1m30s\"", KeepAliveAnnotation, a.Value)})
		return appInfo{}
	}
	return appInfo{label: "app server", keepAlive: SetAt(KeepAliveAnnotation, d, a.Range)}
}

// word is one word of a container's command line and the manifest
// scalar it came from.
type word struct {
	word string
	from kubernetes.Str
}

// commandWords splits command and args into words; "sh -c 'exec gunicorn
// …'" contributes the words of its script.
func commandWords(ct *kubernetes.Container) []word {
	var out []word
	for _, s := range append(append([]kubernetes.Str{}, ct.Command...), ct.Args...) {
		for _, f := range shellFields(s.Value) {
			out = append(out, word{f, s})
		}
	}
	return out
}

// shellFields splits like a shell would for simple scripts: whitespace,
// single and double quotes; ";", "&&" and "|" end a word.
func shellFields(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	has := false
	flush := func() {
		if has {
			out = append(out, cur.String())
		}
		cur.Reset()
		has = false
	}
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, has = r, true
		case r == ' ' || r == '\t' || r == '\n' || r == ';' || r == '&' || r == '|':
			flush()
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	flush()
	return out
}

// flagValue reads "--name value", "--name=value" and, for short flags,
// "-kvalue". It returns the value and the word that holds it.
func flagValue(words []word, i int, long, short string) (string, word, int, bool) {
	w := words[i].word
	for _, name := range []string{long, short} {
		if name == "" {
			continue
		}
		if w == name && i+1 < len(words) {
			return words[i+1].word, words[i+1], i + 1, true
		}
		if strings.HasPrefix(w, name+"=") {
			return w[len(name)+1:], words[i], i, true
		}
		if len(name) == 2 && strings.HasPrefix(w, name) && len(w) > 2 && !strings.HasPrefix(w, "--") {
			return w[2:], words[i], i, true
		}
	}
	return "", word{}, i, false
}

// keepAliveWorkers are the gunicorn worker classes that keep client
// connections open between requests. The sync worker closes every
// connection after its response.
var keepAliveWorkers = map[string]bool{
	"gthread": true, "gevent": true, "eventlet": true, "tornado": true,
	"uvicorn.workers.UvicornWorker": true, "uvicorn.workers.UvicornH11Worker": true,
	"uvicorn_worker.UvicornWorker": true, "uvicorn_worker.UvicornH11Worker": true,
}

func gunicorn(words []word, env map[string]kubernetes.Str, version string) appInfo {
	info := appInfo{}
	worker, threads := "sync", 1
	var ka *Duration
	config := false
	read := func(ws []word) {
		for i := 0; i < len(ws); i++ {
			if v, _, j, ok := flagValue(ws, i, "--worker-class", "-k"); ok {
				worker, i = v, j
				continue
			}
			if v, _, j, ok := flagValue(ws, i, "--threads", ""); ok {
				threads, _ = strconv.Atoi(v)
				i = j
				continue
			}
			if v, at, j, ok := flagValue(ws, i, "--keep-alive", ""); ok {
				if n, err := strconv.Atoi(v); err == nil && n >= 0 {
					d := SetAt("--keep-alive", time.Duration(n)*time.Second, at.from.Range)
					ka = &d
				}
				i = j
				continue
			}
			if _, _, j, ok := flagValue(ws, i, "--config", "-c"); ok {
				config, i = true, j
			}
		}
	}
	// Command-line settings win over GUNICORN_CMD_ARGS.
	if e, ok := env["GUNICORN_CMD_ARGS"]; ok {
		var ws []word
		for _, f := range shellFields(e.Value) {
			ws = append(ws, word{f, e})
		}
		read(ws)
		if ka != nil {
			ka.Name = "--keep-alive (in GUNICORN_CMD_ARGS)"
		}
	}
	read(words)
	if worker == "sync" && threads > 1 {
		// gunicorn switches to gthread when sync is given threads.
		worker = "gthread"
	}
	info.label = "gunicorn (" + worker + ")"
	if !keepAliveWorkers[worker] {
		if worker == "sync" {
			info.notes = append(info.notes, "gunicorn's sync worker closes every connection after its response, so no connection is reused")
		}
		info.keepAlive = Duration{Name: "--keep-alive"}
		return info
	}
	if ka != nil {
		info.keepAlive = *ka
		return info
	}
	src := &DefaultSource{Product: "gunicorn", Version: versionOr(version, "all versions"), URL: gunicornDoc}
	info.keepAlive = DefaultFor("--keep-alive", 2*time.Second, words[0].from.Range, src)
	note := "assuming no gunicorn.conf.py in the image sets keepalive"
	if config {
		note = "assuming the gunicorn config file named by -c does not set keepalive"
	}
	info.keepAlive.Note = note
	return info
}

func uvicorn(words []word, env map[string]kubernetes.Str) appInfo {
	info := appInfo{label: "uvicorn"}
	for i := range words {
		if v, at, _, ok := flagValue(words, i, "--timeout-keep-alive", ""); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				info.keepAlive = SetAt("--timeout-keep-alive", time.Duration(n)*time.Second, at.from.Range)
			}
			return info
		}
	}
	if e, ok := env["UVICORN_TIMEOUT_KEEP_ALIVE"]; ok {
		if n, err := strconv.Atoi(strings.TrimSpace(e.Value)); err == nil && n >= 0 {
			info.keepAlive = SetAt("UVICORN_TIMEOUT_KEEP_ALIVE", time.Duration(n)*time.Second, e.Range)
		}
		return info
	}
	src := &DefaultSource{Product: "uvicorn", Version: "all versions", URL: uvicornDoc}
	info.keepAlive = DefaultFor("--timeout-keep-alive", 5*time.Second, words[0].from.Range, src)
	return info
}

// puma: persistent_timeout is 65 s from Puma 7.0 and 20 s before. With the
// version unknown, 65 s is used: a pool that outlives 65 s outlives both.
func puma(w word, version string) appInfo {
	info := appInfo{label: "Puma"}
	v, src := 65*time.Second, &DefaultSource{Product: "Puma", Version: "7.0 and later; 20s before 7.0", URL: pumaDoc}
	if at, known := AtLeast(version, "7.0"); known {
		src.Version = version
		if !at {
			v = 20 * time.Second
		}
	}
	info.keepAlive = DefaultFor("persistent_timeout", v, w.from.Range, src)
	info.keepAlive.Note = "assuming config/puma.rb does not set persistent_timeout"
	return info
}

func versionOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// imageName returns the last path element of an image reference and its
// tag's version ("registry.k8s.io/ingress-nginx/controller:v1.15.1@sha…"
// → "controller", "1.15.1"; "nginx:1.27-alpine" → "nginx", "1.27").
func imageName(ref string) (name, version string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	tag := ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref, tag = ref[:i], ref[i+1:]
	}
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		ref = ref[i+1:]
	}
	tag = strings.TrimPrefix(tag, "v")
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if _, ok := versionParts(tag); !ok {
		tag = ""
	}
	return ref, tag
}
