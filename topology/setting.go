package topology

import (
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/setting"
)

// The value types live in the leaf package setting, so that packages the
// graph imports (topology/appserver) can build them; these aliases keep
// them in the graph's vocabulary.
type (
	// Provenance says where a Setting's value comes from.
	Provenance = setting.Provenance
	// DefaultSource documents a default value.
	DefaultSource = setting.DefaultSource
	// Setting is a value with its provenance.
	Setting[T any] = setting.Setting[T]
	// Duration is a time setting.
	Duration = setting.Duration
	// Size is a byte-size setting.
	Size = setting.Size
)

const (
	Unknown = setting.Unknown // hoplint cannot tell; rules never guess from it
	Default = setting.Default // the product's documented default applies
	Set     = setting.Set     // written in a file, at Setting.Range

	Forever   = setting.Forever   // a duration that never expires
	Unlimited = setting.Unlimited // a size limit that is switched off
)

// SetAt makes a Setting written in a file.
func SetAt[T any](name string, v T, r parsers.Range) Setting[T] { return setting.SetAt(name, v, r) }

// DefaultFor makes a Setting that holds the product's default, pointing at
// the object that relies on it.
func DefaultFor[T any](name string, v T, obj parsers.Range, src *DefaultSource) Setting[T] {
	return setting.DefaultFor(name, v, obj, src)
}

// FormatDuration renders d the way configuration files write it.
func FormatDuration(d time.Duration) string { return setting.FormatDuration(d) }

// FormatSize renders a byte count with the largest exact binary unit.
func FormatSize(n int64) string { return setting.FormatSize(n) }
