package compose

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/template"
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// readDotEnv reads the project's .env, the only source of interpolation
// values. A missing .env is reported once, as information, when the files
// use variables it would have set.
func (l *loader) readDotEnv() {
	abs := filepath.Join(l.dir, ".env")
	f, err := l.read(abs)
	if err != nil {
		if l.usesVariables() {
			l.missingEnv = true
		}
		return
	}
	l.p.EnvFiles = append(l.p.EnvFiles, f)
	if reason := envTooBig(f.Bytes()); reason != "" {
		l.problem(parsers.ProblemParse, f.LineRange(1), "hoplint did not read this .env: "+reason+"; the variables it sets are unknown")
		return
	}
	// No lookup: a .env value that names a variable .env does not set
	// stays empty, as it would in a clean environment; the process's own
	// environment never reaches it.
	env, err := dotenv.ParseWithLookup(bytes.NewReader(f.Bytes()), func(string) (string, bool) { return "", false })
	if err != nil {
		l.problem(parsers.ProblemParse, f.LineRange(1), "docker compose would not read this .env: "+err.Error())
		return
	}
	l.env = env
	l.p.Env = env
}

// usesVariables reports whether any compose file of the project uses ${…}
// or $NAME.
func (l *loader) usesVariables() bool {
	for _, f := range l.p.Files {
		if varRe.Match(f.Bytes()) {
			return true
		}
	}
	return false
}

var varRe = regexp.MustCompile(`\$(\{[A-Za-z_]|[A-Za-z_])`)

// envRefRe finds the variables a .env line refers to.
var envRefRe = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// envTooBig estimates the size of every .env value after expansion (a
// value may name earlier ones, so each line can double the last) and
// refuses a file where one would pass maxEnvValue.
func envTooBig(data []byte) string {
	size := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "export "))
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i <= 0 {
			continue
		}
		key, val := strings.TrimSpace(line[:i]), line[i+1:]
		n := len(val)
		for _, m := range envRefRe.FindAllStringSubmatch(val, -1) {
			n += size[m[1]]
			if n > maxEnvValue {
				return fmt.Sprintf("the value of %s would grow past %d bytes as its variables expand", key, maxEnvValue)
			}
		}
		size[key] = n
	}
	return ""
}

// errNesting refuses interpolation nested too deep.
var errNesting = fmt.Errorf("interpolation nested more than %d deep; hoplint does not expand it", maxNesting)

// substitute is compose-go's interpolation with three changes: a variable
// that has no value and no default is replaced by a stand-in that the
// field accepts (see placeholders; hoplint marks every field that used it
// unknown, so the stand-in never reaches a rule), a
// missing required variable (${VAR:?}) does not fail the load, and the
// size of what interpolation makes is bounded.
func (l *loader) substitute(s string, mapping template.Mapping) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	if nesting(s) > maxNesting {
		return "", errNesting
	}
	vars := template.ExtractVariables(map[string]any{"v": s}, template.DefaultPattern)
	grow := len(s)
	placeholder := map[string]bool{}
	for name, v := range vars {
		val, ok := mapping(name)
		if !ok && withoutDefault(s, name, v) {
			placeholder[name] = true
		}
		grow += len(val) * strings.Count(s, "$")
	}
	if grow > maxInterpolated {
		return "", fmt.Errorf("interpolation would make a value of more than %d bytes", maxInterpolated)
	}
	l.interpolated += grow
	if l.interpolated > totalInterpolated {
		return "", fmt.Errorf("interpolation would make more than %d bytes in this project", totalInterpolated)
	}
	stand := l.placeholders[s]
	if stand == "" {
		stand = "0"
	}
	m := func(name string) (string, bool) {
		if placeholder[name] {
			return stand, true
		}
		return mapping(name)
	}
	out, err := template.SubstituteWithOptions(s, m, template.WithoutLogging)
	var req *template.MissingRequiredError
	if errors.As(err, &req) {
		// ${VAR:?msg} with VAR set but empty: unknown, not a failure.
		placeholder[req.Variable] = true
		out, err = template.SubstituteWithOptions(s, m, template.WithoutLogging)
	}
	return out, err
}

// nesting is the deepest ${ nesting in s.
func nesting(s string) int {
	depth, most := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			if depth > most {
				most = depth
			}
			i++
		case s[i] == '}' && depth > 0:
			depth--
		}
	}
	return most
}

