package parsers

import (
	"bytes"
	"encoding/json"
	"path"
	"strings"

	crossplane "github.com/nginxinc/nginx-go-crossplane"
)

// Classify decides the format of a file from its slash-separated path and
// its content. It returns "" for files that are not configuration hoplint
// reads; those are skipped silently, never reported. nginx and Apache need
// positive evidence in the content (known directives in their structure):
// a .conf name alone proves nothing, since php-fpm pools, supervisord,
// fontconfig, squid and redis all use it.
func Classify(p string, data []byte) Format {
	base := path.Base(p)
	lower := strings.ToLower(base)
	dirs := strings.Split(strings.ToLower(path.Dir(p)), "/")
	inDir := func(names ...string) bool {
		for _, d := range dirs {
			for _, n := range names {
				if d == n {
					return true
				}
			}
		}
		return false
	}

	switch base {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return FormatKustomization
	case "Chart.yaml":
		return FormatHelmChart
	}
	if f := byBuildName(base); f != "" {
		return f
	}
	switch {
	case strings.HasSuffix(lower, ".tf"), strings.HasSuffix(lower, ".tf.json"), strings.HasSuffix(lower, ".tfvars"), strings.HasSuffix(lower, ".tfvars.json"):
		return FormatTerraform
	case strings.HasSuffix(lower, ".yaml"), strings.HasSuffix(lower, ".yml"), strings.HasSuffix(lower, ".json"):
		return classifyStructured(data)
	}

	switch lower {
	case "nginx.conf":
		return FormatNginx
	case "httpd.conf", "apache2.conf":
		return FormatApache
	}

	if looksBinary(data) {
		return ""
	}
	switch {
	case strings.HasPrefix(lower, "nginx.conf."), strings.HasSuffix(lower, ".template"),
		strings.HasSuffix(lower, ".lua") && inDir("templates"):
		// nginx.conf.example, default.conf.template (the nginx image's
		// envsubst templates), Kong's nginx templates: nginx only when the
		// content says so. The nginx parser then reports start-up
		// placeholders instead of parsing them.
		if data != nil && sniffConf(data) != FormatNginx {
			return ""
		}
		return FormatNginx
	}

	if ContentCandidate(p) {
		// A name that says nothing (sites-available/example, support/nginx/app,
		// app.vhost, nginx.conf.sample, a template's .conf.erb): nginx
		// only on strong evidence in the content, since READMEs, scripts
		// and other formats have such names too.
		if data == nil {
			return ""
		}
		return strongFormat(sniff(data))
	}

	isConf := strings.HasSuffix(lower, ".conf") || strings.HasSuffix(lower, ".conf.in")
	noExt := !strings.Contains(base, ".")
	apacheDir := inDir("apache2", "apache", "httpd")
	nginxDir := inDir("nginx")
	sitesDir := inDir("sites-enabled", "sites-available", "conf.d")
	if !isConf && (!noExt || !sitesDir) {
		return ""
	}
	// Directory names decide only for a file with no content signal at
	// all (only comments): a conf.d directory exists in both nginx and
	// Apache layouts, and a file that looks like anything else stays out.
	ev := sniff(data)
	switch kind := ev.format(); {
	case kind != "":
		return kind
	case ev.foreign > 0 || ev.nginx > 0 || ev.apache > 0:
		return ""
	case nginxDir && isConf:
		return FormatNginx
	case apacheDir && isConf:
		return FormatApache
	}
	return ""
}

// ClassifyExplicit classifies a file named on the command line: its name
// may be unusual (a config kept as app.txt), so the content alone may
// decide, but documents are never read as configuration.
func ClassifyExplicit(p string, data []byte) Format {
	if f := Classify(p, data); f != "" {
		return f
	}
	lower := strings.ToLower(path.Base(p))
	for _, ext := range []string{".md", ".markdown", ".rst", ".txt", ".html", ".htm", ".adoc", ".ini", ".cfg", ".toml", ".properties", ".xml", ".env"} {
		if strings.HasSuffix(lower, ext) {
			return ""
		}
	}
	if looksBinary(data) {
		return ""
	}
	if f := sniffConf(data); f != "" {
		return f
	}
	return classifyStructured(data)
}

