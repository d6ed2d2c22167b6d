package ghactions

import (
	"path"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/hoplint/hoplint/parsers"
)

// maxScript bounds the script parsed: a run: step is a few lines.
const maxScript = 64 << 10

// dockerBuilds lists the `docker build`s (docker buildx build, docker
// image build) of a run: script, run in directory wd (relative to the
// workspace), whose context and Dockerfile are literal paths in the
// workspace. bad is true when the script does not parse, is over
// maxScript, or holds a build hoplint cannot read. Range.Start.Line is
// each command's line within the script.
func dockerBuilds(script, wd string) (found []Build, bad bool) {
	if len(script) > maxScript {
		return nil, true
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "run")
	if err != nil {
		return nil, true
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		words := make([]string, len(call.Args))
		known := make([]bool, len(call.Args))
		for i, a := range call.Args {
			words[i], known[i] = literal(a)
		}
		if !known[0] || path.Base(words[0]) != "docker" {
			return true
		}
		var rest int
		switch {
		case known[1] && words[1] == "build":
			rest = 2
		case len(words) > 2 && known[1] && known[2] && (words[1] == "buildx" || words[1] == "image") && words[2] == "build":
			rest = 3
		default:
			return true
		}
		b, ok := buildArgs(words[rest:], known[rest:], wd)
		if !ok {
			bad = true
			return true
		}
		b.Range = parsers.Range{Start: parsers.Pos{Line: int(call.Pos().Line())}}
		found = append(found, b)
		return true
	})
	return found, bad
}

// literal is a shell word's text when it has no expansion; when it has
// one, the text before it, and false.
func literal(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return b.String(), false
				}
				b.WriteString(l.Value)
			}
		default:
			return b.String(), false
		}
	}
	return b.String(), true
}

// valued are docker build's options that take a value in the next word
// (docker buildx build --help); any other option is a flag, or written
// --name=value.
var valued = map[string]bool{
	"-t": true, "--tag": true, "-f": true, "--file": true, "--target": true,
	"--build-arg": true, "--build-context": true, "--platform": true, "--label": true,
	"--cache-from": true, "--cache-to": true, "--secret": true, "--ssh": true,
	"-o": true, "--output": true, "--network": true, "--progress": true, "--iidfile": true,
	"--metadata-file": true, "--add-host": true, "--shm-size": true, "--ulimit": true,
	"--cgroup-parent": true, "--isolation": true, "--attest": true, "--allow": true,
	"--annotation": true, "--builder": true, "--call": true, "--policy": true,
	"-m": true, "--memory": true, "--memory-swap": true, "--cpu-shares": true,
	"--cpuset-cpus": true, "--cpuset-mems": true, "--cpu-period": true, "--cpu-quota": true,
	"--security-opt": true,
}

// flags are docker build's options that take no value.
var flags = map[string]bool{
	"--push": true, "--load": true, "--pull": true, "--no-cache": true, "-q": true,
	"--quiet": true, "--rm": true, "--force-rm": true, "--squash": true, "--compress": true,
	"--disable-content-trust": true, "--check": true, "--debug": true, "-D": true,
	"--sbom": true, "--provenance": true,
}

// buildArgs reads the arguments after `docker build`.
func buildArgs(words []string, known []bool, wd string) (Build, bool) {
	var b Build
	var positional []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") || w == "-" {
			if !known[i] {
				return Build{}, false
			}
			positional = append(positional, w)
			continue
		}
		name, value, inline := strings.Cut(w, "=")
		switch {
		case flags[name] && !inline, inline && (flags[name] || valued[name]):
		case valued[name]:
			if i+1 >= len(words) {
				return Build{}, false
			}
			i++
			value, inline = words[i], known[i]
			if !inline && (name == "-f" || name == "--file" || name == "--target") {
				return Build{}, false
			}
		case strings.HasPrefix(name, "-f") && len(name) > 2 && !strings.HasPrefix(name, "--"):
			name, value = "-f", strings.TrimPrefix(w, "-f") // -fDockerfile
		case strings.HasPrefix(name, "-t") && len(name) > 2 && !strings.HasPrefix(name, "--"):
		default:
			return Build{}, false // an option hoplint does not know: its arity is unknown
		}
		if !known[i] && (name == "-f" || name == "--file" || name == "--target") {
			return Build{}, false
		}
		switch name {
		case "-f", "--file":
			b.Dockerfile = value
		case "--target":
			b.Target = value
		case "-t", "--tag":
			// The word that holds the value: literal to its end, or
			// only up to a variable (a tag from $GITHUB_SHA).
			if r := repository(value, known[i]); r != "" {
				b.Repos = append(b.Repos, r)
			}
		}
	}
	if len(positional) != 1 || !localPath(positional[0]) {
		return Build{}, false
	}
	if b.Dockerfile != "" && !localPath(b.Dockerfile) {
		return Build{}, false
	}
	if strings.Contains(b.Target, "$") {
		return Build{}, false
	}
	// The step's working directory, relative to the workspace.
	dir := path.Clean(wd)
	if strings.HasPrefix(dir, "/") || dir == ".." || strings.HasPrefix(dir, "../") {
		return Build{}, false
	}
	b.Context = path.Join(dir, positional[0])
	// -f is read from the directory the command runs in, not from the
	// context; without it, the context's Dockerfile.
	if b.Dockerfile == "" {
		b.Dockerfile = path.Join(b.Context, "Dockerfile")
	} else {
		b.Dockerfile = path.Join(dir, b.Dockerfile)
	}
	return b, inWorkspace(b.Context) && inWorkspace(b.Dockerfile)
}

// inWorkspace: a clean relative path that stays in the workspace.
func inWorkspace(p string) bool {
	return p != ".." && !strings.HasPrefix(p, "../") && !strings.HasPrefix(p, "/")
}
