package apache

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// Checks of what httpd would refuse or misread, for the directives hoplint
// interprets. Each mirrors the directive's handler in httpd 2.4
// (server/core.c, modules/http/http_core.c, modules/proxy/mod_proxy.c).

var dirSections = []string{"Directory", "DirectoryMatch", "Location", "LocationMatch", "Files", "FilesMatch", "Proxy", "ProxyMatch", "If", "ElseIf", "Else", "Limit", "LimitExcept"}

// serverOnly directives apply to a whole server (RSRC_CONF, NOT_IN_DIR_CONTEXT).
var serverOnly = map[string]bool{
	"keepalive": true, "keepalivetimeout": true, "maxkeepaliverequests": true, "timeout": true,
	"proxytimeout": true, "requestreadtimeout": true,
}

// globalOnly directives belong to the main server only.
var globalOnly = map[string]bool{"listen": true, "serverroot": true, "loadmodule": true}

// take1 directives take exactly one word.
var take1 = map[string]bool{
	"keepalivetimeout": true, "maxkeepaliverequests": true, "timeout": true, "proxytimeout": true,
	"limitrequestbody": true, "serverroot": true,
}

// moduleOf names the module a directive needs, for the check that the tree
// loads it.
var moduleOf = map[string][2]string{
	"proxypass": {"proxy_module", "mod_proxy"}, "proxypassmatch": {"proxy_module", "mod_proxy"},
	"balancermember": {"proxy_module", "mod_proxy"}, "proxyset": {"proxy_module", "mod_proxy"},
	"proxytimeout": {"proxy_module", "mod_proxy"}, "proxypassreverse": {"proxy_module", "mod_proxy"},
	"rewriterule": {"rewrite_module", "mod_rewrite"}, "rewriteengine": {"rewrite_module", "mod_rewrite"},
	"requestreadtimeout": {"reqtimeout_module", "mod_reqtimeout"},
	"setenv":             {"env_module", "mod_env"},
}

func (c *Config) addIssue(kind parsers.ProblemKind, fatal bool, rg parsers.Range, format string, args ...any) {
	c.Issues = append(c.Issues, Issue{Problem: parsers.Problem{Kind: kind, Range: rg, Message: fmt.Sprintf(format, args...)}, Fatal: fatal})
}

func (c *Config) check() {
	var walk func(ds []*Directive)
	walk = func(ds []*Directive) {
		for _, d := range ds {
			c.checkDirective(d)
			if d.Section {
				walk(d.Children)
			}
		}
	}
	walk(c.Directives)
	s := c.Server()
	for _, p := range s.Workers {
		c.checkWorker(p)
	}
}

func extraArgsHint(d *Directive, from int) string {
	if from < len(d.Args) && strings.HasPrefix(d.Args[from], "#") {
		return " (httpd reads \"#\" as a comment only at the start of a line, so the text after the value is read as more arguments)"
	}
	return ""
}

