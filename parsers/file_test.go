package parsers

import (
	"strings"
	"testing"
)

// checkIndex holds File's line index to the plain reading of the text:
// lines split at "\n" (a "\r" before it dropped), every offset maps to
// the line and column it is on and back.
func checkIndex(t *testing.T, data string) {
	t.Helper()
	f := NewFile("f", "/f", "/", FormatNginx, []byte(data))
	want := strings.Split(data, "\n")
	if f.NumLines() != len(want) {
		t.Fatalf("%q: NumLines = %d, want %d", data, f.NumLines(), len(want))
	}
	for i, w := range want {
		if got := f.Line(i + 1); got != strings.TrimSuffix(w, "\r") {
			t.Fatalf("%q: Line(%d) = %q, want %q", data, i+1, got, w)
		}
	}
	if f.Line(0) != "" || f.Line(len(want)+1) != "" {
		t.Fatalf("%q: a line out of range is not empty", data)
	}
	line, col := 1, 1
	for off := 0; off <= len(data); off++ {
		if p := f.PosAt(off); p != (Pos{Line: line, Col: col}) {
			t.Fatalf("%q: PosAt(%d) = %v, want %d:%d", data, off, p, line, col)
		}
		if o := f.Offset(Pos{Line: line, Col: col}); o != off {
			t.Fatalf("%q: Offset(%d:%d) = %d, want %d", data, line, col, o, off)
		}
		if off < len(data) && data[off] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
}

func TestFileIndex(t *testing.T) {
	for _, s := range []string{"", "\n", "a", "a\n", "a\nbc\n\nd", "x\r\ny\r\n", "\n\n\n", "héllo\nwörld"} {
		checkIndex(t, s)
	}
}

func FuzzFileIndex(f *testing.F) {
	f.Add("events {}\nhttp {\r\n}\n")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<12 {
			return
		}
		checkIndex(t, s)
	})
}
