package node

import (
	"encoding/json"
	"errors"
	"sort"
	"unicode/utf8"
)

// segment maps a generated column to an original line and column, both
// 0-based and counted in UTF-16 code units, as source maps count them.
type segment struct {
	genCol, origLine, origCol int
}

// sourceMap is the part of a version 3 source map that positions need:
// for each generated line, its segments sorted by generated column. esbuild
// writes one per transform; only one source (the original file) is mapped.
type sourceMap struct {
	lines [][]segment
}

// base64 digits of the VLQ alphabet.
var vlqDigit = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = int8(i)
	}
	return t
}()

var errBadMap = errors.New("malformed source map")

// parseSourceMap decodes the "mappings" field of a source map.
func parseSourceMap(data []byte) (*sourceMap, error) {
	var raw struct {
		Mappings string `json:"mappings"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	m := &sourceMap{lines: [][]segment{nil}}
	var origLine, origCol, src, name int
	s := raw.Mappings
	genCol := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case ';':
			m.lines = append(m.lines, nil)
			genCol = 0
			i++
			continue
		case ',':
			i++
			continue
		}
		var fields [5]int
		n := 0
		for i < len(s) && s[i] != ',' && s[i] != ';' {
			v, next, err := vlq(s, i)
			if err != nil {
				return nil, err
			}
			if n < len(fields) {
				fields[n] = v
			}
			n++
			i = next
		}
		genCol += fields[0]
		if n >= 4 {
			src += fields[1]
			origLine += fields[2]
			origCol += fields[3]
			if n >= 5 {
				name += fields[4]
			}
			if src == 0 && origLine >= 0 && origCol >= 0 {
				l := len(m.lines) - 1
				m.lines[l] = append(m.lines[l], segment{genCol, origLine, origCol})
			}
		}
	}
	for _, l := range m.lines {
		sort.SliceStable(l, func(a, b int) bool { return l[a].genCol < l[b].genCol })
	}
	return m, nil
}

// vlq reads one base64 VLQ number at s[i:].
func vlq(s string, i int) (v, next int, err error) {
	shift := 0
	for {
		if i >= len(s) || shift > 60 {
			return 0, i, errBadMap
		}
		d := vlqDigit[s[i]]
		if d < 0 {
			return 0, i, errBadMap
		}
		i++
		v |= int(d&31) << shift
		shift += 5
		if d&32 == 0 {
			break
		}
	}
	if v&1 != 0 {
		return -(v >> 1), i, nil
	}
	return v >> 1, i, nil
}

// lookup returns the original 0-based line and UTF-16 column of a
// generated one. A position between two segments takes the segment before
// it plus the distance from that segment: esbuild reprints a line's tokens
// in their order, so a name esbuild maps no segment to (a property after a
// dot) keeps its distance from the token the segment starts at.
func (m *sourceMap) lookup(line, col int) (origLine, origCol int, ok bool) {
	if line < 0 || line >= len(m.lines) {
		return 0, 0, false
	}
	segs := m.lines[line]
	i := sort.Search(len(segs), func(i int) bool { return segs[i].genCol > col }) - 1
	if i < 0 {
		return 0, 0, false
	}
	s := segs[i]
	return s.origLine, s.origCol + col - s.genCol, true
}

// utf16Col counts the UTF-16 code units of line[:byteCol].
func utf16Col(line []byte, byteCol int) int {
	n := 0
	for i := 0; i < byteCol && i < len(line); {
		r, size := utf8.DecodeRune(line[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// byteCol turns a UTF-16 column of line into a byte offset within it,
// clamped to the line.
func byteCol(line []byte, col16 int) int {
	n := 0
	i := 0
	for i < len(line) && n < col16 {
		r, size := utf8.DecodeRune(line[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return i
}