func (c *Config) checkDirective(d *Directive) {
	lname := strings.ToLower(d.Name)
	if d.Section {
		switch lname {
		case "virtualhost":
			if p := d.Parent; p != nil {
				c.addIssue(parsers.ProblemParse, true, d.Range, "<VirtualHost> cannot occur within <%s> section; httpd refuses to start", p.Name)
			} else if len(d.Args) == 0 {
				c.addIssue(parsers.ProblemParse, true, d.Range, "<VirtualHost> needs at least one address")
			}
		case "directory", "directorymatch", "location", "locationmatch", "proxy", "proxymatch":
			if p := d.In(dirSections...); p != nil {
				c.addIssue(parsers.ProblemParse, true, d.Range, "<%s> cannot occur within <%s> section; httpd refuses to start", d.Name, p.Name)
			} else if len(d.Args) == 0 {
				c.addIssue(parsers.ProblemParse, true, d.Range, "<%s> needs an argument", d.Name)
			}
		case "files", "filesmatch":
			if p := d.In("Location", "LocationMatch", "Limit", "LimitExcept"); p != nil {
				c.addIssue(parsers.ProblemParse, true, d.Range, "<%s> cannot occur within <%s> section; httpd refuses to start", d.Name, p.Name)
			}
		}
		return
	}
	if serverOnly[lname] {
		if p := d.In(dirSections...); p != nil {
			c.addIssue(parsers.ProblemParse, true, d.Range, "%s is not allowed inside <%s>: it applies to a whole server or virtual host, and httpd refuses to start", d.Name, p.Name)
			return
		}
	}
	if globalOnly[lname] {
		if p := d.Parent; p != nil {
			c.addIssue(parsers.ProblemParse, true, d.Range, "%s cannot occur within <%s> section: it belongs to the main server configuration, and httpd refuses to start", d.Name, p.Name)
			return
		}
	}
	if (lname == "proxypass" || lname == "proxypassmatch") && d.In("Directory", "DirectoryMatch", "Files", "FilesMatch", "If", "ElseIf", "Else") != nil {
		p := d.In("Directory", "DirectoryMatch", "Files", "FilesMatch", "If", "ElseIf", "Else")
		c.addIssue(parsers.ProblemParse, true, d.Range, "%s cannot occur within <%s> section; use it at server or virtual-host level or inside <Location>", d.Name, p.Name)
		return
	}
	if take1[lname] && len(d.Args) != 1 {
		if len(d.Args) == 0 {
			c.addIssue(parsers.ProblemParse, true, d.Range, "%s takes one argument, and none is given; httpd refuses to start", d.Name)
		} else {
			c.addIssue(parsers.ProblemParse, true, d.Range, "%s takes one argument, but %d are given%s; httpd refuses to start", d.Name, len(d.Args), extraArgsHint(d, 1))
		}
		return
	}
	if m, ok := moduleOf[lname]; ok && c.LoadModules && len(c.Unfollowed) == 0 && !c.Modules[m[0]] {
		c.addIssue(parsers.ProblemParse, true, d.Range, "%s needs %s, which this configuration does not load (no LoadModule %s); httpd refuses to start with \"Invalid command '%s'\"", d.Name, m[1], m[0], d.Name)
		return
	}
	if d.Unresolved {
		// The value comes from the server's environment: unknown.
		return
	}
	arg := d.Arg(0)
	ar := d.ArgRange(0)
	switch lname {
	case "keepalive":
		if _, ok := OnOff(arg); !ok {
			c.addIssue(parsers.ProblemInvalid, true, ar, "KeepAlive must be On or Off, not %q; httpd refuses to start", arg)
		}
	case "keepalivetimeout":
		if _, err := ParseTimeout(arg, "s"); err != nil {
			c.addIssue(parsers.ProblemInvalid, true, ar, "KeepAliveTimeout %q has the wrong format, so httpd refuses to start: write whole seconds (5), or a whole number with ms, s, mi (minutes) or h (500ms, 2mi)%s", arg, timeoutHint(arg))
		}
	case "timeout", "maxkeepaliverequests":
		n, exact := Atoi(arg)
		unit := "seconds"
		if lname == "maxkeepaliverequests" {
			unit = "requests"
		}
		switch {
		case !exact:
			c.addIssue(parsers.ProblemInvalid, false, ar, "%s %q is read by httpd as %d %s: it takes a whole number and ignores anything after the digits; write the number alone", d.Name, arg, n, unit)
		case n < 0:
			c.addIssue(parsers.ProblemInvalid, false, ar, "%s %s is negative; httpd accepts it without complaint but the value means nothing sensible: write a positive number", d.Name, arg)
		}
	case "proxytimeout":
		n, exact := Atoi(arg)
		switch {
		case n < 1:
			c.addIssue(parsers.ProblemInvalid, true, ar, "ProxyTimeout %q is not a number of seconds of at least 1, so httpd refuses to start (\"Proxy Timeout must be at least 1 second\")", arg)
		case !exact && !strings.EqualFold(strings.TrimLeft(arg, "0123456789"), "s"):
			c.addIssue(parsers.ProblemInvalid, false, ar, "ProxyTimeout %q is read by httpd as %d seconds: it takes whole seconds and ignores anything after the digits; write the number of seconds alone", arg, n)
		}
	case "limitrequestbody":
		if _, err := ParseSize(arg); err != nil {
			c.addIssue(parsers.ProblemInvalid, true, ar, "LimitRequestBody %q is not a whole number of bytes, so httpd refuses to start (\"LimitRequestBody requires a non-negative integer\"); units are not allowed: write 10485760 for 10 MiB", arg)
		}
	case "requestreadtimeout":
		for i, a := range d.Args {
			k, v, ok := strings.Cut(a, "=")
			kl := strings.ToLower(k)
			if !ok || (kl != "handshake" && kl != "header" && kl != "body") {
				c.addIssue(parsers.ProblemInvalid, true, d.ArgRange(i), "RequestReadTimeout parameter %q is not handshake=, header= or body=; httpd refuses to start", a)
				continue
			}
			if err := checkReqTimeout(v); err != "" {
				c.addIssue(parsers.ProblemInvalid, true, d.ArgRange(i), "RequestReadTimeout %s: %s; httpd refuses to start", a, err)
			}
		}
	}
}

