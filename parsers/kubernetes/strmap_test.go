package kubernetes

import (
	"strings"
	"testing"
	"unsafe"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// TestStrMapFromManifest reads labels as a manifest writes them: out of
// order, one given twice through a merge key (the key written in the map
// itself wins, as YAML says), and looks each up with its key's range.
func TestStrMapFromManifest(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: &base
    zone: a
    app: web
  annotations:
    <<: {app: merged, extra: x}
    app: own
    b: "2"
spec:
  containers:
  - name: c
    image: nginx
`
	res := Parse(parsers.NewFile("p.yaml", "/p.yaml", "/", parsers.FormatKubernetes, []byte(src)))
	if len(res.Objects) != 1 {
		t.Fatalf("objects %v problems %v", res.Objects, res.Problems)
	}
	o := res.Objects[0].Meta()
	if got := strings.Join(o.Labels.Names(), ","); got != "app,zone" {
		t.Errorf("label names %q, want sorted app,zone", got)
	}
	if got := strings.Join(o.Annotations.Names(), ","); got != "app,b,extra" {
		t.Errorf("annotation names %q, want app,b,extra", got)
	}
	if a := o.Annotations.Get("app"); a.Value != "own" || a.Key.Start.Line != 10 || a.Range.Start.Line != 10 {
		t.Errorf("app annotation %+v, want the map's own value on line 10", a)
	}
	if a, ok := o.Annotations.Lookup("extra"); !ok || a.Value != "x" {
		t.Errorf("merged annotation %+v %v", a, ok)
	}
	if z := o.Labels.Get("zone"); z.Value != "a" || z.Key.Start.Line != 6 || z.Key.Start.Col != 5 {
		t.Errorf("zone label %+v", z)
	}
	for _, missing := range []string{"", "aa", "zz", "apps"} {
		if s, ok := o.Labels.Lookup(missing); ok || s.Set || o.Labels.Has(missing) {
			t.Errorf("Lookup(%q) = %+v, %v", missing, s, ok)
		}
	}
}

func TestNewStrMapKeepsFirst(t *testing.T) {
	m := NewStrMap([]StrEntry{
		{Name: "b", Str: Str{Value: "1"}}, {Name: "a", Str: Str{Value: "2"}},
		{Name: "b", Str: Str{Value: "3"}}, {Name: "c", Str: Str{Value: "4"}},
	})
	if got := m.String(); got != "a=2, b=1, c=4" {
		t.Errorf("map %q", got)
	}
	if NewStrMap(nil) != nil || StrMap(nil).Get("a").Set {
		t.Error("empty map")
	}
}

// TestStrSize keeps Str out of yaml.v3 Node's size class (see Str): a
// field added or reordered that makes it 160 bytes again brings back the
// pages of dropped nodes that kept Strs pin.
func TestStrSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if s, n := unsafe.Sizeof(Str{}), unsafe.Sizeof(yaml.Node{}); s > 144 || n <= 144 {
		t.Errorf("Str is %d bytes, yaml.Node %d: want Str at most 144 and Node above it", s, n)
	}
}