func looksBinary(data []byte) bool {
	n := len(data)
	if n > 8000 {
		n = 8000
	}
	return bytes.IndexByte(data[:n], 0) >= 0
}

// sniffConf tells nginx from Apache syntax by positive evidence; "" when
// the file is neither (or both equally).
func sniffConf(data []byte) Format { return sniff(data).format() }

// evidence counts lines that only nginx, only Apache, or only some other
// format (INI, XML, key = value, squid, redis, Markdown) would hold.
type evidence struct {
	nginx, apache, foreign int
	// other counts lines that are no evidence for a .conf file (prose,
	// statements of no known directive) but weigh against reading a file
	// with an uninformative name as nginx.
	other int
	// blocks counts nginx block openings (server {, location / {).
	blocks int
	// alien is set by a signal no nginx or Apache file carries: an XML
	// prolog, an INI [section] header, a JSON document.
	alien bool
}

func (e evidence) format() Format {
	switch {
	case e.alien:
		return ""
	case e.nginx > 0 && e.nginx > e.apache && e.nginx > e.foreign:
		return FormatNginx
	case e.apache > 0 && e.apache > e.nginx && e.apache > e.foreign:
		return FormatApache
	}
	return ""
}

// sniff reads the file line by line. nginx statements end in ";" or open
// and close "{" "}" blocks and start with a directive nginx (or a module
// crossplane knows: Lua, njs, headers-more, …) defines; Apache has one
// directive per line, written in CamelCase, and <Section> tags of known
// names. Lines inside a *_by_lua_block are Lua, not evidence.
func sniff(data []byte) evidence {
	var e evidence
	if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		e.alien = true
		return e
	}
	data = blankTemplateTags(data)
	lua := 0      // brace depth inside a Lua block
	open := false // inside an nginx statement spread over lines
	depth := 0    // depth of nginx blocks opened by a known directive
	for _, raw := range bytes.Split(data, []byte("\n")) {
		line := bytes.TrimSpace(raw)
		if lua > 0 {
			lua += bytes.Count(line, []byte("{")) - bytes.Count(line, []byte("}"))
			continue
		}
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if i := bytes.IndexByte(line, '#'); i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') {
			line = bytes.TrimSpace(line[:i])
		}
		if open {
			if end := line[len(line)-1]; end == ';' || end == '{' {
				open = false
				e.nginx++
			}
			continue
		}
		if templateTagLine(line) {
			continue // a template engine's own line ({% if %}, <% end %}): no evidence either way
		}
		fields := strings.Fields(string(line))
		first := fields[0]
		switch {
		case bytes.HasPrefix(line, []byte("<?xml")), bytes.HasPrefix(line, []byte("<!DOCTYPE")), bytes.HasPrefix(line, []byte("<!--")):
			e.alien = true
		case line[0] == '<':
			if apacheSections[strings.ToLower(strings.Trim(strings.TrimPrefix(first, "</"), "<>"))] {
				e.apache += 2
			} else {
				e.foreign++ // an XML or HTML element
			}
		case line[0] == '[' && line[len(line)-1] == ']':
			e.alien = true // an INI section header
		case len(line) == 1 && line[0] == ';':
			// what is left of a line of template tags ("<%= k %> <%= v %>;")
		case line[0] == ';':
			e.foreign++ // an INI comment
		case strings.Contains(first, "=") || len(fields) > 1 && (fields[1] == "=" || strings.HasPrefix(fields[1], "=") && !strings.HasPrefix(fields[1], "=~")) && !isNginxDirective(first):
			e.foreign++ // key = value
		case strings.HasPrefix(first, "```"), first == "-", first == "*", first == "|":
			e.foreign++ // Markdown
		case first == ">":
			// a template's code line (Kong's Penlight templates): no evidence
		case bytes.HasSuffix(line, []byte(";")), bytes.HasSuffix(line, []byte("{")), bytes.HasSuffix(line, []byte("}")):
			name := strings.TrimRight(first, ";{")
			switch {
			case isNginxDirective(name):
				e.nginx++
				if bytes.HasSuffix(line, []byte("{")) {
					e.blocks++
					depth++
				}
				if strings.HasSuffix(name, "_by_lua_block") && bytes.HasSuffix(line, []byte("{")) {
					lua = 1
				}
			case first == "}" || first == "{" || name == "":
				// a brace, or what is left of a line of template tags
				if first == "}" && depth > 0 {
					depth--
				}
			case isApacheDirective(first):
				e.apache++
			case depth > 0 && bytes.HasSuffix(line, []byte(";")) && directiveName(name):
				// A statement of a module crossplane does not know
				// (vhost_traffic_status_display, a vendor's own), inside
				// a block a known nginx directive opened: no evidence
				// either way, rather than evidence against.
			default:
				e.other++
			}
		case bytes.HasSuffix(line, []byte("\\")):
		case isApacheDirective(first):
			e.apache++
		case isNginxDirective(first):
			open = true // charset_types followed by one MIME type a line
		default:
			if isLower(first) {
				e.foreign++ // squid's acl, redis's maxmemory: not nginx (no ";"), not Apache
			} else {
				e.other++ // prose, a shell line, a Makefile rule
			}
		}
	}
	return e
}

