package config

import (
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// springKind is how Spring Boot binds a property: a Duration with its
// default unit for a bare number, or a DataSize (bytes for a bare number).
type springKind struct {
	size bool
	unit time.Duration
}

// springProps are the properties read, in their canonical kebab-case
// form. Default units are those of the @DurationUnit annotations (none:
// milliseconds).
var springProps = map[string]springKind{
	"server.tomcat.keep-alive-timeout":          {unit: time.Millisecond},
	"server.tomcat.connection-timeout":          {unit: time.Millisecond},
	"server.netty.idle-timeout":                 {unit: time.Millisecond},
	"server.netty.connection-timeout":           {unit: time.Millisecond},
	"server.jetty.connection-idle-timeout":      {unit: time.Millisecond},
	"server.undertow.no-request-timeout":        {unit: time.Millisecond},
	"spring.servlet.multipart.max-request-size": {size: true},
	"spring.servlet.multipart.max-file-size":    {size: true},
	"server.tomcat.max-swallow-size":            {size: true},
	"server.tomcat.max-http-form-post-size":     {size: true},
	"server.max-http-request-header-size":       {size: true},
	"server.port":                               {},
}

// canonical turns a property name into Spring's canonical form (relaxed
// binding): lower case, with camelCase and underscores read as dashes.
func canonical(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case r >= 'A' && r <= 'Z':
			if i > 0 && name[i-1] != '.' && name[i-1] != '-' {
				b.WriteByte('-')
			}
			b.WriteRune(r + 'a' - 'A')
		case r == '_':
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SpringProfile is the profile a file name gives: "prod" for
// application-prod.yml, "" for application.yml.
func SpringProfile(name string) string {
	base := path.Base(name)
	base = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(base, ".properties"), ".yml"), ".yaml")
	if p, ok := strings.CutPrefix(base, "application-"); ok {
		return p
	}
	return ""
}

// ParseSpringProperties reads an application[-profile].properties file.
// Section is the profile from the file name; a document of a multi-document
// file (#--- separators) activated by spring.config.activate.on-profile
// has that Condition.
func ParseSpringProperties(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	profile := SpringProfile(f.Path)
	doc := []Setting{}
	cond := ""
	flush := func() {
		for i := range doc {
			doc[i].Condition = cond
		}
		res.Settings = append(res.Settings, doc...)
		doc, cond = nil, ""
	}
	for n := 1; n <= f.NumLines(); n++ {
		text := f.Line(n)
		start := 0
		if n == 1 && parsers.HasBOM(f.Bytes()) {
			start = 3
		}
		from, to := trimmed(text, start, len(text))
		if from == to {
			continue
		}
		if text[from:to] == "#---" || text[from:to] == "!---" {
			flush()
			continue
		}
		if text[from] == '#' || text[from] == '!' {
			continue
		}
		// A value continued on the next line (trailing backslash) is not
		// one of the values read here; its key is still found.
		sep := strings.IndexAny(text[from:to], "=:")
		if sep < 0 {
			continue
		}
		kf, kt := trimmed(text, from, from+sep)
		vf, vt := trimmed(text, from+sep+1, to)
		key := canonical(text[kf:kt])
		raw := text[vf:vt]
		if key == "spring.config.activate.on-profile" || key == "spring.profiles" {
			cond = "profile " + raw
			continue
		}
		kind, ok := springProps[key]
		if !ok {
			continue
		}
		doc = append(doc, Setting{Name: key, Raw: raw, Value: springValue(kind, raw), Section: profile, Reparse: kind.reparse,
			Range: lineRange(f, n, kf, vt), ValueRange: lineRange(f, n, vf, vt)})
	}
	flush()
	return res
}

// ParseSpringYAML reads an application[-profile].yml file, every document
// of it. Nested keys are joined with dots.
func ParseSpringYAML(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	profile := SpringProfile(f.Path)
	dec := yaml.NewDecoder(strings.NewReader(string(f.Bytes())))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if err.Error() != "EOF" {
				res.Problems = append(res.Problems, yamlProblem(f, err))
			}
			break
		}
		var found []Setting
		cond := ""
		walkYAML(&doc, "", 0, func(key string, k, v *yaml.Node) {
			key = canonical(key)
			if key == "spring.config.activate.on-profile" || key == "spring.profiles" {
				cond = "profile " + v.Value
				return
			}
			kind, ok := springProps[key]
			if !ok {
				return
			}
			found = append(found, Setting{Name: key, Raw: v.Value, Value: springValue(kind, v.Value), Section: profile, Reparse: kind.reparse,
				Range:      f.At(k.Line, k.Column, v.Line, v.Column+len(v.Value)),
				ValueRange: f.At(v.Line, v.Column, v.Line, v.Column+len(v.Value))})
		})
		for i := range found {
			found[i].Condition = cond
		}
		res.Settings = append(res.Settings, found...)
	}
	return res
}

func yamlProblem(f *parsers.File, err error) parsers.Problem {
	line := 1
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+5:]
		if j := strings.IndexByte(rest, ':'); j > 0 {
			if n, e := strconv.Atoi(rest[:j]); e == nil && n >= 1 {
				// yaml.v3 may name the line after the last one at the
				// end of the stream.
				line = min(n, f.NumLines())
			}
		}
	}
	return parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(line, 1, line, 1),
		Message: "hoplint cannot read this YAML (" + msg + "); app-server settings in it are not seen"}
}

