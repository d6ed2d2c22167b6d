package config

import (
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// checkExcludes refuses ignore patterns that are not globs, and exclude patterns that cannot match what they mean
// to: a malformed glob, or one that leaves the configuration's directory
// (absolute, or with ..), which would never match a linted file.
func (c *Config) checkExcludes() error {
	for _, g := range c.Ignore {
		if g == "" || !doublestar.ValidatePattern(g) {
			return c.Errorf("ignore", "ignore: a pattern that is not a glob (write paths relative to the directory of this file, like legacy/**)")
		}
	}
	for _, id := range c.RuleIDs() {
		for _, g := range c.Rules[id].Exclude {
			clean := strings.ReplaceAll(g, "\\", "/")
			switch {
			case g == "":
				return c.Errorf("rules."+id+".exclude", "exclude: an empty pattern")
			case !doublestar.ValidatePattern(g):
				return c.Errorf("rules."+id+".exclude", "exclude: a pattern that is not a glob (write paths relative to the directory of this file, like charts/legacy/**)")
			case strings.HasPrefix(clean, "/") || filepath.IsAbs(g) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(clean, "/../"):
				return c.Errorf("rules."+id+".exclude", "exclude: a pattern must be relative to the directory of this file and stay inside it (no leading / and no ..)")
			}
		}
	}
	return nil
}

// Excluded reports whether rule's findings at file are silenced by the
// rule's exclude patterns. file is the finding's path as reported
// (relative to the directory hoplint runs in), abs the same made absolute
// ("" when unknown). Patterns are relative to the configuration's
// directory, as ignore's are; a file outside that directory matches none.
// A pattern naming a directory covers everything below it.
func (c *Config) Excluded(rule, file, abs string) bool {
	if c == nil || file == "" {
		return false
	}
	rc, ok := c.Rules[rule]
	if !ok || len(rc.Exclude) == 0 {
		return false
	}
	rel := filepath.ToSlash(file)
	if dir := c.Dir(); dir != "" {
		if abs == "" {
			return false
		}
		r, err := filepath.Rel(dir, abs)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return false
		}
		rel = filepath.ToSlash(r)
	}
	for _, g := range rc.Exclude {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
		if ok, _ := doublestar.Match(strings.TrimSuffix(g, "/")+"/**", rel); ok {
			return true
		}
	}
	return false
}