// directiveName reports a word written like an nginx directive:
// lower-case letters, digits and underscores, starting with a letter.
func directiveName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c == '_'
		digit := i > 0 && c >= '0' && c <= '9'
		if !letter && !digit {
			return false
		}
	}
	return s != ""
}

func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return false
		}
	}
	return s != ""
}

// nginxSources are the directive tables crossplane keeps for nginx and the
// modules found in the wild (OpenResty's Lua, njs, headers-more, GeoIP2,
// OpenTelemetry, NGINX Plus).
var nginxSources = []crossplane.MatchFunc{
	crossplane.MatchOssLatest, crossplane.MatchNginxPlusLatest, crossplane.MatchLuaLatest, crossplane.MatchNjsLatest,
	crossplane.MatchHeadersMoreLatest, crossplane.MatchGeoip2Latest, crossplane.MatchOtelLatest,
}

func isNginxDirective(name string) bool {
	for _, m := range nginxSources {
		if _, ok := m(name); ok {
			return true
		}
	}
	return false
}

// apacheSections are httpd's section names (core and the common modules).
var apacheSections = map[string]bool{
	"virtualhost": true, "ifmodule": true, "ifdefine": true, "ifversion": true, "iffile": true, "ifdirective": true, "ifsection": true,
	"directory": true, "directorymatch": true, "location": true, "locationmatch": true, "files": true, "filesmatch": true,
	"proxy": true, "proxymatch": true, "if": true, "elseif": true, "else": true, "limit": true, "limitexcept": true,
	"requireall": true, "requireany": true, "requirenone": true, "macro": true, "authnprovideralias": true, "authzprovideralias": true,
	"mdomainset": true, "mdomain": true,
}

