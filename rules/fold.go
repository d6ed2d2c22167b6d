package rules

import (
	"fmt"
	"regexp"
	"strings"
)

// instanceKey matches a Terraform instance key in a message: [0], ["blue"].
var instanceKey = regexp.MustCompile(`\[(\d+|"[^"]*"|\*)\]`)

// foldInstances merges findings of one rule on one range whose messages
// differ only in instance keys (count = 256 on one resource gives 256
// copies of the same finding) into the first, which then says how many
// more instances it stands for. The order of findings is kept.
func foldInstances(fs []Finding) []Finding {
	type group struct {
		first int
		more  int
	}
	groups := map[string]*group{}
	out := fs[:0]
	for _, f := range fs {
		if !instanceKey.MatchString(f.Message) {
			out = append(out, f)
			continue
		}
		k := f.Rule + "\x00" + f.Range.String() + "\x00" + instanceKey.ReplaceAllString(f.Message, "[*]")
		if g := groups[k]; g != nil {
			g.more++
			continue
		}
		groups[k] = &group{first: len(out)}
		out = append(out, f)
	}
	for _, g := range groups {
		if g.more > 0 {
			msg := strings.TrimSuffix(out[g.first].Message, ".")
			out[g.first].Message = fmt.Sprintf("%s (the same holds for %d more instances of it).", msg, g.more)
		}
	}
	return out
}
