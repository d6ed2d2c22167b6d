package appserver

import (
	"fmt"
	"path"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/setting"
)

// resolver follows a process's command to the server it starts: through
// wrappers and shell scripts, npm scripts of package.json, a Procfile, to
// the program and its entry file. Nothing is run; every file is read
// through the process's Files view.
type resolver struct {
	p        Process
	notes    []string
	sources  []*parsers.File
	problems []parsers.Problem
	depth    int
	// appDir is the application's directory once chosen ("" not yet).
	appDir string
	// appChosen is set once appDir has been looked for.
	appChosen bool
	// refused is set when a file the resolver needed was too large to
	// read (refused.go): what it would have said is not known.
	refused bool
}

// maxDepth bounds how many scripts a command is followed through
// (npm start → a shell script → node …).
const maxDepth = 6

// serverFrom finds the server in a list of commands: the last that starts
// one wins (earlier ones migrate, wait for the database, build). When the
// script runs commands in the background ("node api.js & node worker.js")
// and more than one of them starts a server, which one a port reaches
// cannot be told: the keep-alive is unknown.
func (r *resolver) serverFrom(cmds [][]Word, rest []Word, background bool) (Info, bool) {
	if r.depth > maxDepth {
		return Info{}, false
	}
	r.depth++
	defer func() { r.depth-- }()
	var found []Info
	for i := len(cmds) - 1; i >= 0; i-- {
		if info, ok := r.command(cmds[i], rest); ok {
			found = append(found, info)
			if !background {
				break
			}
		}
	}
	if len(found) == 0 {
		return Info{}, false
	}
	if len(found) > 1 {
		r.note("the command starts more than one server in the background; hoplint cannot tell which one receives the traffic")
		return Info{Label: found[0].Label, KeepAlive: setting.Duration{Name: found[0].KeepAlive.Name}}, true
	}
	return found[0], true
}

// hasBackground reports a "&" that runs a command in the background
// (not "&&", ">&" or "&>"), outside quotes.
func hasBackground(s string) bool {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '&':
			if i+1 < len(s) && (s[i+1] == '&' || s[i+1] == '>') || i > 0 && (s[i-1] == '&' || s[i-1] == '>') {
				continue
			}
			return true
		}
	}
	return false
}

func anyBackground(items []Str) bool {
	for _, s := range items {
		if hasBackground(s.Value) {
			return true
		}
	}
	return false
}

// command identifies the server one simple command starts. rest is what
// "$@" stands for in a script (the arguments it was given).
func (r *resolver) command(ws []Word, rest []Word) (Info, bool) {
	var expanded []Word
	for _, w := range ws {
		switch w.Text {
		case "$@", "${@}", "$*", "${*}":
			expanded = append(expanded, rest...)
		default:
			expanded = append(expanded, w)
		}
	}
	ws = expanded
	for i, w := range ws {
		switch baseName(w.Text) {
		case "gunicorn":
			return gunicorn(ws[i:], r.p.Env, r.p.version("gunicorn"), r.gunicornConfig(ws[i:])), true
		case "uvicorn":
			return uvicorn(ws[i:], r.p.Env), true
		case "puma":
			return puma(w, r.p.version("puma"), r.pumaConfig(ws[i:]), r.p.Env), true
		}
		if isPHPFPM(baseName(w.Text)) {
			if phpFPMNotServing(ws[i+1:]) {
				return Info{}, false
			}
			return r.phpFPM(ws[i+1:]), true
		}
		if baseName(w.Text) == "uwsgi" {
			return r.uwsgi(ws[i:]), true
		}
	}
	ws = stripWrappers(ws)
	if len(ws) == 0 {
		return Info{}, false
	}
	switch head := baseName(ws[0].Text); head {
	case "node", "nodejs", "ts-node", "tsx", "nodemon", "ts-node-dev", "babel-node":
		script, ok := nodeScript(ws[1:])
		if !ok {
			return r.nodeUnknown(), true
		}
		return r.nodeEntry(script), true
	case "pm2-runtime", "pm2":
		args := ws[1:]
		if head == "pm2" {
			if len(args) == 0 || args[0].Text != "start" {
				return Info{}, false
			}
			args = args[1:]
		}
		script, ok := nodeScript(args)
		if !ok || strings.HasSuffix(script.Text, ".json") || strings.HasSuffix(script.Text, ".config.js") || strings.HasSuffix(script.Text, ".config.cjs") {
			return r.nodeUnknown(), true // an ecosystem file: not followed
		}
		return r.nodeEntry(script), true
	case "npm", "yarn", "pnpm":
		name, ok := packageScript(head, ws[1:])
		if !ok {
			return Info{}, false
		}
		return r.npmScript(name), true
	case "java":
		return r.java(ws)
	case "dotnet":
		return r.dotnet(ws)
	case "supervisord":
		return r.supervisord(ws)
	case "catalina.sh":
		if len(ws) > 1 && ws[1].Text == "run" && isTomcatImage(r.image().Value) {
			return r.tomcat(ws[0].From), true
		}
	case "nest":
		if len(ws) > 1 && ws[1].Text == "start" {
			r.note("assuming `nest start` runs src/main.ts, the Nest CLI's default entry file")
			return r.nodeEntry(Word{Text: "src/main.ts", From: ws[0].From}), true
		}
	case "next":
		if len(ws) > 1 && ws[1].Text == "start" {
			return r.next(ws), true
		}
	case "rails":
		// rails server runs Puma with config/puma.rb (Rails 5 and later).
		if len(ws) > 1 && (ws[1].Text == "server" || ws[1].Text == "s") {
			r.note("assuming rails server runs Puma, Rails' default server since 5.0")
			return puma(ws[0], r.p.version("puma"), r.pumaConfig(nil), r.p.Env), true
		}
	default:
		if looksLikeScript(ws[0].Text) {
			if info, ok := r.script(ws[0], ws[1:]); ok {
				return info, true
			}
		}
		return r.goProgram(ws)
	}
	return Info{}, false
}

