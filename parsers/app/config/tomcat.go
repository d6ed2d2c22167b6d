package config

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// tomcatAttrs are the Connector attributes read: timeouts in
// milliseconds, sizes in bytes, and the port.
var tomcatAttrs = map[string]string{
	"port": "int", "connectionTimeout": "ms", "keepAliveTimeout": "ms",
	"maxPostSize": "bytes", "maxSwallowSize": "bytes", "protocol": "string",
}

// ParseTomcatServerXML reads the Connector elements of Tomcat's
// server.xml. Section is "Connector port=N" (the port as written). An
// attribute with a ${property} is Unknown: Tomcat substitutes system
// properties hoplint does not see. encoding/xml reads no DTD and resolves
// no external entity.
func ParseTomcatServerXML(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	dec := xml.NewDecoder(bytes.NewReader(blankBOM(f.Bytes())))
	dec.Strict = true
	depth := 0
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, col := dec.InputPos()
			res.Problems = append(res.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(line, col, line, col),
				Message: "hoplint cannot read this XML (" + err.Error() + "); Tomcat connector settings in it are not seen"})
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 200 {
				res.Problems = append(res.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
					Message: "elements nest more than 200 deep; hoplint stopped reading this server.xml"})
				return res
			}
			if t.Name.Local == "Connector" {
				connector(f, res, t, int(start), int(dec.InputOffset()))
			}
		case xml.EndElement:
			depth--
		}
	}
	return res
}

// connector records the attributes of one Connector, finding each in the
// start tag's text for its range.
func connector(f *parsers.File, res *Result, el xml.StartElement, from, to int) {
	tag := f.Bytes()[from:to]
	section := "Connector"
	for _, a := range el.Attr {
		if a.Name.Local == "port" {
			section = "Connector port=" + a.Value
		}
	}
	for _, a := range el.Attr {
		kind, ok := tomcatAttrs[a.Name.Local]
		if !ok {
			continue
		}
		rng, vrng := attrRange(f, tag, from, a.Name.Local)
		var v Value
		switch {
		case strings.Contains(a.Value, "${"):
			v = unknown("set from a property (" + a.Value + ") Tomcat substitutes at start-up")
		case kind == "string":
			v = Value{Kind: String, Str: a.Value}
		default:
			n, err := strconv.ParseInt(strings.TrimSpace(a.Value), 10, 64)
			switch {
			case err != nil:
				v = unknown("not a whole number; Tomcat would refuse it")
			case kind == "ms":
				if n > int64(1<<62)/int64(time.Millisecond) {
					v = unknown("the timeout overflows")
				} else {
					v = Value{Kind: Duration, Duration: time.Duration(n) * time.Millisecond, Unlimited: n < 0}
				}
			case kind == "bytes":
				v = Value{Kind: Bytes, Bytes: n, Unlimited: n < 0}
			default:
				v = Value{Kind: Int, Int: n}
			}
		}
		res.Settings = append(res.Settings, Setting{Name: a.Name.Local, Raw: a.Value, Value: v, Section: section, Range: rng, ValueRange: vrng})
	}
}

// attrRange finds name="value" in a start tag (at offset base of the
// file); the element's start is used when it cannot be found.
func attrRange(f *parsers.File, tag []byte, base int, name string) (parsers.Range, parsers.Range) {
	for i := 0; i < len(tag); {
		j := bytes.Index(tag[i:], []byte(name))
		if j < 0 {
			break
		}
		at := i + j
		before := at == 0 || tag[at-1] == ' ' || tag[at-1] == '\t' || tag[at-1] == '\n' || tag[at-1] == '\r'
		k := at + len(name)
		for k < len(tag) && (tag[k] == ' ' || tag[k] == '\t' || tag[k] == '\n' || tag[k] == '\r') {
			k++
		}
		if before && k < len(tag) && tag[k] == '=' {
			k++
			for k < len(tag) && (tag[k] == ' ' || tag[k] == '\t' || tag[k] == '\n' || tag[k] == '\r') {
				k++
			}
			if k < len(tag) && (tag[k] == '"' || tag[k] == '\'') {
				q := tag[k]
				end := bytes.IndexByte(tag[k+1:], q)
				if end >= 0 {
					vs, ve := base+k+1, base+k+1+end
					return span(f, base+at, ve+1), span(f, vs, ve)
				}
			}
		}
		i = at + len(name)
	}
	r := span(f, base, base+len(tag))
	return r, r
}

// span turns byte offsets of f.Bytes() into a range.
func span(f *parsers.File, lo, hi int) parsers.Range {
	s, e := f.PosAt(lo), f.PosAt(hi)
	return f.At(s.Line-f.Shift.Line, s.Col-f.Shift.Col, e.Line-f.Shift.Line, e.Col-f.Shift.Col)
}
