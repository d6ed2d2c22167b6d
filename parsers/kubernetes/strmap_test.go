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
	if got := names(o.Labels); got != "app,zone" {
		t.Errorf("label names %q, want sorted app,zone", got)
	}
	if got := names(o.Annotations); got != "app,b,extra" {
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
		if s, ok := o.Labels.Lookup(missing); ok || s.Set {
			t.Errorf("Lookup(%q) = %+v, %v", missing, s, ok)
		}
	}
}

// names lists m's names as written in m, comma-separated.
func names(m StrMap) string {
	var out []string
	for _, e := range m {
		out = append(out, e.Name)
	}
	return strings.Join(out, ",")
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

// TestKeptTypesAvoidNodeClass keeps the model's types that a run holds
// to its end, one by one or in short slices, out of yaml.v3 Node's size
// class, 145 to 160 bytes (see Str and nodeClassPad): a field added or
// removed that brings one back there brings back the pages of dropped
// nodes that each one kept pins.
func TestKeptTypesAvoidNodeClass(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if n := unsafe.Sizeof(yaml.Node{}); n <= 144 || n > 160 {
		t.Fatalf("yaml.Node is %d bytes, no longer in the 145-160 class: revisit nodeClassPad", n)
	}
	if s := unsafe.Sizeof(Str{}); s > 144 {
		t.Errorf("Str is %d bytes, want at most 144 (a Str kept alone, or as a one-element []Str)", s)
	}
	for name, size := range map[string]uintptr{
		"StrEntry": unsafe.Sizeof(StrEntry{}), "ServicePort": unsafe.Sizeof(ServicePort{}),
		"GatewayListener": unsafe.Sizeof(GatewayListener{}), "Container": unsafe.Sizeof(Container{}),
		"EnvVar": unsafe.Sizeof(EnvVar{}), "ContainerPort": unsafe.Sizeof(ContainerPort{}),
		"VolumeMount": unsafe.Sizeof(VolumeMount{}), "Volume": unsafe.Sizeof(Volume{}),
		"Quantity": unsafe.Sizeof(Quantity{}), "Backend": unsafe.Sizeof(Backend{}),
		"ParentRef": unsafe.Sizeof(ParentRef{}), "RouteRule": unsafe.Sizeof(RouteRule{}),
		"BackendRef": unsafe.Sizeof(BackendRef{}), "VSRoute": unsafe.Sizeof(VSRoute{}),
		"VSDestination": unsafe.Sizeof(VSDestination{}), "TraefikRoute": unsafe.Sizeof(TraefikRoute{}),
		"TraefikService": unsafe.Sizeof(TraefikService{}),
	} {
		if size > 144 && size <= 160 {
			t.Errorf("%s is %d bytes, in yaml.Node's size class: reorder it or add a nodeClassPad", name, size)
		}
	}
}