func timeoutHint(arg string) string {
	n, rest, _ := strtoi(arg)
	switch {
	case rest == "m" || rest == "M":
		return fmt.Sprintf(" (\"m\" is not a unit here: write %dmi for minutes or %dms for milliseconds)", n, n)
	case strings.HasPrefix(rest, "."):
		return " (fractions are not allowed: use ms)"
	case n < 0:
		return " (negative values are not allowed)"
	}
	return ""
}

// checkReqTimeout validates "20", "20-40", "20,MinRate=500", "20-40,MinRate=500".
func checkReqTimeout(v string) string {
	parts := strings.Split(v, ",")
	t := parts[0]
	lo, hi, rng := strings.Cut(t, "-")
	if !isDigits(lo) || (rng && !isDigits(hi)) {
		return fmt.Sprintf("%q is not a number of seconds or a range like 20-40", t)
	}
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(k, "MinRate") || !isDigits(val) {
			return fmt.Sprintf("%q is not MinRate=bytes-per-second", p)
		}
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkWorker validates a worker's key=value parameters.
func (c *Config) checkWorker(p *Proxy) {
	d := p.D
	if d.Unresolved {
		return
	}
	switch p.Kind {
	case "ProxyPass", "ProxyPassMatch":
		inLoc := p.Section != nil && (p.Section.Is("Location") || p.Section.Is("LocationMatch"))
		for _, prm := range p.Params {
			if prm.Value != "\x00" {
				continue
			}
			switch strings.ToLower(prm.Key) {
			case "nocanon", "interpolate", "noquery":
				continue
			}
			if inLoc && strings.HasPrefix(p.URL, "/") {
				c.addIssue(parsers.ProblemParse, true, d.Range, "%s inside <%s> takes no path: the section gives it; write %s %s, and httpd refuses to start as written", p.Kind, p.Section.Name, p.Kind, prm.Key)
			} else {
				c.addIssue(parsers.ProblemInvalid, true, d.ArgRange(prm.Arg), "%s parameter %q is not in the form key=value, so httpd refuses to start%s", p.Kind, prm.Key, extraArgsHint(d, prm.Arg))
			}
			return
		}
		if p.Exclusion() {
			return
		}
		if p.IsBalancer() {
			for _, prm := range p.Params {
				if msg, fatal := balancerParam(prm); msg != "" {
					c.addIssue(parsers.ProblemInvalid, fatal, d.ArgRange(prm.Arg), "%s %s=%s: %s", p.Kind, prm.Key, prm.Value, msg)
				}
			}
			return
		}
	case "ProxySet":
		if strings.HasPrefix(strings.ToLower(p.URL), "balancer://") {
			for _, prm := range p.Params {
				if prm.Value == "\x00" {
					continue
				}
				if msg, fatal := balancerParam(prm); msg != "" {
					c.addIssue(parsers.ProblemInvalid, fatal, d.ArgRange(prm.Arg), "ProxySet %s=%s: %s", prm.Key, prm.Value, msg)
				}
			}
			return
		}
	case "RewriteRule":
		return
	}
	hc := !c.LoadModules || c.Modules["proxy_hcheck_module"] || len(c.Unfollowed) > 0
	for _, prm := range p.Params {
		if prm.Value == "\x00" {
			continue
		}
		if strings.EqualFold(prm.Key, "mapping") && (p.Kind == "ProxyPass" || p.Kind == "ProxyPassMatch") {
			if v := strings.ToLower(prm.Value); v != "encoded" && v != "servlet" {
				c.addIssue(parsers.ProblemInvalid, true, d.ArgRange(prm.Arg), "%s mapping=%s: unknown mapping (encoded or servlet); httpd refuses to start", p.Kind, prm.Value)
			}
			continue
		}
		if msg, fatal := workerParam(prm, hc); msg != "" {
			c.addIssue(parsers.ProblemInvalid, fatal, d.ArgRange(prm.Arg), "%s %s=%s: %s", p.Kind, prm.Key, prm.Value, msg)
		}
	}
}

const refuse = "; httpd refuses to start"

func onOff(key, v string) (string, bool) {
	if _, ok := OnOff(v); !ok {
		return key + " must be On or Off" + refuse, true
	}
	return "", false
}

func atLeast(prm Param, min int64, what string) (string, bool) {
	n, exact := Atoi(prm.Value)
	if n < min {
		return fmt.Sprintf("%s must be at least %d%s", what, min, refuse), true
	}
	if !exact {
		return fmt.Sprintf("httpd reads %d and ignores the rest (whole %s, no units); write %s=%d if that is what you mean", n, unitWord(prm.Key), prm.Key, n), false
	}
	return "", false
}

func unitWord(key string) string {
	switch strings.ToLower(key) {
	case "ttl", "timeout", "retry":
		return "seconds"
	}
	return "numbers"
}

func timeoutParam(prm Param, def string) (string, bool) {
	t, err := ParseTimeout(prm.Value, def)
	if err != nil {
		return fmt.Sprintf("wrong time format (a whole number, optionally with ms, s, mi or h)%s", refuse), true
	}
	if t < 1e6 {
		return "must be at least one millisecond" + refuse, true
	}
	return "", false
}

// workerParam checks one ProxyPass/BalancerMember parameter like
// set_worker_param does. hc allows mod_proxy_hcheck's parameters.
func workerParam(prm Param, hc bool) (string, bool) {
	v := prm.Value
	switch strings.ToLower(prm.Key) {
	case "loadfactor":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 1 || f > 100 {
			return "LoadFactor must be a number between 1 and 100" + refuse, true
		}
	case "retry", "min", "max", "smax":
		return atLeast(prm, 0, prm.Key)
	case "ttl", "timeout":
		return atLeast(prm, 1, prm.Key+" (seconds)")
	case "acquire":
		return timeoutParam(prm, "ms")
	case "ping", "connectiontimeout":
		return timeoutParam(prm, "s")
	case "iobuffersize", "receivebuffersize":
		n, _ := Atoi(v)
		if n < 512 && n != 0 {
			return prm.Key + " must be at least 512 bytes, or 0 for the system default" + refuse, true
		}
	case "keepalive", "disablereuse", "enablereuse", "failontimeout":
		return onOff(prm.Key, v)
	case "addressttl":
		if v == "-1" {
			return "", false
		}
		t, err := ParseTimeout(v, "s")
		if err != nil || t%1e9 != 0 {
			return "addressttl must be -1 or a whole number of seconds" + refuse, true
		}
	case "flushpackets":
		switch strings.ToLower(v) {
		case "on", "off", "auto":
		default:
			return "flushpackets must be on, off or auto" + refuse, true
		}
	case "flushwait":
		n, _ := Atoi(v)
		if n < 0 || n > 1000 {
			return "flushwait must be between 0 and 1000 (milliseconds)" + refuse, true
		}
	case "lbset":
		n, _ := Atoi(v)
		if n < 0 || n > 99 {
			return "lbset must be between 0 and 99" + refuse, true
		}
	case "responsefieldsize":
		n, _ := Atoi(v)
		if n < 0 {
			return "ResponseFieldSize must not be negative" + refuse, true
		}
	case "status":
		for i := 0; i < len(v); i++ {
			ch := v[i]
			if ch == '+' || ch == '-' {
				continue
			}
			if !strings.ContainsRune("DSIHENCdsihenc", rune(ch)) {
				return "unknown status flag " + strconv.QuoteRune(rune(ch)) + refuse, true
			}
		}
	case "route", "redirect", "flusher", "upgrade", "secret":
	case "hcmethod", "hcexpr", "hcinterval", "hcpasses", "hcfails", "hcuri", "hctemplate":
		if !hc {
			return "health-check parameters need mod_proxy_hcheck, which this configuration does not load" + refuse, true
		}
	default:
		return "unknown worker parameter" + refuse + " (\"unknown Worker parameter\")", true
	}
	return "", false
}

// balancerParam checks a parameter of a ProxyPass to balancer:// like
// set_balancer_param does: worker parameters (ttl=, keepalive=) belong on
// the BalancerMember lines instead.
func balancerParam(prm Param) (string, bool) {
	v := prm.Value
	switch strings.ToLower(prm.Key) {
	case "stickysession", "nonce":
	case "stickysessionsep":
		if len(v) != 1 && !strings.EqualFold(v, "off") {
			return "stickysessionsep must be a single character or Off" + refuse, true
		}
	case "nofailover", "scolonpathdelim", "failontimeout", "forcerecovery":
		return onOff(prm.Key, v)
	case "timeout":
		return atLeast(prm, 1, "timeout (seconds)")
	case "maxattempts":
		return atLeast(prm, 0, "maxattempts")
	case "growth":
		n, _ := Atoi(v)
		if n < 1 || n > 100 {
			return "growth must be between 1 and 100" + refuse, true
		}
	case "lbmethod":
		switch strings.ToLower(v) {
		case "byrequests", "bytraffic", "bybusyness", "heartbeat":
		default:
			return "unknown lbmethod (byrequests, bytraffic, bybusyness or heartbeat)" + refuse, true
		}
	case "failonstatus":
		for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			n, _ := Atoi(s)
			if n < 100 || n > 599 {
				return "failonstatus must list HTTP status codes" + refuse, true
			}
		}
	default:
		return "unknown balancer parameter" + refuse + "; worker parameters such as ttl= or keepalive= go on the BalancerMember lines", true
	}
	return "", false
}
