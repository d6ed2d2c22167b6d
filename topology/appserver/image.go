package appserver

import (
	"strings"

	"github.com/hoplint/hoplint/topology/setting"
)

// ImageName returns the last path element of an image reference and its
// tag's version ("registry.k8s.io/ingress-nginx/controller:v1.15.1@sha…"
// → "controller", "1.15.1"; "nginx:1.27-alpine" → "nginx", "1.27"); the
// version is "" when the tag is not a version ("latest", "stable").
func ImageName(ref string) (name, version string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	tag := ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref, tag = ref[:i], ref[i+1:]
	}
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		ref = ref[i+1:]
	}
	tag = strings.TrimPrefix(tag, "v")
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if _, ok := setting.VersionParts(tag); !ok {
		tag = ""
	}
	return ref, tag
}
