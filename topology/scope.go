package topology

import (
	"sort"
	"strings"
)

// NearIndex holds the copies of one named object (the Service shop/web
// written once per environment, the same ConfigMap in two overlays), sorted
// by file path, so that the copies nearest to a file are found without
// looking at the others: the copies under a directory are a contiguous run
// of the sorted paths, found by binary search. A tree of N environments
// then costs N log N lookups instead of N².
type NearIndex[T any] struct {
	paths []string
	items []T
}

// NewNearIndex sorts items by pathOf, keeping the order of items in the
// same file.
func NewNearIndex[T any](items []T, pathOf func(T) string) *NearIndex[T] {
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return pathOf(items[idx[a]]) < pathOf(items[idx[b]]) })
	n := &NearIndex[T]{paths: make([]string, len(items)), items: make([]T, len(items))}
	for i, j := range idx {
		n.paths[i], n.items[i] = pathOf(items[j]), items[j]
	}
	return n
}

// Nearest returns the copies nearest to the file at from: those in the
// same file, else those under its directory, else under the parent, and so
// on up to the root (all of them). The result is a sub-slice of the index
// (capped, so that appending to it copies), and lo is its position, so that
// two lookups that found the same copies can tell.
func (n *NearIndex[T]) Nearest(from string) (items []T, lo int) {
	if n == nil || len(n.items) == 0 {
		return nil, 0
	}
	if len(n.items) == 1 {
		return n.items[:1:1], 0
	}
	if lo, hi := n.under(from, true); lo < hi {
		return n.items[lo:hi:hi], lo
	}
	for dir := from; ; {
		i := strings.LastIndexByte(dir, '/')
		if i < 0 {
			return n.items[:len(n.items):len(n.items)], 0
		}
		dir = dir[:i]
		if lo, hi := n.under(dir+"/", false); lo < hi {
			return n.items[lo:hi:hi], lo
		}
	}
}

// under returns the run of paths equal to p (exact) or starting with p.
func (n *NearIndex[T]) under(p string, exact bool) (int, int) {
	lo := sort.SearchStrings(n.paths, p)
	hi := lo + sort.Search(len(n.paths)-lo, func(i int) bool {
		q := n.paths[lo+i]
		if exact {
			return q != p
		}
		return !strings.HasPrefix(q, p)
	})
	return lo, hi
}

// maxFanOut bounds the hops one inferred link may fan out to (the workloads
// a Service selector matches). Beyond it the link is ambiguous: hoplint
// draws none and says so, instead of drawing a cross product that no rule
// could word usefully and that costs memory quadratic in the tree.
const maxFanOut = 64