// apacheDirectives are directives common enough in httpd configuration to
// recognise a file by; prose that happens to start a line with a capital
// letter does not match them.
var apacheDirectives = map[string]bool{
	"servername": true, "serveralias": true, "serverroot": true, "serveradmin": true, "listen": true,
	"loadmodule": true, "include": true, "includeoptional": true, "documentroot": true, "directoryindex": true,
	"proxypass": true, "proxypassreverse": true, "proxypassmatch": true, "proxytimeout": true, "proxyrequests": true,
	"proxypreservehost": true, "balancermember": true, "keepalive": true, "keepalivetimeout": true,
	"maxkeepaliverequests": true, "timeout": true, "limitrequestbody": true, "requestreadtimeout": true,
	"define": true, "setenv": true, "setenvif": true, "header": true, "requestheader": true, "rewriteengine": true,
	"rewriterule": true, "rewritecond": true, "addtype": true, "adddefaultcharset": true, "options": true,
	"allowoverride": true, "require": true, "errorlog": true, "customlog": true, "loglevel": true, "logformat": true,
	"user": true, "group": true, "alias": true, "scriptalias": true, "redirect": true, "redirectmatch": true,
	"sslengine": true, "sslcertificatefile": true, "sslcertificatekeyfile": true, "sslprotocol": true,
	"sslciphersuite": true, "fileetag": true, "expiresactive": true, "expiresbytype": true, "addoutputfilterbytype": true,
	"servertokens": true, "serversignature": true, "traceenable": true, "hostnamelookups": true, "usecanonicalname": true,
	"mutex": true, "pidfile": true, "startservers": true, "maxrequestworkers": true, "threadsperchild": true,
	"wsgidaemonprocess": true, "wsgiprocessgroup": true, "wsgiscriptalias": true, "order": true, "allow": true, "deny": true,
}

// isApacheDirective recognises a known Apache directive name. httpd reads
// names case-insensitively, but real files write them in CamelCase; a
// lower-case "timeout" or "include" is far more often redis, HAProxy or
// squid, so it is not taken as evidence.
func isApacheDirective(name string) bool {
	return name != "" && name[0] >= 'A' && name[0] <= 'Z' && apacheDirectives[strings.ToLower(name)]
}

// classifyStructured tells Kubernetes manifests and OpenAPI specs apart
// from every other YAML or JSON file (Helm values, compose files, CI
// workflows, package.json), which are skipped.
func classifyStructured(data []byte) Format {
	if looksBinary(data) {
		return ""
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		// JSON: keys may share a line.
		head := t
		if len(head) > 4096 {
			head = head[:4096]
		}
		switch {
		case bytes.Contains(head, []byte(`"openapi"`)) || bytes.Contains(head, []byte(`"swagger"`)):
			return FormatOpenAPI
		case bytes.Contains(t, []byte(`"apiVersion"`)) && bytes.Contains(t, []byte(`"kind"`)):
			return FormatKubernetes
		case SniffECS(t):
			return FormatECS
		}
		return ""
	}
	var apiVersion, kind, openapi bool
	for _, raw := range bytes.Split(data, []byte("\n")) {
		line := bytes.TrimRight(raw, " \t\r")
		trim := bytes.TrimLeft(line, " \t")
		indent := len(line) - len(trim)
		key := trim
		if bytes.HasPrefix(key, []byte("- ")) {
			key = bytes.TrimLeft(key[2:], " ")
		}
		key = bytes.Trim(key, "\"{")
		switch {
		case bytes.HasPrefix(key, []byte("apiVersion\"")), bytes.HasPrefix(key, []byte("apiVersion:")):
			apiVersion = true
		case bytes.HasPrefix(key, []byte("kind\"")), bytes.HasPrefix(key, []byte("kind:")):
			kind = true
		case indent <= 2 && (bytes.HasPrefix(key, []byte("openapi\"")) || bytes.HasPrefix(key, []byte("openapi:")) ||
			bytes.HasPrefix(key, []byte("swagger\"")) || bytes.HasPrefix(key, []byte("swagger:"))):
			openapi = true
		}
	}
	switch {
	case openapi:
		return FormatOpenAPI
	case apiVersion && kind:
		return FormatKubernetes
	}
	return ""
}

// contentExts are name endings that say nothing about the format but are
// common for nginx files: virtual hosts (.vhost, .nginx, .site), samples
// users copy (.conf.sample, .conf.example, .conf.dist), and templates of
// configuration management (.conf.erb, .conf.j2, .conf.tmpl). nginx's own
// nginx.conf.* and *.template are decided in Classify already.
var contentExts = []string{
	".vhost", ".nginx", ".site", ".nginxconf",
	".conf.sample", ".conf.example", ".conf.dist", ".conf.default", ".conf.orig",
	".conf.erb", ".conf.j2", ".conf.jinja", ".conf.jinja2", ".conf.tmpl", ".conf.tpl", ".conf.liquid",
	".nginx.j2", ".vhost.j2", ".nginx.erb", ".vhost.erb",
}