// walkYAML calls fn for every scalar under a mapping, with its dotted key.
func walkYAML(n *yaml.Node, prefix string, depth int, fn func(key string, k, v *yaml.Node)) {
	if depth > 100 {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkYAML(c, prefix, depth+1, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			if prefix != "" {
				key = prefix + "." + key
			}
			if v.Kind == yaml.ScalarNode {
				fn(key, k, v)
			} else {
				walkYAML(v, key, depth+1, fn)
			}
		}
	}
}

// reparse reads an environment variable's value as Spring binds it.
func (k springKind) reparse(raw string) Value { return springValue(k, raw) }

// springValue reads a value as Spring binds it; ${NAME:default} is an
// environment variable (or another property) with a fallback.
func springValue(kind springKind, raw string) Value {
	raw = strings.TrimSpace(unquote(strings.TrimSpace(raw)))
	if strings.HasPrefix(raw, "${") && strings.HasSuffix(raw, "}") {
		inner := raw[2 : len(raw)-1]
		v := Value{Kind: Env, Env: inner}
		if i := strings.IndexByte(inner, ':'); i >= 0 {
			v.Env = inner[:i]
			fb := springValue(kind, inner[i+1:])
			v.Fallback = &fb
		}
		return v
	}
	switch {
	case kind.size:
		return DataSize(raw)
	case kind.unit != 0:
		return SpringDuration(raw, kind.unit)
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return unknown("not a number")
	}
	return Value{Kind: Int, Int: n}
}

// SpringDuration reads Spring Boot's Duration syntax: a bare number in
// the property's unit, a number with ns, us, ms, s, m, h or d, or
// ISO-8601 (PT30S). Negative values mean no timeout to Tomcat (-1).
func SpringDuration(raw string, unit time.Duration) Value {
	s := strings.TrimSpace(raw)
	if s == "" {
		return unknown("empty")
	}
	if strings.HasPrefix(strings.ToUpper(s), "PT") || strings.HasPrefix(strings.ToUpper(s), "P") {
		return isoDuration(s)
	}
	units := []struct {
		suffix string
		d      time.Duration
	}{{"ns", time.Nanosecond}, {"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second},
		{"m", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour}}
	ls := strings.ToLower(s)
	for _, u := range units {
		if strings.HasSuffix(ls, u.suffix) {
			if _, err := strconv.ParseInt(ls[:len(ls)-len(u.suffix)], 10, 64); err == nil {
				s, unit = s[:len(s)-len(u.suffix)], u.d
				break
			}
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return unknown("not a Spring duration (a number, a number with ns, us, ms, s, m, h, d, or ISO-8601)")
	}
	if n < 0 {
		return Value{Kind: Duration, Duration: time.Duration(n), Unlimited: true}
	}
	if n > math.MaxInt64/int64(unit) {
		return unknown("the duration overflows")
	}
	return Value{Kind: Duration, Duration: time.Duration(n) * unit}
}

// isoDuration reads the ISO-8601 forms java.time.Duration.parse takes:
// PnDTnHnMn.nS.
func isoDuration(s string) Value {
	u := strings.ToUpper(s)
	neg := strings.HasPrefix(u, "-")
	u = strings.TrimPrefix(strings.TrimPrefix(u, "-"), "+")
	if !strings.HasPrefix(u, "P") {
		return unknown("not an ISO-8601 duration")
	}
	u = u[1:]
	var total float64
	inTime := false
	num := ""
	for _, r := range u {
		switch {
		case r == 'T':
			inTime = true
		case r >= '0' && r <= '9' || r == '.' || r == '-':
			num += string(r)
		default:
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return unknown("not an ISO-8601 duration")
			}
			num = ""
			switch {
			case r == 'D' && !inTime:
				total += f * 86400
			case r == 'H' && inTime:
				total += f * 3600
			case r == 'M' && inTime:
				total += f * 60
			case r == 'S' && inTime:
				total += f
			default:
				return unknown("not an ISO-8601 duration java.time reads")
			}
		}
	}
	if num != "" || total*1e9 > math.MaxInt64 {
		return unknown("not an ISO-8601 duration java.time reads")
	}
	d := time.Duration(total * 1e9)
	if neg {
		d = -d
	}
	return Value{Kind: Duration, Duration: d, Unlimited: d < 0}
}

// DataSize reads Spring's DataSize: a number of bytes, or a number with
// B, KB, MB, GB or TB (powers of 1024, upper case as Spring writes them;
// Spring accepts any case). -1 means no limit.
func DataSize(raw string) Value {
	s := strings.TrimSpace(raw)
	units := []struct {
		suffix string
		mult   int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}}
	mult := int64(1)
	us := strings.ToUpper(s)
	for _, u := range units {
		if strings.HasSuffix(us, u.suffix) {
			s, mult = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return unknown("not a Spring data size (a number with B, KB, MB, GB or TB)")
	}
	if n < 0 {
		return Value{Kind: Bytes, Bytes: n, Unlimited: true}
	}
	if n > math.MaxInt64/mult {
		return unknown("the size overflows")
	}
	return Value{Kind: Bytes, Bytes: n * mult}
}
