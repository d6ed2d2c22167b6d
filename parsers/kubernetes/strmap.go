package kubernetes

import (
	"sort"
	"strings"
)

// StrMap is a mapping of scalars as a manifest writes it (labels,
// annotations, a selector, ConfigMap data): its entries sorted by name,
// one per name (of a key written twice, the first: see NewStrMap).
//
// It is a slice and not a map[string]Str because of what a run keeps: a
// Go map stores a value of more than 128 bytes (Str is larger) in an
// allocation of its own, and most of these maps hold two or three entries.
// Each label's value was then a small object made while yaml.v3 made the
// document's nodes of the same size, and those nodes are dropped when the
// document is read: at 54,000 files the few values kept held on to 134 MB
// of pages for 28 MB of values (issue 24). A slice of exactly the entries
// is one allocation, and needs no hashing to build.
type StrMap []StrEntry

// StrEntry is one entry of a StrMap: the key as written (Name) and its
// value, whose Key is the range of the key.
type StrEntry struct {
	Name string
	Str
	_ nodeClassPad // a one-label map would be 160 bytes
}

// nodeClassPad takes a type the model keeps for the whole run from 145-160
// bytes to 161-176: out of yaml.v3 Node's size class (see Str), where each
// one kept pinned a page of the document's dropped nodes. Three such types
// (a one-entry StrMap, a one-port Service, a one-listener Gateway) held
// 48 MB of otherwise empty pages at 54,000 files; TestKeptTypesAvoidNodeClass
// lists the model's types that need it.
type nodeClassPad [16]byte

// Lookup returns the value of the entry named name, and whether there is one.
func (m StrMap) Lookup(name string) (Str, bool) {
	i := sort.Search(len(m), func(i int) bool { return m[i].Name >= name })
	if i < len(m) && m[i].Name == name {
		return m[i].Str, true
	}
	return Str{}, false
}

// Get returns the value of the entry named name, or the zero Str (not Set).
func (m StrMap) Get(name string) Str {
	s, _ := m.Lookup(name)
	return s
}

// NewStrMap builds a StrMap from entries in the order written, sorting
// them in place. Of entries with the same name the first is kept, as
// reader.each (which already gives each key once) and YAML's merge keys do.
func NewStrMap(entries []StrEntry) StrMap {
	if len(entries) == 0 {
		return nil
	}
	// Stable, so that of equal names the one written first stays first.
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	out := entries[:0]
	for i, e := range entries {
		if i > 0 && entries[i-1].Name == e.Name {
			continue
		}
		out = append(out, e)
	}
	return StrMap(out[:len(out):len(out)])
}

// String writes the map as "k=v, k2=v2" in name order: a selector in
// messages, and the key of the workloads it selects (topology).
func (m StrMap) String() string {
	var b strings.Builder
	for i, e := range m {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.Name + "=" + e.Value)
	}
	return b.String()
}