// interpolate substitutes s with the project's .env and reports whether the
// result is known.
func (l *loader) interpolate(s string) (string, bool) {
	if !strings.Contains(s, "$") {
		return s, true
	}
	out, err := l.substitute(s, l.lookup)
	if err != nil {
		return s, false
	}
	return out, l.known(s)
}

// known reports whether raw text from a compose file interpolates to a
// known value: every variable it names either has a value in .env or a
// default in the text.
func (l *loader) known(raw string) bool {
	if !strings.Contains(raw, "$") {
		return true
	}
	if nesting(raw) > maxNesting {
		return false
	}
	known := true
	for name, v := range template.ExtractVariables(map[string]any{"v": raw}, template.DefaultPattern) {
		if _, ok := l.env[name]; !ok && withoutDefault(raw, name, v) {
			l.unknownVars[name] = true
			known = false
		}
	}
	return known
}

// Stand-ins for variables with no value, by the kind of field they sit in:
// each is a value compose-go accepts there, so that a missing .env never
// stops the project from loading.
var (
	standPort     = "1"
	standPath     = "/0"
	standDuration = "1s"
	standBool     = "false"
)

var durationKeys = map[string]bool{"stop_grace_period": true, "interval": true, "timeout": true, "start_period": true, "start_interval": true}

var boolKeys = map[string]bool{"read_only": true, "privileged": true, "tty": true, "stdin_open": true, "init": true,
	"oom_kill_disable": true, "external": true, "internal": true, "attachable": true, "disable": true, "required": true,
	"create_host_path": true, "nocopy": true, "no_cache": true, "pull": true, "enable_ipv4": true, "enable_ipv6": true}

// notePlaceholders records, for each string of the layer that uses a
// variable with no value, the stand-in its field accepts. substitute sees
// only the string, so the string is the key.
func (l *loader) notePlaceholders(ly *layer) {
	if l.placeholders == nil {
		l.placeholders = map[string]string{}
	}
	var walk func(n *yaml.Node, parent, key string, depth int)
	walk = func(n *yaml.Node, parent, key string, depth int) {
		if n == nil || depth > 64 || n.Kind == yaml.AliasNode {
			return
		}
		switch n.Kind {
		case yaml.ScalarNode:
			if !strings.Contains(n.Value, "$") || l.quietKnown(n.Value) {
				return
			}
			stand := ""
			switch {
			case key == "ports" || key == "expose" || (parent == "ports" && (key == "target" || key == "published")):
				stand = standPort
			case key == "volumes" || (parent == "volumes" && (key == "source" || key == "target")):
				stand = standPath
			case durationKeys[key]:
				stand = standDuration
			case boolKeys[key]:
				stand = standBool
			}
			if stand != "" {
				l.placeholders[n.Value] = stand
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, parent, key, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], key, n.Content[i].Value, depth+1)
			}
		}
	}
	walk(ly.root, "", "", 0)
}

// quietKnown is known without recording the variables.
func (l *loader) quietKnown(raw string) bool {
	if nesting(raw) > maxNesting {
		return false
	}
	for name, v := range template.ExtractVariables(map[string]any{"v": raw}, template.DefaultPattern) {
		if _, ok := l.env[name]; !ok && withoutDefault(raw, name, v) {
			return false
		}
	}
	return true
}

// withoutDefault reports whether raw uses variable name, when it has no
// value, without anything that gives one: $NAME, ${NAME}, ${NAME?…} or
// ${NAME:?…}. ${NAME:-}, ${NAME-}, ${NAME:+x} and ${NAME+x} give one even
// when empty (compose substitutes ""), which template.Variable cannot
// tell from no default at all: both leave DefaultValue "".
func withoutDefault(raw, name string, v template.Variable) bool {
	if v.DefaultValue != "" || v.PresenceValue != "" {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '$' {
			continue
		}
		if i+1 < len(raw) && raw[i+1] == '$' {
			i++ // $$ is a literal dollar
			continue
		}
		rest := raw[i+1:]
		braced := strings.HasPrefix(rest, "{")
		if braced {
			rest = rest[1:]
		}
		if !strings.HasPrefix(rest, name) {
			continue
		}
		after := rest[len(name):]
		if !braced {
			if after == "" || !isNameByte(after[0]) {
				return true
			}
			continue
		}
		switch {
		case strings.HasPrefix(after, "}"), strings.HasPrefix(after, "?"), strings.HasPrefix(after, ":?"):
			return true
		}
	}
	return false
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
