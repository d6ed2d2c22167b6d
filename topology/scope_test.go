package topology

import (
	"sort"
	"strings"
	"testing"
)

func TestNearIndex(t *testing.T) {
	paths := []string{
		"env2/app/svc.yaml", "env1/app/svc.yaml", "env1/app/svc.yaml", "env1/other/svc.yaml",
		"envx/app/svc.yaml", "env10/app/svc.yaml", "top.yaml",
	}
	type item struct{ path, tag string }
	var items []item
	for i, p := range paths {
		items = append(items, item{p, string(rune('a' + i))})
	}
	idx := NewNearIndex(items, func(it item) string { return it.path })
	for from, want := range map[string]string{
		"env1/app/svc.yaml":    "bc", // the same file: both copies in it
		"env1/app/deploy.yaml": "bc", // the same directory
		"env1/web/ing.yaml":    "bcd",
		"env2/app/x.yaml":      "a",
		"env1x/app/x.yaml":     "abcdefg", // no directory in common: every copy
		"envx/app/y.yaml":      "e",       // "envx/" is not under "env1/" or "env10/"
		"env10/z.yaml":         "f",
		"other.yaml":           "abcdefg",
	} {
		got, lo := idx.Nearest(from)
		var tags []string
		for _, it := range got {
			tags = append(tags, it.tag)
		}
		sort.Strings(tags)
		if s := strings.Join(tags, ""); s != want {
			t.Errorf("Nearest(%q) = %q, want %q", from, s, want)
		}
		if len(got) > 0 && idx.items[lo].tag != got[0].tag {
			t.Errorf("Nearest(%q): lo %d does not point at the first copy", from, lo)
		}
	}
	var empty *NearIndex[item]
	if got, _ := empty.Nearest("a.yaml"); got != nil {
		t.Errorf("nil index gave %v", got)
	}
}

// TestAddKey: copies of one controller in many environments
// share one key per class, so an Ingress looks at each controller once,
// not once per copy.
func TestAddKey(t *testing.T) {
	m := map[string][]int{}
	for _, k := range []int{0, 1, 0, 1, 2, 0} {
		addKey(m, "nginx", k)
	}
	if got := m["nginx"]; len(got) != 3 || got[0] != 0 || got[1] != 1 || got[2] != 2 {
		t.Errorf("keys = %v, want [0 1 2]", got)
	}
}
