package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// uwsgiKeys are the uWSGI options read: harakiri, http-timeout and
// socket-timeout (seconds), post-buffering, limit-post and buffer-size
// (bytes), the sockets it listens on, processes and threads, and
// http-keepalive as written (a flag or a number: hoplint does not
// interpret it, see docs/facts/python.md).
var uwsgiKeys = map[string]string{
	"http-keepalive": "flag", "harakiri": "seconds", "http-timeout": "seconds", "socket-timeout": "seconds",
	"post-buffering": "bytes", "limit-post": "bytes", "buffer-size": "bytes",
	"http": "string", "http-socket": "string", "socket": "string", "uwsgi-socket": "string",
	"processes": "int", "workers": "int", "threads": "int",
}

// ParseUWSGIIni reads a uWSGI ini file. Only the [uwsgi] section is read
// (uWSGI's default). Options between if-env / if-not-env / if-exists …
// and endif carry that Condition. $(VAR) is an environment variable; any
// other placeholder (%(x), @(file)) is Unknown. Option names are read with
// underscores as dashes, as uWSGI does.
func ParseUWSGIIni(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	var conds []string
	for _, l := range readINI(f, false) {
		if l.section != "uwsgi" {
			continue
		}
		key := strings.ReplaceAll(lower(l.key), "_", "-")
		switch {
		case strings.HasPrefix(key, "if-") || strings.HasPrefix(key, "for"):
			conds = append(conds, key+" = "+l.value)
			continue
		case key == "endif" || key == "endfor":
			if len(conds) > 0 {
				conds = conds[:len(conds)-1]
			}
			continue
		}
		kind, ok := uwsgiKeys[key]
		if !ok {
			continue
		}
		s := l.setting(f, key, uwsgiValue(kind, l.value))
		s.Section = "uwsgi"
		s.Reparse = func(raw string) Value { return uwsgiValue(kind, raw) }
		s.Condition = blockCondition(conds)
		res.Settings = append(res.Settings, s)
	}
	return res
}

func uwsgiValue(kind, raw string) Value {
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, "$(") && strings.HasSuffix(raw, ")") {
		return Value{Kind: Env, Env: raw[2 : len(raw)-1]}
	}
	if strings.ContainsAny(raw, "%@$") {
		return unknown("a uWSGI placeholder (" + raw + ") hoplint does not expand")
	}
	if kind == "string" {
		return Value{Kind: String, Str: raw}
	}
	if kind == "flag" {
		switch lower(raw) {
		case "", "true", "yes", "on":
			return Value{Kind: Bool, Bool: true}
		case "false", "no", "off":
			return Value{Kind: Bool, Bool: false}
		}
		kind = "int"
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return unknown("not a whole number")
	}
	switch kind {
	case "seconds":
		if n > math.MaxInt64/int64(time.Second) {
			return unknown("the number overflows")
		}
		return Value{Kind: Duration, Duration: time.Duration(n) * time.Second, Unlimited: n == 0}
	case "bytes":
		return Value{Kind: Bytes, Bytes: n, Unlimited: n == 0}
	}
	return Value{Kind: Int, Int: n}
}
