package topology

import (
	"fmt"
	"math"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// Provenance says where a Setting's value comes from.
type Provenance uint8

const (
	// Unknown: hoplint cannot tell. Rules never guess from an Unknown value.
	Unknown Provenance = iota
	// Default: the product's documented default applies.
	Default
	// Set: written in a file, at Setting.Range.
	Set
)

func (p Provenance) String() string {
	switch p {
	case Default:
		return "default"
	case Set:
		return "set"
	}
	return "unknown"
}

// DefaultSource documents a default value: the product and version it
// holds for, and where that is written down (docs/facts/ lists them all, by product).
type DefaultSource struct {
	Product string // "nginx", "Apache httpd", "AWS Application Load Balancer"
	Version string // "all versions", "< 1.29.7", "2.4.54 and later"
	URL     string
}

func (d *DefaultSource) String() string {
	if d == nil {
		return "default"
	}
	if d.Version == "" {
		return d.Product + " default"
	}
	return fmt.Sprintf("%s default (%s)", d.Product, d.Version)
}

// Setting is a value with its provenance.
type Setting[T any] struct {
	Value T
	Prov  Provenance
	// Name is the setting as a user writes it: "keepalive_timeout",
	// "idle_timeout", "KeepAliveTimeout", "--keep-alive".
	Name string
	// Range is where the value is written; for a Default, the object that
	// relies on it (the server block, the aws_lb resource).
	Range parsers.Range
	// Default documents a Default value.
	Default *DefaultSource
	// Via lists further places the value passed through: the variable
	// default or tfvars line behind a Terraform attribute.
	Via []parsers.Related
	// Note is an assumption a finding built on this value must repeat
	// ("assuming nginx 1.29.7 or later").
	Note string
}

// Known reports whether the value can be used by a rule.
func (s Setting[T]) Known() bool { return s.Prov != Unknown }

// IsDefault reports whether the value is the product's documented default.
func (s Setting[T]) IsDefault() bool { return s.Prov == Default }

// SetAt makes a Setting written in a file.
func SetAt[T any](name string, v T, r parsers.Range) Setting[T] {
	return Setting[T]{Value: v, Prov: Set, Name: name, Range: r}
}

// DefaultFor makes a Setting that holds the product's default, pointing at
// the object that relies on it.
func DefaultFor[T any](name string, v T, obj parsers.Range, src *DefaultSource) Setting[T] {
	return Setting[T]{Value: v, Prov: Default, Name: name, Range: obj, Default: src}
}

// Duration is a time setting. Forever marks "no limit" (an Apache pool
// without ttl keeps connections until the backend closes them).
type Duration = Setting[time.Duration]

// Size is a byte-size setting. Unlimited marks a limit switched off.
type Size = Setting[int64]

const (
	// Forever is a duration that never expires.
	Forever time.Duration = math.MaxInt64
	// Unlimited is a size limit that is switched off.
	Unlimited int64 = -1
)

// FormatDuration renders d the way configuration files write it: "75s",
// "1m30s", "500ms", "no limit".
func FormatDuration(d time.Duration) string {
	switch {
	case d == Forever:
		return "no limit"
	case d == 0:
		return "0s"
	case d%time.Second != 0:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
	s := d / time.Second
	switch {
	case s < 3600:
		// Seconds, as AWS, nginx and Apache users write them: "120s", not "2m".
		return fmt.Sprintf("%ds", s)
	case s%3600 == 0:
		return fmt.Sprintf("%dh", s/3600)
	}
	return fmt.Sprintf("%dh%dm%ds", s/3600, s%3600/60, s%60)
}

// FormatSize renders a byte count with the largest exact binary unit.
func FormatSize(n int64) string {
	switch {
	case n == Unlimited:
		return "unlimited"
	case n == 0:
		return "0"
	case n%(1<<30) == 0:
		return fmt.Sprintf("%dg", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dm", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%dk", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Describe renders a duration setting for a message: "75s (nginx default
// (all versions))" or "30s". Messages name where a value comes from.
func (s Setting[T]) Describe(render func(T) string) string {
	v := render(s.Value)
	if s.Prov == Default {
		return v + ", the " + s.Default.String()
	}
	return v
}
