package rules

import (
	"strings"
	"testing"
)

// fileNamesOnceRef is fileNamesOnce as first written, a builder for every
// message: the oracle that the one that copies only when it drops a name
// is held to.
func fileNamesOnceRef(msg, primary string, isFile func(string) bool) string {
	seen := map[string]bool{}
	var b strings.Builder
	for {
		i := strings.Index(msg, " (")
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		j := strings.IndexByte(msg[i+2:], ')')
		if j < 0 {
			b.WriteString(msg)
			return b.String()
		}
		inner := msg[i+2 : i+2+j]
		if isFile(inner) && (inner == primary || seen[inner]) {
			b.WriteString(msg[:i])
		} else {
			if isFile(inner) {
				seen[inner] = true
			}
			b.WriteString(msg[:i+2+j+1])
		}
		msg = msg[i+2+j+1:]
	}
}

func namesForTest(s string) bool {
	return strings.HasSuffix(s, ".conf") || strings.HasSuffix(s, ".yaml")
}

func TestFileNamesOnce(t *testing.T) {
	for _, tc := range []struct{ msg, primary, want string }{
		{"no names at all", "a.conf", "no names at all"},
		{"nginx server x (a.conf) proxies to (b.yaml)", "a.conf", "nginx server x proxies to (b.yaml)"},
		{"ALB (b.yaml) then pod (b.yaml) then (c.conf)", "a.conf", "ALB (b.yaml) then pod then (c.conf)"},
		{"a value (60 s) stays (a.conf", "a.conf", "a value (60 s) stays (a.conf"},
		{"(a.conf) at the start", "a.conf", "(a.conf) at the start"},
		{"x (a.conf)(a.conf) (a.conf)", "a.conf", "x(a.conf)"},
	} {
		if got := fileNamesOnce(tc.msg, tc.primary, namesForTest); got != tc.want {
			t.Errorf("fileNamesOnce(%q) = %q, want %q", tc.msg, got, tc.want)
		}
		if got, ref := fileNamesOnce(tc.msg, tc.primary, namesForTest), fileNamesOnceRef(tc.msg, tc.primary, namesForTest); got != ref {
			t.Errorf("fileNamesOnce(%q) = %q, the reference %q", tc.msg, got, ref)
		}
	}
}

func FuzzFileNamesOnce(f *testing.F) {
	f.Add("nginx server x (a.conf) proxies to (b.yaml) and (a.conf)", "a.conf")
	f.Add("((a.conf)) (a.conf", "")
	f.Fuzz(func(t *testing.T, msg, primary string) {
		if got, ref := fileNamesOnce(msg, primary, namesForTest), fileNamesOnceRef(msg, primary, namesForTest); got != ref {
			t.Fatalf("fileNamesOnce(%q, %q) = %q, the reference %q", msg, primary, got, ref)
		}
	})
}