// nodeScript returns the script argument of a node command line: the first
// word that is not an option (node's options that take a value skip it).
func nodeScript(args []Word) (Word, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i].Text
		switch {
		case a == "-e" || a == "--eval" || a == "-p" || a == "--print" || a == "-":
			return Word{}, false
		case a == "-r" || a == "--require" || a == "--import" || a == "--loader" || a == "--experimental-loader" ||
			a == "--env-file" || a == "--title" || a == "-C" || a == "--conditions" || a == "--exec" || a == "-x" || a == "--watch-path":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return args[i], true
		}
	}
	return Word{}, false
}

// packageScript reads `npm start`, `npm run X`, `yarn X`, `pnpm run X`.
func packageScript(tool string, args []Word) (string, bool) {
	var plain []string
	for _, a := range args {
		if !strings.HasPrefix(a.Text, "-") {
			plain = append(plain, a.Text)
		}
	}
	if len(plain) == 0 {
		return "", false
	}
	switch plain[0] {
	case "start":
		return "start", true
	case "run", "run-script":
		if len(plain) > 1 {
			return plain[1], true
		}
		return "", false
	case "install", "ci", "i", "exec", "add", "build", "test", "dlx":
		return "", false
	}
	if tool != "npm" {
		return plain[0], true // yarn X, pnpm X
	}
	return "", false
}

func looksLikeScript(w string) bool {
	return strings.HasSuffix(w, ".sh") || strings.HasPrefix(w, "./") || strings.Contains(w, "/") && !strings.HasPrefix(w, "/") ||
		strings.HasPrefix(w, "/") && !strings.HasPrefix(w, "/usr/bin/") && !strings.HasPrefix(w, "/bin/") && !strings.HasPrefix(w, "/usr/local/bin/")
}

func (r *resolver) note(n string) {
	for _, m := range r.notes {
		if m == n {
			return
		}
	}
	r.notes = append(r.notes, n)
}

// dir returns the application's directory: the process's build context,
// else the repository's one application of the runtime (an assumption the
// notes say). "" when there is none to choose.
func (r *resolver) dir(runtime string) string {
	if r.appChosen {
		return r.appDir
	}
	r.appChosen = true
	v := r.p.Files
	if v == nil {
		return ""
	}
	if c := r.p.Context; c != "" {
		if v.IsDir(c) {
			r.appDir = path.Clean(c)
		}
		return r.appDir
	}
	if runtime != "node" {
		return ""
	}
	apps := v.NodeApps()
	if len(apps) != 1 {
		return ""
	}
	r.appDir = apps[0]
	where := apps[0]
	if where == "." {
		where = "the repository's root"
	}
	r.note(fmt.Sprintf("assuming this container runs the Node.js application in %s, the only one in the repository (the image is not built here)", where))
	return r.appDir
}

// find locates a path the container names (relative to its working
// directory, or absolute) in the application's directory dir. The
// container's working directory is taken to be dir; an absolute path is
// matched by its longest tail that exists in dir. "" when none does.
func (r *resolver) find(dir, p string) string {
	v := r.p.Files
	if p == "" || strings.ContainsAny(p, "$`*?") {
		return ""
	}
	clean := path.Clean(strings.TrimPrefix(p, "/"))
	if strings.HasPrefix(clean, "..") {
		return ""
	}
	parts := strings.Split(clean, "/")
	for i := range parts {
		if i > 0 && !strings.HasPrefix(p, "/") {
			break
		}
		cand := path.Join(dir, path.Join(parts[i:]...))
		if within(dir, cand) && v.Exists(cand) {
			if strings.HasPrefix(p, "/") {
				r.note(fmt.Sprintf("assuming the image's %s is %s of this repository", p, cand))
			}
			return cand
		}
	}
	return ""
}

// within reports whether slash path p lies in directory dir.
func within(dir, p string) bool {
	if dir == "." || dir == "" {
		return !strings.HasPrefix(p, "../") && p != ".."
	}
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// script follows a shell script the container runs (an entrypoint) to the
// server it starts; "$@" in it stands for args.
func (r *resolver) script(w Word, args []Word) (Info, bool) {
	dir := r.p.Context
	if dir == "" || r.p.Files == nil {
		return Info{}, false
	}
	dir = path.Clean(dir)
	rel := r.find(dir, w.Text)
	if rel == "" {
		return Info{}, false
	}
	f, err := r.read(rel)
	if err != nil {
		return Info{}, false
	}
	if info, ok := r.serverFrom(scriptCommands(f), args, hasBackground(string(f.Bytes()))); ok {
		r.sources = append(r.sources, f)
		return info, true
	}
	return Info{}, false
}

// procfile reads the web process of a Procfile in the build context.
func (r *resolver) procfile() (Info, bool) {
	if r.p.Context == "" || r.p.Files == nil {
		return Info{}, false
	}
	f, err := r.read(path.Join(r.p.Context, "Procfile"))
	if err != nil {
		return Info{}, false
	}
	for line := 1; line <= f.NumLines(); line++ {
		text := f.Line(line)
		cmd, ok := strings.CutPrefix(strings.TrimSpace(text), "web:")
		if !ok {
			continue
		}
		s := Str{Value: cmd, Range: f.LineRange(line)}
		if info, ok := r.serverFrom(commandsOf([]Str{s}), nil, hasBackground(cmd)); ok {
			r.sources = append(r.sources, f)
			return info, true
		}
	}
	return Info{}, false
}
