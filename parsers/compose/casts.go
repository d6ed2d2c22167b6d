package compose

import (
	"strings"
	"sync"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	cgloader "github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"
)

// compose-go casts interpolated strings to numbers and booleans by path
// (its loader's TypeCastMapping: services.*.ports.[].target to an int,
// services.*.cpus to a float, ...). For every string of every file it
// tries each of the ~100 patterns, splitting both the path and the pattern
// on each try: on a tree of thousands of projects that was most of the
// interpolation time. A pattern can only match a path whose keys include
// each of the pattern's named parts, and interpolation walks the files as
// written (before any transformation adds keys), so hoplint hands
// compose-go only the patterns whose named parts all occur as keys in the
// files of the project. Files that include: and extends: bring in are read
// through the confined resource loader before compose-go interpolates
// them; their keys add the patterns they need to the same map, which
// compose-go shares (not copies) with the loads of included and extended
// files (TestCastsFollowExtendsAndInclude fails if that stops holding).

// castPattern is one entry of compose-go's mapping.
type castPattern struct {
	path  tree.Path
	cast  interp.Cast
	named []string // the parts that are neither * nor []
}

var (
	defaultCastsOnce sync.Once
	defaultCasts     []castPattern
	castParts        map[string]bool // every named part of every pattern
)

// loadDefaultCasts reads compose-go's default mapping once.
func loadDefaultCasts() {
	defaultCastsOnce.Do(func() {
		castParts = map[string]bool{}
		opts := cgloader.ToOptions(&types.ConfigDetails{}, nil)
		for p, c := range opts.Interpolate.TypeCastMapping {
			cp := castPattern{path: p, cast: c}
			for _, part := range strings.Split(string(p), ".") {
				if part != tree.PathMatchAll && part != tree.PathMatchList {
					cp.named = append(cp.named, part)
					castParts[part] = true
				}
			}
			defaultCasts = append(defaultCasts, cp)
		}
	})
}

// castFilter holds the mapping given to compose-go for one project.
type castFilter struct {
	keys    map[string]bool // named parts seen as keys
	pending []castPattern   // patterns not yet in out
	out     map[tree.Path]interp.Cast
	all     bool // a key hoplint cannot read as compose-go does: keep every pattern
}

func newCastFilter() *castFilter {
	loadDefaultCasts()
	return &castFilter{keys: map[string]bool{}, pending: defaultCasts, out: map[tree.Path]interp.Cast{}}
}

// addKey notes a key compose-go will see that hoplint did not read from a
// file (the services: that a version-1 file is wrapped in).
func (c *castFilter) addKey(k string) {
	if castParts[k] {
		c.keys[k] = true
	}
}

// addKeys notes the mapping keys of a YAML document. Aliases are not
// followed: the node they name is in the same document.
func (c *castFilter) addKeys(root *yaml.Node) {
	stack := []*yaml.Node{root}
	for len(stack) > 0 && !c.all {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == nil {
			continue
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				c.noteKey(n.Content[i])
			}
		}
		stack = append(stack, n.Content...)
	}
}

// noteKey notes one key as compose-go will see it: a string is itself;
// numbers, booleans, nulls and timestamps print as no pattern's part
// (those are all lower-case words); any other tag (!!binary decodes to any
// string) keeps every pattern.
func (c *castFilter) noteKey(k *yaml.Node) {
	for i := 0; k.Kind == yaml.AliasNode && k.Alias != nil && i < 64; i++ {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		return // a mapping or sequence as a key: compose-go refuses it
	}
	switch k.ShortTag() {
	case "!!str":
		c.addKey(k.Value)
	case "!!int", "!!float", "!!bool", "!!null", "!!merge", "!!timestamp":
	default:
		c.all = true
	}
}

// update moves the patterns whose named parts have all been seen into the
// mapping compose-go holds.
func (c *castFilter) update() {
	kept := c.pending[:0:0]
	for _, p := range c.pending {
		if c.all || c.seen(p.named) {
			c.out[p.path] = p.cast
			continue
		}
		kept = append(kept, p)
	}
	c.pending = kept
}

func (c *castFilter) seen(parts []string) bool {
	for _, p := range parts {
		if !c.keys[p] {
			return false
		}
	}
	return true
}

// castsFor starts the project's filter from the layers read so far.
func (l *loader) castsFor(layers []*layer) {
	if l.casts == nil {
		l.casts = newCastFilter()
		if l.p.Version1 {
			l.casts.addKey("services")
		}
	}
	for _, ly := range layers {
		l.casts.addKeys(ly.root)
	}
	l.casts.update()
}
