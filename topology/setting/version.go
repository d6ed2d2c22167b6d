package setting

import (
	"strconv"
	"strings"
)

// CompareVersions compares dotted numeric versions ("1.29.7", "2.4"). A
// shorter version compares by its given parts only: "1.29" is neither below
// nor above "1.29.7", so ok is false and a rule must treat the answer as
// unknown. Suffixes ("1.25.3-alpine") are ignored.
func CompareVersions(v, w string) (cmp int, ok bool) {
	a, okA := VersionParts(v)
	b, okB := VersionParts(w)
	if !okA || !okB {
		return 0, false
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		switch {
		case a[i] < b[i]:
			return -1, true
		case a[i] > b[i]:
			return 1, true
		}
	}
	if len(a) < len(b) {
		return 0, false
	}
	return 0, true
}

// AtLeast reports whether version v is min or later; known is false when v
// is empty or too vague to decide.
func AtLeast(v, min string) (atLeast, known bool) {
	c, ok := CompareVersions(v, min)
	if !ok {
		return false, false
	}
	return c >= 0, true
}

// VersionParts splits a dotted numeric version ("v1.29.7-alpine" → 1 29 7);
// ok is false for anything else.
func VersionParts(v string) ([]int, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(v, "-+ _"); i >= 0 {
		v = v[:i]
	}
	if v == "" {
		return nil, false
	}
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}