// notConfigNames are extensionless files found in every repository that
// are never nginx configuration: they are not even opened.
var notConfigNames = map[string]bool{
	"readme": true, "license": true, "licence": true, "copying": true, "notice": true, "authors": true,
	"contributors": true, "changelog": true, "changes": true, "history": true, "news": true, "todo": true,
	"makefile": true, "gnumakefile": true, "dockerfile": true, "containerfile": true, "procfile": true,
	"gemfile": true, "rakefile": true, "vagrantfile": true, "jenkinsfile": true, "brewfile": true,
	"codeowners": true, "owners": true, "pipfile": true, "version": true, "caddyfile": true,
	"tiltfile": true, "justfile": true, "berksfile": true, "guardfile": true, "podfile": true,
}

// ContentCandidate reports whether a file's name leaves its format open
// but makes nginx plausible: no extension at all (support/nginx/app,
// sites-available/example), or one of contentExts. Such files are read
// (a bounded prefix first, see discover.go) and kept only on strong nginx
// evidence. Dotfiles and the usual extensionless repository files
// (README, LICENSE, Makefile, Dockerfile…) are not candidates.
func ContentCandidate(p string) bool {
	base := strings.ToLower(path.Base(p))
	if base == "" || base[0] == '.' {
		return false // .env, .gitignore, .dockerignore, .htaccess
	}
	for _, ext := range contentExts {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	if strings.Contains(base, ".") {
		return false
	}
	return !notConfigNames[base] && !strings.HasPrefix(base, "dockerfile") && !strings.HasPrefix(base, "readme") && !strings.HasPrefix(base, "license")
}

// strongFormat is nginx or Apache on strong evidence (strongNginx,
// strongApache), else "".
func strongFormat(e evidence) Format {
	switch {
	case strongNginx(e):
		return FormatNginx
	case e.format() == FormatApache && e.apache >= 3 && e.nginx == 0 && e.foreign+e.other == 0:
		return FormatApache
	}
	return ""
}

// strongNginx is the evidence a file with an uninformative name needs to
// be read as nginx: several nginx statements and next to nothing else
// (a README quoting a server block has prose and Markdown around it, a
// shell script has commands), or a server/location block making up the
// file.
func strongNginx(e evidence) bool {
	if e.format() != FormatNginx || e.apache > 0 {
		return false
	}
	against := e.foreign + e.other
	switch {
	case e.blocks > 0 && e.nginx >= 2:
		return against*4 <= e.nginx
	case e.nginx >= 3:
		return against == 0
	}
	return false
}

// templateTagLine reports a line made only of template-engine tags:
// Jinja/Liquid {% … %} and {# … #}, Go/Mustache {{ … }}, ERB <% … %>.
// Such lines carry no nginx or Apache evidence.
func templateTagLine(line []byte) bool {
	for len(line) > 0 {
		var end []byte
		switch {
		case bytes.HasPrefix(line, []byte("{%")):
			end = []byte("%}")
		case bytes.HasPrefix(line, []byte("{#")):
			end = []byte("#}")
		case bytes.HasPrefix(line, []byte("{{")):
			end = []byte("}}")
		case bytes.HasPrefix(line, []byte("<%")):
			end = []byte("%>")
		default:
			return false
		}
		i := bytes.Index(line[2:], end)
		if i < 0 {
			return false
		}
		line = bytes.TrimSpace(line[2+i+2:])
	}
	return true
}

// blankTemplateTags returns data with template tags ({% %}, {# #}, {{ }},
// <% %>) blanked, line breaks kept, so that a tag spread over lines (ERB's
// "<% @options.each do |key, value|" … "-%>") is no evidence either way.
// data itself is returned when it holds no tag.
func blankTemplateTags(data []byte) []byte {
	if !bytes.Contains(data, []byte("<%")) && !bytes.Contains(data, []byte("{%")) && !bytes.Contains(data, []byte("{{")) && !bytes.Contains(data, []byte("{#")) {
		return data
	}
	out := append([]byte(nil), data...)
	pairs := [][2]string{{"<%", "%>"}, {"{%", "%}"}, {"{#", "#}"}, {"{{", "}}"}}
	for i := 0; i+1 < len(out); i++ {
		for _, p := range pairs {
			if out[i] != p[0][0] || out[i+1] != p[0][1] {
				continue
			}
			rest := out[i+2:]
			if len(rest) > 4096 {
				rest = rest[:4096]
			}
			k := bytes.Index(rest, []byte(p[1]))
			if k < 0 {
				break
			}
			end := i + 2 + k + 2
			for j := i; j < end; j++ {
				if out[j] != '\n' && out[j] != '\r' {
					out[j] = ' '
				}
			}
			i = end - 1
			break
		}
	}
	return out
}

// byBuildName recognises docker-compose files and Dockerfiles by name
// alone: compose.yaml, docker-compose.prod.yml, compose.override.yaml (any
// YAML file whose name starts with compose or docker-compose, as people
// name the files they pass with -f), and Dockerfile, Dockerfile.prod,
// api.Dockerfile, and Containerfile the same ways. Content cannot decide them: a compose file is any YAML
// mapping and a Dockerfile any text. A YAML file so named that is no
// compose file (a launcher's container definition, a version-1 file) is
// said so by the compose loader, as an info.
func byBuildName(base string) Format {
	lower := strings.ToLower(base)
	if strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml") {
		stem := strings.TrimSuffix(strings.TrimSuffix(lower, ".yml"), ".yaml")
		for _, p := range []string{"compose", "docker-compose"} {
			if stem == p || strings.HasPrefix(stem, p+".") || strings.HasPrefix(stem, p+"-") || strings.HasPrefix(stem, p+"_") {
				return FormatCompose
			}
		}
		return ""
	}
	// Podman and Buildah build a Containerfile by default: the same
	// syntax under another name (docs/facts/docker.md).
	if rest, ok := strings.CutPrefix(lower, "containerfile"); ok {
		lower = "dockerfile" + rest
	} else if stem, ok := strings.CutSuffix(lower, ".containerfile"); ok {
		lower = stem + ".dockerfile"
	}
	switch {
	case lower == "dockerfile":
		return FormatDockerfile
	case strings.HasPrefix(lower, "dockerfile."):
		// Dockerfile.dockerignore is BuildKit's ignore file for it, and
		// Dockerfile.md or .txt a document about it.
		for _, ext := range []string{".dockerignore", ".md", ".txt", ".orig", ".bak", ".swp", ".j2", ".tmpl", ".template", ".erb", ".in"} {
			if strings.HasSuffix(lower, ext) {
				return ""
			}
		}
		return FormatDockerfile
	case strings.HasSuffix(lower, ".dockerfile") && len(lower) > len(".dockerfile"):
		return FormatDockerfile
	}
	return ""
}

// FirstTemplateLine returns the number of the first line that holds a
// template-engine tag (Jinja/Liquid {% %} or {# #}, Go/Mustache/Jinja
// {{ }}, ERB <% %>), or 0 when none does: a file that does not parse
// because of such tags is a template, to be reported as one, not as
// broken.
func FirstTemplateLine(data []byte) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		for _, p := range [][2]string{{"{%", "%}"}, {"{{", "}}"}, {"{#", "#}"}, {"<%", "%>"}} {
			if j := bytes.Index(line, []byte(p[0])); j >= 0 && bytes.Contains(line[j+2:], []byte(p[1])) {
				return i + 1
			}
		}
	}
	return 0
}
