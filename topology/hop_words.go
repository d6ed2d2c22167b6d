package topology

import "strings"

// NameAndFile is how a link's reason introduces a hop: its name and, in
// parentheses, its file — once. Some names already end with the file
// ("Apache main server (ci/httpd.conf)"), and naming it twice reads as a
// bug to whoever checks the link.
func (h *Hop) NameAndFile() string {
	if h.File == "" || strings.HasSuffix(h.Name, "("+h.File+")") {
		return h.Name
	}
	return h.Name + " (" + h.File + ")"
}
