package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// kestrelKeys are the configuration keys read, lower case (.NET
// configuration keys are case-insensitive).
var kestrelKeys = map[string]string{
	"kestrel:limits:keepalivetimeout":      "Kestrel:Limits:KeepAliveTimeout",
	"kestrel:limits:requestheaderstimeout": "Kestrel:Limits:RequestHeadersTimeout",
	"kestrel:limits:maxrequestbodysize":    "Kestrel:Limits:MaxRequestBodySize",
}

// ParseKestrelJSON reads Kestrel's limits from an appsettings*.json file.
// .NET's JSON configuration allows comments and trailing commas; both are
// blanked out (keeping every offset) before the JSON is read. Durations
// are TimeSpans ("00:02:10"); MaxRequestBodySize is bytes, null for no
// limit.
func ParseKestrelJSON(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	data := relaxJSON(blankBOM(f.Bytes()))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		key    string
		keyAt  int
	}
	var stack []frame
	path := func() string {
		parts := make([]string, 0, len(stack))
		for _, fr := range stack {
			if fr.object {
				parts = append(parts, fr.key)
			}
		}
		return strings.ToLower(strings.Join(parts, ":"))
	}
	expectKey := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p := f.PosAt(int(dec.InputOffset()))
			res.Problems = append(res.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(p.Line-f.Shift.Line, p.Col-f.Shift.Col, p.Line-f.Shift.Line, p.Col-f.Shift.Col),
				Message: "hoplint cannot read this JSON (" + err.Error() + "); Kestrel settings in it are not seen"})
			break
		}
		end := int(dec.InputOffset())
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if len(stack) > 200 {
					res.Problems = append(res.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
						Message: "JSON nests more than 200 deep; hoplint stopped reading it"})
					return res
				}
				stack = append(stack, frame{object: d == '{'})
				expectKey = d == '{'
			case '}', ']':
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
				expectKey = len(stack) > 0 && stack[len(stack)-1].object
			}
			continue
		}
		if expectKey && len(stack) > 0 {
			s, _ := tok.(string)
			stack[len(stack)-1].key = s
			stack[len(stack)-1].keyAt = tokenStart(data, end)
			expectKey = false
			continue
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			if name, ok := kestrelKeys[path()]; ok {
				vs := tokenStart(data, end)
				raw := string(f.Bytes()[vs:end])
				res.Settings = append(res.Settings, Setting{Name: name, Raw: raw, Value: kestrelValue(name, tok),
					Range: span(f, stack[len(stack)-1].keyAt, end), ValueRange: span(f, vs, end)})
			}
			expectKey = true
		}
	}
	return res
}

// tokenStart finds where the JSON scalar ending at end starts.
func tokenStart(data []byte, end int) int {
	i := end - 1
	if i >= 0 && data[i] == '"' {
		for i--; i >= 0; i-- {
			if data[i] == '"' && (i == 0 || data[i-1] != '\\') {
				return i
			}
		}
		return 0
	}
	for i >= 0 && data[i] != ' ' && data[i] != ':' && data[i] != '\n' && data[i] != '\t' && data[i] != ',' && data[i] != '[' && data[i] != '\r' {
		i--
	}
	return i + 1
}

// relaxJSON blanks // and /* */ comments and trailing commas with spaces.
func relaxJSON(in []byte) []byte {
	out := append([]byte(nil), in...)
	inString := false
	lastComma := -1
	for i := 0; i < len(out); i++ {
		c := out[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch {
		case c == '"':
			inString, lastComma = true, -1
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for i < len(out) && out[i] != '\n' {
				out[i] = ' '
				i++
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			for i < len(out) && !commentEnd(out, i) {
				if out[i] != '\n' {
					out[i] = ' '
				}
				i++
			}
			if i+1 < len(out) {
				out[i], out[i+1] = ' ', ' '
				i++
			}
		case c == ',':
			lastComma = i
		case c == '}' || c == ']':
			if lastComma >= 0 {
				out[lastComma] = ' '
			}
			lastComma = -1
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			lastComma = -1
		}
	}
	return out
}

func kestrelValue(name string, tok any) Value {
	if name == "Kestrel:Limits:MaxRequestBodySize" {
		switch t := tok.(type) {
		case nil:
			return Value{Kind: Bytes, Unlimited: true}
		case json.Number:
			n, err := strconv.ParseInt(string(t), 10, 64)
			if err != nil || n < 0 {
				return unknown("not a size in bytes")
			}
			return Value{Kind: Bytes, Bytes: n}
		case string:
			n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
			if err != nil || n < 0 {
				return unknown("not a size in bytes")
			}
			return Value{Kind: Bytes, Bytes: n}
		}
		return unknown("not a size in bytes")
	}
	s, ok := tok.(string)
	if !ok {
		return unknown("not a TimeSpan string")
	}
	return TimeSpan(s)
}

// TimeSpan reads .NET's invariant TimeSpan format: [-][d.]hh:mm[:ss[.fffffff]],
// or a whole number of days.
func TimeSpan(s string) Value {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	days := int64(0)
	if !strings.Contains(s, ":") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > 10675199 {
			return unknown("not a TimeSpan")
		}
		return signed(time.Duration(n)*24*time.Hour, neg)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && i < strings.IndexByte(s, ':') {
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil || n > 10675199 {
			return unknown("not a TimeSpan")
		}
		days, s = n, s[i+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return unknown("not a TimeSpan")
	}
	h, e1 := strconv.Atoi(parts[0])
	m, e2 := strconv.Atoi(parts[1])
	if e1 != nil || e2 != nil || h > 23 || m > 59 || h < 0 || m < 0 {
		return unknown("not a TimeSpan")
	}
	secs := 0.0
	if len(parts) == 3 {
		f, err := strconv.ParseFloat(parts[2], 64)
		if err != nil || f < 0 || f >= 60 || strings.ContainsAny(parts[2], "eE+-") {
			return unknown("not a TimeSpan")
		}
		secs = f
	}
	total := float64(days)*86400 + float64(h)*3600 + float64(m)*60 + secs
	if total*1e9 > math.MaxInt64 {
		return unknown("the TimeSpan overflows")
	}
	return signed(time.Duration(total*1e9), neg)
}

func signed(d time.Duration, neg bool) Value {
	if neg {
		d = -d
	}
	return Value{Kind: Duration, Duration: d}
}

// commentEnd reports */ at data[i:].
func commentEnd(data []byte, i int) bool {
	return i+1 < len(data) && data[i] == '*' && data[i+1] == '/'
}
