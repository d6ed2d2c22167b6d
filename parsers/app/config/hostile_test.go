package config

import (
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// Deep nesting and oversized files come back within bounds, as problems
// or as nothing read, from every reader.
func TestHostileInputs(t *testing.T) {
	const deep = 100000
	inputs := map[string]string{
		"brackets": strings.Repeat("[", deep) + strings.Repeat("]", deep),
		"braces":   strings.Repeat("{\"a\":", deep) + "1" + strings.Repeat("}", deep),
		"elements": strings.Repeat("<a>", deep) + strings.Repeat("</a>", deep),
		"parens":   "timeout = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep) + "\n",
		"yamlindent": func() string {
			var b strings.Builder
			for i := 0; i < 2000; i++ {
				b.WriteString(strings.Repeat(" ", i) + "k:\n")
			}
			return b.String()
		}(),
		"huge": strings.Repeat("server.tomcat.keep-alive-timeout=1\n", (16<<20)/35+1),
	}
	for name, in := range inputs {
		for _, r := range readers {
			start := time.Now()
			res := r.read(parsers.NewFile(r.name, "/x/"+r.name, "/x", "", []byte(in)))
			if d := time.Since(start); d > maxHostile {
				t.Errorf("%s through %s: %s", name, r.name, d)
			}
			if name == "huge" && (len(res.Problems) != 1 || res.Problems[0].Kind != parsers.ProblemSkipped) {
				t.Errorf("%s through %s: %+v", name, r.name, res.Problems)
			}
			if name == "parens" && r.name == "gunicorn.conf.py" {
				if s := res.Get("timeout", ""); s == nil || s.Value.Kind != Unknown {
					t.Errorf("parenthesized timeout: %+v", s)
				}
			}
		}
	}
}

// maxHostile bounds one hostile input. The slowest case takes about 0.3 s
// alone (yaml.v3 on 2,000 levels of indentation); the bound leaves room for
// a machine busy with other builds, and still catches a hang.
const maxHostile = 10 * time.Second
