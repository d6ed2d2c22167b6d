package topology

import "github.com/hoplint/hoplint/topology/setting"

// CompareVersions compares dotted numeric versions; see setting.CompareVersions.
func CompareVersions(v, w string) (cmp int, ok bool) { return setting.CompareVersions(v, w) }

// AtLeast reports whether version v is min or later; known is false when v
// is empty or too vague to decide.
func AtLeast(v, min string) (atLeast, known bool) { return setting.AtLeast(v, min) }
