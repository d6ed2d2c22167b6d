package kubernetes

import "sync"

// Manifests repeat their strings: the same label keys and values, names,
// images and ports in every copy of a workload across environments. Each
// scalar yaml.v3 decodes is a fresh string, and the few that an object
// keeps were spread thinly over memory among the many it drops, so that
// the garbage collector could free little of the pages they sat on (at
// 54,000 files a third of the heap was such gaps; issue 24). An object
// keeps the first copy of a string instead, and the decoder's own copy
// goes with the rest of the document.
const (
	// maxInternLen leaves long values (scripts, embedded configs) alone:
	// they rarely repeat, and need not be held for the whole run.
	maxInternLen = 64
	// maxInterned bounds the table (about 16 MB at most): past it, a
	// string is kept as the decoder made it.
	maxInterned = 1 << 17
)

var interned struct {
	sync.Mutex
	m map[string]string
}

// intern returns the first copy of s seen in this run.
func intern(s string) string {
	if s == "" || len(s) > maxInternLen {
		return s
	}
	interned.Lock()
	defer interned.Unlock()
	if c, ok := interned.m[s]; ok {
		return c
	}
	if interned.m == nil {
		interned.m = make(map[string]string)
	}
	if len(interned.m) < maxInterned {
		interned.m[s] = s
	}
	return s
}
