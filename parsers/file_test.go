package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// discoverOne discovers the single file written at name under a new
// directory, as a run would read it from disk.
func discoverOne(t *testing.T, name, text string) (*File, string) {
	t.Helper()
	dir := t.TempDir()
	abs := filepath.Join(dir, name)
	if err := os.WriteFile(abs, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	files, _, err := Discover([]string{dir}, DiscoverOptions{WorkDir: dir})
	if err != nil || len(files) != 1 {
		t.Fatalf("Discover: %d files, %v", len(files), err)
	}
	return files[0], abs
}

const releaseManifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web # hoplint:ignore\n"

// A released file reads its text again from disk, line index included,
// and a reader that took the text before the release keeps it.
func TestReleaseReadsAgain(t *testing.T) {
	f, _ := discoverOne(t, "svc.yaml", releaseManifest)
	held := f.Bytes()
	if f.Line(4) != "  name: web # hoplint:ignore" {
		t.Fatalf("Line(4) = %q before release", f.Line(4))
	}
	f.Release()
	if f.text.Load() != nil || f.index.Load() != nil {
		t.Fatal("Release kept the text or the line index")
	}
	if string(held) != releaseManifest {
		t.Fatalf("text held before the release changed: %q", held)
	}
	if got := f.Line(4); got != "  name: web # hoplint:ignore" {
		t.Fatalf("Line(4) after release = %q", got)
	}
	if string(f.Bytes()) != releaseManifest || f.NumLines() != 5 {
		t.Fatalf("after release: %q, %d lines", f.Bytes(), f.NumLines())
	}
	f.Release() // a second release reads the same file again
	if got := f.Line(2); got != "kind: Service" {
		t.Fatalf("Line(2) after a second release = %q", got)
	}
}

// A file changed on disk after discovery reads as empty once released:
// its old positions would point at other text.
func TestReleaseChangedFileReadsEmpty(t *testing.T) {
	for name, change := range map[string]string{
		"same size": strings.Replace(releaseManifest, "web", "api", 1),
		"longer":    releaseManifest + "# more\n",
		"removed":   "",
	} {
		t.Run(name, func(t *testing.T) {
			f, abs := discoverOne(t, "svc.yaml", releaseManifest)
			f.Release()
			var err error
			if change == "" {
				err = os.Remove(abs)
			} else {
				err = os.WriteFile(abs, []byte(change), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Bytes()) != 0 || f.Line(1) != "" || f.NumLines() != 1 {
				t.Fatalf("changed file read as %q", f.Bytes())
			}
		})
	}
}

// Files made in memory (rendered output, embedded configs, tests) have
// nothing to read again: Release leaves them alone.
func TestReleaseKeepsMemoryFiles(t *testing.T) {
	f := NewFile("k.yaml", "/nowhere/k.yaml", "/nowhere", FormatKubernetes, []byte(releaseManifest))
	f.Release()
	if string(f.Bytes()) != releaseManifest || f.Line(2) != "kind: Service" {
		t.Fatalf("in-memory file lost its text: %q", f.Bytes())
	}
}

// Readers on other goroutines may ask for the text while the file is
// released (go test -race checks the locking).
func TestReleaseConcurrentReaders(t *testing.T) {
	f, _ := discoverOne(t, "svc.yaml", releaseManifest)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if i%2 == 0 {
					f.Release()
				}
				if got := f.Line(2); got != "kind: Service" {
					t.Errorf("Line(2) = %q", got)
					return
				}
				if b := f.Bytes(); string(b) != releaseManifest {
					t.Errorf("Bytes = %q", b)
					return
				}
			}
		}(i)
	}
	wg.Wait()
}
