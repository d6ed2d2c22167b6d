package nginx

import (
	"fmt"
	"strings"
	"testing"
)

// Local scans small levels and indexes large ones; both must return every
// directive of the name, in order, however they are spread.
func TestScopeLocal(t *testing.T) {
	for _, n := range []int{4, scanBelow - 1, scanBelow, 40} {
		var ds []*Directive
		for i := 0; i < n; i++ {
			name := "other"
			switch i {
			case 0, 2, n - 1:
				name = "proxy_set_header" // scattered
			case 1:
				name = "listen" // once
			}
			ds = append(ds, &Directive{Name: name, Args: []string{fmt.Sprint(i)}})
		}
		s := &Scope{Directives: ds}
		var got []string
		for _, d := range s.Local("proxy_set_header") {
			got = append(got, d.Arg(0))
		}
		if want := fmt.Sprintf("0 2 %d", n-1); strings.Join(got, " ") != want {
			t.Errorf("%d directives: proxy_set_header at %v, want %s", n, got, want)
		}
		if l := s.Local("listen"); len(l) != 1 || l[0].Arg(0) != "1" {
			t.Errorf("%d directives: listen = %v", n, l)
		}
		if l := s.Local("absent"); l != nil {
			t.Errorf("%d directives: absent = %v", n, l)
		}
		// A subslice returned for adjacent matches must not let a caller's
		// append overwrite the level's next directive.
		if l := s.Local("listen"); len(l) == 1 {
			_ = append(l, &Directive{Name: "x"})
			if ds[2].Name != "proxy_set_header" {
				t.Fatalf("%d directives: append through Local changed the level", n)
			}
		}
	}
}
