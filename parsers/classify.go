package parsers

import (
	"bytes"
	"path"
	"strings"
)

// Classify decides the format of a file from its slash-separated path and
// its content. It returns "" for files that are not configuration hoplint
// reads; those are skipped silently, never reported.
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

	isConf := strings.HasSuffix(lower, ".conf") || strings.HasSuffix(lower, ".conf.in")
	noExt := !strings.Contains(base, ".")
	apacheDir := inDir("apache2", "apache", "httpd")
	nginxDir := inDir("nginx")
	sitesDir := inDir("sites-enabled", "sites-available", "conf.d")
	if !isConf && (!noExt || !sitesDir) {
		return ""
	}
	if looksBinary(data) {
		return ""
	}
	// Directory names decide only when the content does not contradict them:
	// a conf.d directory exists in both nginx and Apache layouts.
	kind := sniffConf(data)
	switch {
	case kind != "":
		return kind
	case nginxDir && isConf:
		return FormatNginx
	case apacheDir && isConf:
		return FormatApache
	}
	return ""
}

func looksBinary(data []byte) bool {
	n := len(data)
	if n > 8000 {
		n = 8000
	}
	return bytes.IndexByte(data[:n], 0) >= 0
}

// sniffConf tells nginx from Apache syntax. nginx statements end in ";" or
// open/close "{" "}" blocks; Apache has one directive per line and
// <Section> tags. Comment lines are ignored. A file with neither signal
// (only comments, or prose) is neither.
func sniffConf(data []byte) Format {
	var nginx, apache int
	for _, raw := range bytes.Split(data, []byte("\n")) {
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if i := bytes.IndexByte(line, '#'); i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') {
			line = bytes.TrimSpace(line[:i])
		}
		switch {
		case line[0] == '<' && len(line) > 1 && (isLetter(line[1]) || line[1] == '/'):
			apache += 2
		case bytes.HasSuffix(line, []byte(";")), bytes.HasSuffix(line, []byte("{")), bytes.Equal(line, []byte("}")):
			nginx++
		case bytes.HasSuffix(line, []byte("\\")):
			apache++
		case isApacheDirective(line):
			apache++
		}
	}
	switch {
	case nginx == 0 && apache == 0:
		return ""
	case nginx > apache:
		return FormatNginx
	case apache > nginx:
		return FormatApache
	}
	return ""
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

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

// isApacheDirective recognises a line starting with a known Apache
// directive name (case-insensitive, as httpd reads them).
func isApacheDirective(line []byte) bool {
	end := bytes.IndexAny(line, " \t")
	if end < 0 {
		end = len(line)
	}
	return apacheDirectives[strings.ToLower(string(line[:end]))]
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
